"""Every plans URL (the progress pages), walked as every role (tests/urltable.py explains the table).

Figures are plan-wide for every role; milestone rows are narrowed per agency inside the pages
(tested in test_progress_views.py). The public page needs no login.
"""

import pytest

from tests.urltable import Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

EVERY_MEMBER = (302, 200, 200, 200, 200, 200)
# The pages only read: any method but GET and HEAD is refused (after the login check).
READ_ONLY = (302, 405, 405, 405, 405, 405)
#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "home": Url(
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("GET", EVERY_MEMBER, query={"plan": "-2", "county": "x", "quarter": "9999-9"}),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ]
    ),
    "plans:goal": Url(
        args=lambda w: [w.plan.pk, w.goal.number],
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("GET", (302, 404, 404, 404, 404, 404), args=lambda w: [w.plan.pk, 99]),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ],
    ),
    "plans:agency": Url(
        args=lambda w: [w.plan.pk, w.agency_a.code],
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("GET", EVERY_MEMBER, args=lambda w: [w.plan.pk, w.agency_b.code]),
            Case("GET", (302, 404, 404, 404, 404, 404), args=lambda w: [w.plan.pk, "no-such-agency"]),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ],
    ),
    "plans:heatmap": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ],
    ),
    "plans:overdue": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", EVERY_MEMBER),
            Case("POST", READ_ONLY),
            Case("PROPFIND", READ_ONLY),
        ],
    ),
    "plans:public": Url(
        args=lambda w: [w.plan.pk],
        cases=[
            Case("GET", (200, 200, 200, 200, 200, 200)),
            Case("GET", (404, 404, 404, 404, 404, 404), args=lambda w: [w.plan.pk + 1000]),
            Case("POST", (405,) * 6),
            Case("PROPFIND", (405,) * 6),
        ],
    ),
}


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
