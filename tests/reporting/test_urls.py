"""Every reporting URL, walked as every role (tests/urltable.py explains the table).

Other-agency objects: 404; anonymous: login redirect; read-only roles: no write (403).
"""

import pytest

from tests.urltable import Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db


def report_payload(world):
    return {"version": world.milestone_a.version, "status": "in_progress", "progress": "70", "note": "ادامه"}


#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "reporting:my_agency": Url(
        cases=[
            Case("GET", (302, 200, 200, 200, 200, 200)),
            Case("GET", (302, 200, 404, 200, 200, 200), query={"agency": "education"}),
            Case("GET", (302, 404, 404, 404, 404, 404), query={"agency": "no-such-agency"}),
            Case("PROPFIND", (302, 405, 405, 405, 405, 405)),
        ]
    ),
    "reporting:milestone": Url(
        args=lambda w: [w.milestone_a.pk],
        cases=[
            Case("GET", (302, 200, 404, 200, 200, 200)),
            Case("POST", (302, 405, 405, 405, 405, 405)),
            Case("PROPFIND", (302, 405, 405, 405, 405, 405)),
        ],
    ),
    "reporting:report": Url(
        args=lambda w: [w.milestone_a.pk],
        cases=[
            Case("GET", (302, 200, 404, 403, 403, 200)),
            Case("POST", (302, 302, 404, 403, 403, 302), data=report_payload, changes=True),
            Case("PROPFIND", (302, 405, 405, 405, 405, 405)),
        ],
    ),
    "reporting:review_queue": Url(
        cases=[
            Case("GET", (302, 403, 403, 403, 403, 200)),
            Case("POST", (302, 405, 405, 405, 405, 405)),
            Case("PROPFIND", (302, 405, 405, 405, 405, 405)),
        ]
    ),
    "reporting:review": Url(
        args=lambda w: [w.update_a.pk],
        cases=[
            Case("GET", (302, 405, 405, 405, 405, 405)),
            Case("POST", (302, 403, 404, 403, 403, 302), data={"decision": "accept"}, changes=True),
            Case("PROPFIND", (302, 405, 405, 405, 405, 405)),
        ],
    ),
    "reporting:evidence": Url(
        args=lambda w: [w.evidence_a.pk],
        cases=[
            Case("GET", (302, 200, 404, 200, 200, 200)),
            Case("POST", (302, 405, 405, 405, 405, 405)),
            Case("PROPFIND", (302, 405, 405, 405, 405, 405)),
        ],
    ),
}


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
