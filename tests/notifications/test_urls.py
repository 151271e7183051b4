"""Every notifications URL, walked as every role: the expected status is written down for each.

A URL added to notifications/urls.py without a row in TABLE fails test_every_url_is_in_the_table.
Someone else's notification: 404; anonymous: login redirect; a wrong method: 405.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, get_resolver, reverse

from notifications.models import Notification, Preference
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "own_officer", "other_officer", "evaluator", "viewer", "director")


@dataclass(frozen=True)
class Case:
    method: str
    expected: tuple  # one status per role, in ROLES order

    def status_for(self, role):
        return dict(zip(ROLES, self.expected, strict=True))[role]


#                  anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "list": [
        Case("GET", (302, 200, 200, 200, 200, 200)),
        Case("POST", (302, 405, 405, 405, 405, 405)),
        Case("DELETE", (302, 405, 405, 405, 405, 405)),
    ],
    "open": [
        Case("GET", (302, 405, 405, 405, 405, 405)),
        Case("POST", (302, 302, 404, 404, 404, 404)),  # the own officer's notification
        Case("PUT", (302, 405, 405, 405, 405, 405)),
    ],
    "read_all": [
        Case("GET", (302, 405, 405, 405, 405, 405)),
        Case("POST", (302, 302, 302, 302, 302, 302)),
    ],
    "preferences": [
        Case("GET", (302, 200, 200, 200, 200, 200)),
        Case("POST", (302, 302, 302, 302, 302, 302)),
        Case("PATCH", (302, 405, 405, 405, 405, 405)),
    ],
}
URL_OBJECT = {"open": "notification"}


def url_names():
    _prefix, resolver = get_resolver().namespace_dict["notifications"]
    return {pattern.name for pattern in resolver.url_patterns if isinstance(pattern, URLPattern)}


def test_every_url_is_in_the_table():
    names = url_names()
    assert names, "the notifications namespace has no URLs"
    assert not names - TABLE.keys(), f"URLs without an entry in the table: {sorted(names - TABLE.keys())}"
    assert not TABLE.keys() - names, "the table names URLs that no longer exist"


@pytest.fixture
def world(agency, officer_user, other_officer_user, evaluator_user, viewer_user, director_user):
    users = {
        "anonymous": None,
        "own_officer": officer_user,
        "other_officer": other_officer_user,
        "evaluator": evaluator_user,
        "viewer": viewer_user,
        "director": director_user,
    }
    milestone = factories.MilestoneFactory(agency=agency)
    mine = Notification.objects.create(
        recipient=officer_user, kind="digest", key="digest:x", agency=agency, milestone=milestone, data={"due": 1}
    )
    for user in users.values():
        if user is not None and user != officer_user:
            Notification.objects.create(recipient=user, kind="escalation", key="escalation:x", data={"agencies": 2})
    return users, {"notification": mine}


def state():
    return (
        sorted(Notification.objects.values_list("pk", "read_at")),
        sorted(Preference.objects.values_list("user_id", "email")),
    )


def request(client, method, url):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, {"email": ""})  # preferences: email turned off
    return client.generic(method, url)


CASES = [(name, index, role) for name, cases in TABLE.items() for index in range(len(cases)) for role in ROLES]


@pytest.mark.parametrize(("name", "index", "role"), CASES, ids=[f"{n}-{i}-{r}" for n, i, r in CASES])
def test_url_permission_table(client, world, name, index, role):
    users, objects = world
    case = TABLE[name][index]
    if users[role] is not None:
        client.force_login(users[role])
    args = [objects[URL_OBJECT[name]].pk] if name in URL_OBJECT else []
    url = reverse(f"notifications:{name}", args=args)
    before = state()
    response = request(client, case.method, url)
    expected = case.status_for(role)
    assert response.status_code == expected, f"{case.method} {url} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if case.method != "GET" and expected != 302:
        assert state() == before, "a refused request changed something"
    if case.method == "POST" and expected == 302 and role != "anonymous":
        assert state() != before
