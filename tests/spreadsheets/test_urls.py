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


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
