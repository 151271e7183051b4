"""Every monitoring URL, walked as every role: the expected status is written down for each.

A URL added to monitoring/urls.py without a row in TABLE fails test_every_url_is_in_the_table.
Website freshness is public within the council (every member reads every agency's); only the
director-general edits sources. Anonymous: login redirect; refused writes change nothing.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, get_resolver, reverse

from monitoring.models import WebsiteSource

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "own_officer", "other_officer", "evaluator", "viewer", "director")


@dataclass(frozen=True)
class Case:
    method: str
    expected: tuple  # one status per role, in ROLES order
    query: dict = field(default_factory=dict)
    code: str = "education"  # the agency in the URL

    def status_for(self, role):
        return dict(zip(ROLES, self.expected, strict=True))[role]


#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "websites": [
        Case("GET", (302, 200, 200, 200, 200, 200)),
        Case("GET", (302, 200, 200, 200, 200, 200), query={"format": "xlsx"}),
        Case("GET", (302, 200, 200, 200, 200, 200), query={"format": "csv", "category": "cultural"}),
        Case("GET", (302, 200, 200, 200, 200, 200), query={"county": "not-a-county"}),
        Case("POST", (302, 405, 405, 405, 405, 405)),
        Case("PUT", (302, 405, 405, 405, 405, 405)),
    ],
    "agency": [
        Case("GET", (302, 200, 200, 200, 200, 200)),
        Case("GET", (302, 404, 404, 404, 404, 404), code="no-such-agency"),
        Case("POST", (302, 405, 405, 405, 405, 405)),
        Case("DELETE", (302, 405, 405, 405, 405, 405)),
    ],
    "sources": [
        Case("GET", (302, 403, 403, 403, 403, 200)),
        Case("GET", (302, 404, 404, 404, 404, 404), code="no-such-agency"),
        Case("POST", (302, 403, 403, 403, 403, 302)),
        Case("PUT", (302, 405, 405, 405, 405, 405)),
    ],
}
PAYLOAD = {
    "website": "https://education.example.ir/",
    "feed_urls": "https://education.example.ir/rss\nhttps://education.example.ir/atom",
    "sitemap_url": "https://education.example.ir/sitemap.xml",
}


def monitoring_url_names():
    _prefix, namespace_resolver = get_resolver().namespace_dict["monitoring"]
    return {pattern.name for pattern in namespace_resolver.url_patterns if isinstance(pattern, URLPattern)}


def test_every_url_is_in_the_table():
    names = monitoring_url_names()
    assert names, "the monitoring namespace has no URLs"
    assert not names - TABLE.keys(), f"URLs without an entry in the permission table: {sorted(names - TABLE.keys())}"
    assert not TABLE.keys() - names, "the table names URLs that no longer exist"


@pytest.fixture
def users(agency, other_agency, officer_user, other_officer_user, evaluator_user, viewer_user, director_user):
    return {
        "anonymous": None,
        "own_officer": officer_user,
        "other_officer": other_officer_user,
        "evaluator": evaluator_user,
        "viewer": viewer_user,
        "director": director_user,
    }


def state(agency):
    agency.refresh_from_db()
    return agency.website, list(WebsiteSource.objects.values_list("agency_id", "feed_urls", "sitemap_url"))


CASES = [(name, index, role) for name, cases in TABLE.items() for index in range(len(cases)) for role in ROLES]


@pytest.mark.parametrize(("name", "index", "role"), CASES, ids=[f"{n}-{i}-{r}" for n, i, r in CASES])
def test_url_permission_table(client, users, agency, name, index, role):
    case = TABLE[name][index]
    if users[role] is not None:
        client.force_login(users[role])
    url = reverse(f"monitoring:{name}", args=[] if name == "websites" else [case.code])
    before = state(agency)
    method = getattr(client, case.method.lower())
    if case.method == "GET":
        response = method(url, case.query)
    elif case.method == "POST":
        response = method(url, PAYLOAD)
    else:
        response = method(url)
    expected = case.status_for(role)
    assert response.status_code == expected, f"{case.method} {url} {case.query} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if case.method != "GET" and expected != 302:
        assert state(agency) == before, "a refused write changed something"
    if case.method == "POST" and expected == 302 and role != "anonymous":
        assert state(agency) != before
