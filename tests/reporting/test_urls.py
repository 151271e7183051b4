"""Every reporting URL, walked as every role: the expected status is written down for each.

A URL added to reporting/urls.py without a row in TABLE fails test_every_url_is_in_the_table.
Other-agency objects: 404; anonymous: login redirect; read-only roles: no write (403).
"""

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver, reverse

from plans.models import Milestone, ProgressUpdate, StrategicPlan
from plans.services import EvidenceFile, report_progress
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "own_officer", "other_officer", "evaluator", "viewer", "director")


@dataclass(frozen=True)
class Case:
    method: str
    expected: tuple  # one status per role, in ROLES order
    query: dict = field(default_factory=dict)

    def status_for(self, role):
        return dict(zip(ROLES, self.expected, strict=True))[role]


#                anonymous  own officer  other officer  evaluator  viewer  director
TABLE = {
    "my_agency": [
        Case("GET", (302, 200, 200, 200, 200, 200)),
        Case("GET", (302, 200, 404, 200, 200, 200), query={"agency": "education"}),
        Case("GET", (302, 404, 404, 404, 404, 404), query={"agency": "no-such-agency"}),
    ],
    "milestone": [
        Case("GET", (302, 200, 404, 200, 200, 200)),
        Case("POST", (302, 405, 405, 405, 405, 405)),
    ],
    "report": [
        Case("GET", (302, 200, 404, 403, 403, 200)),
        Case("POST", (302, 302, 404, 403, 403, 302)),
    ],
    "review_queue": [
        Case("GET", (302, 403, 403, 403, 403, 200)),
        Case("POST", (302, 405, 405, 405, 405, 405)),
    ],
    "review": [
        Case("GET", (302, 405, 405, 405, 405, 405)),
        Case("POST", (302, 403, 404, 403, 403, 302)),
    ],
    "evidence": [
        Case("GET", (302, 200, 404, 200, 200, 200)),
        Case("POST", (302, 405, 405, 405, 405, 405)),
    ],
}
# Which object each URL's <pk> names.
URL_OBJECT = {"milestone": "milestone", "report": "milestone", "review": "update", "evidence": "evidence"}


def reporting_url_names():
    resolver = get_resolver()
    _prefix, namespace_resolver = resolver.namespace_dict["reporting"]
    return {pattern.name for pattern in namespace_resolver.url_patterns if isinstance(pattern, URLPattern)}


def test_every_url_is_in_the_table():
    names = reporting_url_names()
    assert names, "the reporting namespace has no URLs"
    missing = names - TABLE.keys()
    assert not missing, f"URLs without an entry in the permission table: {sorted(missing)}"
    assert not TABLE.keys() - names, "the table names URLs that no longer exist"


@pytest.fixture
def world(agency, other_agency, officer_user, other_officer_user, evaluator_user, viewer_user, director_user):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    goal = factories.GoalFactory(plan=plan)
    milestone = factories.MilestoneFactory(goal=goal, agency=agency)
    factories.MilestoneFactory(goal=goal, agency=other_agency)
    pdf = SimpleUploadedFile("مستند.pdf", factories.tiny_pdf())
    update = report_progress(
        milestone=milestone,
        author=officer_user,
        status="in_progress",
        progress=50,
        note="گزارش",
        expected_version=milestone.version,
        files=[EvidenceFile(file=pdf, original_name="مستند.pdf", content_type="application/pdf", size=pdf.size)],
    )
    milestone.refresh_from_db()
    users = {
        "anonymous": None,
        "own_officer": officer_user,
        "other_officer": other_officer_user,
        "evaluator": evaluator_user,
        "viewer": viewer_user,
        "director": director_user,
    }
    objects = {"milestone": milestone, "update": update, "evidence": update.evidence.get()}
    return users, objects


def payload(name, objects):
    if name == "report":
        return {"version": objects["milestone"].version, "status": "in_progress", "progress": "70", "note": "ادامه"}
    if name == "review":
        return {"decision": "accept"}
    return {}


def state(objects):
    milestone = Milestone.objects.get(pk=objects["milestone"].pk)
    return milestone.version, milestone.progress, list(ProgressUpdate.objects.values_list("pk", "review_state"))


CASES = [(name, index, role) for name, cases in TABLE.items() for index in range(len(cases)) for role in ROLES]


@pytest.mark.parametrize(("name", "index", "role"), CASES, ids=[f"{n}-{i}-{r}" for n, i, r in CASES])
def test_url_permission_table(client, world, name, index, role):
    users, objects = world
    case = TABLE[name][index]
    if users[role] is not None:
        client.force_login(users[role])
    args = [objects[URL_OBJECT[name]].pk] if name in URL_OBJECT else []
    url = reverse(f"reporting:{name}", args=args)
    before = state(objects)
    response = client.get(url, case.query) if case.method == "GET" else client.post(url, payload(name, objects))
    expected = case.status_for(role)
    assert response.status_code == expected, f"{case.method} {url} {case.query} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if case.method == "POST" and expected != 302:
        assert state(objects) == before, "a refused write changed something"
    if case.method == "POST" and expected == 302 and role != "anonymous":
        assert state(objects) != before
