"""Every notifications URL, walked as every role (tests/urltable.py explains the table).

Someone else's notification: 404; anonymous: login redirect; a wrong method: 405.
"""

import pytest

from tests.urltable import Case, Url, cases_of, check_case

pytestmark = pytest.mark.django_db

EVERYONE_IN = (302, 200, 200, 200, 200, 200)
NOT_ALLOWED = (302, 405, 405, 405, 405, 405)
#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "notifications:list": Url(
        cases=[Case("GET", EVERYONE_IN), Case("POST", NOT_ALLOWED), Case("PROPFIND", NOT_ALLOWED)],
    ),
    "notifications:open": Url(
        args=lambda w: [w.notification_a.pk],  # the own officer's
        cases=[
            Case("GET", NOT_ALLOWED),
            Case(
                "POST",
                (302, 302, 404, 404, 404, 404),
                changes=True,
                location=("/accounts/login/", "/reporting/my-agency/?milestone="),
            ),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "notifications:read_all": Url(
        cases=[
            Case("GET", NOT_ALLOWED),
            Case("POST", (302,) * 6, changes=True, location=("/accounts/login/", "/notifications/")),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
    "notifications:preferences": Url(
        cases=[
            Case("GET", EVERYONE_IN),
            # Email turned off: the person's preference is written.
            Case(
                "POST", (302,) * 6, data={"email": ""}, changes=True, location=("/accounts/login/", "/notifications/")
            ),
            Case("PROPFIND", NOT_ALLOWED),
        ],
    ),
}


def extend_world(world):
    """An unread notification for everyone: the own officer's names milestone A."""
    from notifications.models import Notification

    for role, user in world.users.items():
        if user is not None and role != "own_officer":
            Notification.objects.create(recipient=user, kind="escalation", key="escalation:x", data={"agencies": 1})
    world.objects["notification_a"] = Notification.objects.create(
        recipient=world.users["own_officer"],
        kind="digest",
        key="digest:a",
        agency=world.agency_a,
        milestone=world.milestone_a,
        data={"due": 1},
    )


@pytest.mark.parametrize(**cases_of(TABLE))
def test_url_permission_table(client, url_world_db, name, index):
    check_case(client, url_world_db, TABLE, name, index)
