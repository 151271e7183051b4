"""Every spreadsheets URL, walked as every role (tests/urltable.py explains the table).

The workbook is everyone's (rows narrowed per agency); the round-trip sheet is an officer's for
their own agency and the director-general's for any agency named with ?agency=.
"""

import pytest

from tests.urltable import Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

NOT_ALLOWED = (302, 405, 405, 405, 405, 405)
#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "spreadsheets:export": Url(
        cases=[
            Case("GET", (302, 200, 200, 200, 200, 200)),
            Case("GET", (302, 200, 200, 200, 200, 200), query={"format": "csv"}),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
    # A big workbook's background job (issue 10): its owner's only (agency A's officer here); others get 404.
    "spreadsheets:export_job": Url(
        args=lambda w: [w.export_job.pk],
        cases=[
            Case("GET", (302, 200, 404, 404, 404, 404)),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "spreadsheets:export_job_download": Url(
        args=lambda w: [w.export_job.pk],
        cases=[
            Case("GET", (302, 200, 404, 404, 404, 404)),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "spreadsheets:agency_sheet": Url(
        cases=[
            Case("GET", (302, 200, 200, 403, 403, 403)),
            Case("GET", (302, 200, 404, 404, 404, 200), query={"agency": "education"}),
            Case("POST", (302, 200, 200, 403, 403, 403)),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
    "spreadsheets:agency_sheet_download": Url(
        cases=[
            Case("GET", (302, 200, 200, 403, 403, 403)),
            Case("GET", (302, 200, 404, 404, 404, 200), query={"agency": "education"}),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
    "spreadsheets:agency_sheet_preview": Url(
        cases=[
            # Nothing uploaded yet: back to the sheet page.
            Case("GET", (302, 302, 302, 403, 403, 403)),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
    "spreadsheets:agency_sheet_confirm": Url(
        cases=[
            Case("GET", NOT_ALLOWED),
            # Nothing previewed: back to the sheet page, nothing written.
            Case("POST", (302, 302, 302, 403, 403, 403)),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
}


def extend_world(world):
    """A finished background download of the progress workbook, agency A's officer's."""
    from django.core.files.base import ContentFile

    from fileformats.models import FileJob

    job = FileJob(
        user=world.users["own_officer"],
        kind=FileJob.Kind.EXPORT,
        target="spreadsheets.progress",
        params={"query": {"plan": str(world.plan.pk)}},
        state=FileJob.State.DONE,
        rows_done=2,
        rows_total=2,
        result={"format": "csv"},
        original_name="progress-1405.csv",
    )
    job.file.save("progress-1405.csv", ContentFile("\ufeffgoal,title\n".encode()), save=False)
    job.save()
    world.objects["export_job"] = job


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
