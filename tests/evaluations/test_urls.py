"""Every evaluations URL, walked as every role (tests/urltable.py explains the table).

`round` is open (autumn 1405, agency A scored by `evaluator`); `round_locked` (summer 1405) is locked.
Scoring is blind while a round is open; results are the council's; an officer reads only their own
agency's scorecard of a closed round.
"""

import pytest

from tests.urltable import Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

NOT_ALLOWED = (302, 405, 405, 405, 405, 405)


def open_round(world):
    return [world.round.pk]


def locked_round(world):
    return [world.round_locked.pk]


#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "evaluations:rounds": Url(
        cases=[
            Case("GET", (302, 302, 302, 200, 200, 200)),
            Case("POST", (302, 302, 302, 403, 403, 200)),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
    "evaluations:my_scorecards": Url(
        cases=[
            Case("GET", (302, 200, 200, 404, 404, 404)),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ]
    ),
    "evaluations:round": Url(
        args=open_round,
        cases=[
            Case("GET", (302, 403, 403, 200, 200, 200)),
            Case("GET", (302, 403, 403, 200, 200, 200), args=locked_round),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:close": Url(
        args=open_round,
        cases=[
            Case("GET", NOT_ALLOWED),
            Case("POST", (302, 403, 403, 403, 403, 302), changes=True),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:lock": Url(
        args=open_round,
        cases=[
            Case("GET", NOT_ALLOWED),
            # An open round cannot be locked: the director is sent back with a message.
            Case("POST", (302, 403, 403, 403, 403, 302)),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:score": Url(
        args=lambda w: [w.round.pk, w.agency_a.pk],
        cases=[
            Case("GET", (302, 403, 403, 200, 403, 403)),
            Case("GET", (302, 403, 403, 403, 403, 403), args=lambda w: [w.round_locked.pk, w.agency_a.pk]),
            Case("POST", (302, 403, 403, 200, 403, 403)),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:sheet": Url(
        args=lambda w: [w.round.pk, w.sheet.pk],
        cases=[
            Case("GET", (302, 404, 404, 200, 404, 200)),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    # Measured sub-criteria: the council reads them; the director-general overrides one with a reason
    # until the round is locked.
    "evaluations:measured": Url(
        args=open_round,
        cases=[
            Case("GET", (302, 403, 403, 200, 200, 200)),
            Case("GET", (302, 403, 403, 200, 200, 200), args=locked_round),
            Case(
                "POST",
                (302, 403, 403, 403, 403, 302),
                data=lambda w: {
                    "agency": w.agency_a.pk,
                    "sub_criterion": w.measured_sub.pk,
                    "percent": "۴۰",
                    "reason": "بازبینی",
                },
                changes=True,
            ),
            # Without a reason: the form again, with its message, and nothing recorded.
            Case(
                "POST",
                (302, 403, 403, 403, 403, 200),
                data=lambda w: {
                    "agency": w.agency_a.pk,
                    "sub_criterion": w.measured_sub.pk,
                    "percent": "40",
                    "reason": "",
                },
            ),
            Case("POST", (302, 403, 403, 403, 403, 403), args=locked_round),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:results": Url(
        args=open_round,
        cases=[
            Case("GET", (302, 403, 403, 403, 403, 200)),
            Case("GET", (302, 403, 403, 200, 200, 200), args=locked_round),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:correct": Url(
        args=locked_round,
        cases=[
            Case("GET", NOT_ALLOWED),
            Case("POST", (302, 403, 403, 403, 403, 302)),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:report": Url(
        args=open_round,
        cases=[
            Case("GET", (302, 403, 403, 403, 403, 200)),
            Case("GET", (302, 403, 403, 200, 200, 200), args=locked_round),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:export": Url(
        args=open_round,
        cases=[
            Case("GET", (302, 403, 403, 403, 403, 200)),
            Case("GET", (302, 403, 403, 200, 200, 200), args=locked_round),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "evaluations:scorecard": Url(
        args=lambda w: [w.round_locked.pk, w.agency_a.pk],
        cases=[
            Case("GET", (302, 200, 404, 200, 200, 200)),
            Case("GET", (302, 404, 404, 404, 404, 200), args=lambda w: [w.round.pk, w.agency_a.pk]),
            Case("GET", (302, 404, 200, 200, 200, 200), args=lambda w: [w.round_locked.pk, w.agency_b.pk]),
            Case("POST", NOT_ALLOWED),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
}


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
