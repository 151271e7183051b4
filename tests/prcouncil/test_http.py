"""Every page of every app, asked with odd methods, and what signed-in responses tell caches.

- A read-only page answers GET and HEAD only: PUT, DELETE, PROPFIND or FOO get 405 (and a form
  page GET and POST only). Walks every URL of the site except the admin, so a new view without a
  method declaration fails here.
- A response to a signed-in person (pages, the xlsx/csv exports, evidence downloads) carries
  Cache-Control: private, no-store; the public progress page and the login page for an anonymous
  visitor do not.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evaluations import services as evaluation_services
from persian.jalali import Quarter
from plans.models import StrategicPlan
from plans.services import EvidenceFile, report_progress
from tests import factories

pytestmark = pytest.mark.django_db

ODD_METHODS = ("PUT", "DELETE", "PROPFIND", "FOO")
SKIPPED_NAMESPACES = {"admin"}  # Django's admin: its own views, covered by the admin's tests


def site_url_names(patterns=None, namespace=""):
    """Every named URL of the site outside the admin, as "namespace:name"."""
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            names.extend(site_url_names(pattern.url_patterns, prefix))
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return sorted(set(names))


@pytest.fixture
def world(agency, other_agency, officer_user, director_user, evaluator_user):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, is_public=True)
    goal = factories.GoalFactory(plan=plan, number=1)
    milestone = factories.MilestoneFactory(goal=goal, agency=agency)
    pdf = SimpleUploadedFile("مستند.pdf", factories.tiny_pdf())
    update = report_progress(
        milestone=milestone,
        author=officer_user,
        status="in_progress",
        progress=40,
        note="گزارش",
        expected_version=milestone.version,
        files=[EvidenceFile(file=pdf, original_name="مستند.pdf", content_type="application/pdf", size=pdf.size)],
    )
    factories.SubCriterionFactory()
    round_ = evaluation_services.open_round(
        quarter=Quarter(1405, 3), deadline=datetime.date(2026, 12, 30), opened_by=director_user
    )
    sheet = evaluation_services.save_sheet(
        round=round_,
        evaluator=evaluator_user,
        agency=agency,
        values={sub.pk: 4 for sub in round_.criteria.get().sub_criteria.all()},
    )
    return {
        "plan": plan,
        "goal": goal,
        "agency": agency,
        "milestone": milestone,
        "update": update,
        "evidence": update.evidence.get(),
        "round": round_,
        "sheet": sheet,
    }


def url_kwargs(world):
    """The arguments each URL with parameters is opened with."""
    plan, round_ = world["plan"].pk, world["round"].pk
    return {
        "plans:goal": {"plan_id": plan, "number": world["goal"].number},
        "plans:agency": {"plan_id": plan, "code": world["agency"].code},
        "plans:heatmap": {"plan_id": plan},
        "plans:overdue": {"plan_id": plan},
        "plans:public": {"plan_id": plan},
        "reporting:milestone": {"pk": world["milestone"].pk},
        "reporting:report": {"pk": world["milestone"].pk},
        "reporting:review": {"pk": world["update"].pk},
        "reporting:evidence": {"pk": world["evidence"].pk},
        "evaluations:round": {"pk": round_},
        "evaluations:close": {"pk": round_},
        "evaluations:lock": {"pk": round_},
        "evaluations:score": {"pk": round_, "agency_pk": world["agency"].pk},
        "evaluations:sheet": {"pk": round_, "sheet_pk": world["sheet"].pk},
        "evaluations:results": {"pk": round_},
        "evaluations:correct": {"pk": round_},
        "evaluations:report": {"pk": round_},
        "evaluations:export": {"pk": round_},
        "evaluations:scorecard": {"pk": round_, "agency_pk": world["agency"].pk},
        "evaluations:measured": {"pk": round_},
        "monitoring:agency": {"code": world["agency"].code},
        "monitoring:sources": {"code": world["agency"].code},
    }


def url_of(name, world):
    return reverse(name, kwargs=url_kwargs(world).get(name, {}))


# Pages that only read: GET and HEAD. (The others are forms, answering GET and POST, or actions, POST only.)
READ_ONLY = {
    "home",
    "start",
    "favicon",
    "plans:goal",
    "plans:agency",
    "plans:heatmap",
    "plans:overdue",
    "plans:public",
    "reporting:my_agency",
    "reporting:milestone",
    "reporting:review_queue",
    "reporting:evidence",
    "spreadsheets:export",
    "spreadsheets:agency_sheet_download",
    "spreadsheets:agency_sheet_preview",
    "evaluations:my_scorecards",
    "evaluations:round",
    "evaluations:sheet",
    "evaluations:results",
    "evaluations:report",
    "evaluations:export",
    "evaluations:scorecard",
    "monitoring:websites",
    "monitoring:agency",
}


def test_the_walk_finds_every_app():
    names = site_url_names()
    assert {"home", "login", "plans:public", "reporting:report", "spreadsheets:export", "evaluations:export"} <= set(
        names
    )
    assert not any(name.startswith("admin:") for name in names)
    assert set(names) >= READ_ONLY, "READ_ONLY names a URL that no longer exists"


def test_every_url_with_parameters_has_arguments_here(world):
    for name in site_url_names():
        url_of(name, world)  # NoReverseMatch: add the URL to url_kwargs()


# Pages open without logging in (the login page sends a signed-in person on, whatever the method).
OPEN_PAGES = {"login", "logout", "set_language", "favicon", "plans:public"}


@pytest.mark.parametrize("method", ODD_METHODS)
def test_every_page_refuses_odd_methods_with_405(client, world, director_user, method):
    anonymous = {name: client.generic(method, url_of(name, world)).status_code for name in sorted(OPEN_PAGES)}
    client.force_login(director_user)
    signed_in = {
        name: client.generic(method, url_of(name, world)).status_code
        for name in site_url_names()
        if name not in OPEN_PAGES
    }
    answers = anonymous | signed_in
    assert answers == dict.fromkeys(answers, 405)
    assert len(answers) == len(site_url_names())


@pytest.mark.parametrize("method", ["POST", *ODD_METHODS])
def test_read_only_pages_refuse_everything_but_get_and_head(client, world, director_user, method):
    client.force_login(director_user)
    answers = {name: client.generic(method, url_of(name, world)).status_code for name in sorted(READ_ONLY)}
    assert answers == dict.fromkeys(answers, 405)


def test_read_only_pages_answer_head(client, world, director_user):
    client.force_login(director_user)
    for name in sorted(READ_ONLY):
        assert client.head(url_of(name, world)).status_code in {200, 301, 302, 403, 404}, name


def test_every_response_to_a_signed_in_person_is_private_and_not_stored(client, world, director_user):
    client.force_login(director_user)
    seen = {}
    for name in site_url_names():
        if name == "logout":
            continue  # logging out would end the session this test walks with
        response = client.get(url_of(name, world))
        seen[name] = response.status_code
        cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= cache_control, f"{name}: {response.get('Cache-Control')}"
    # The walk really opened the pages and the files, not only refusals.
    opened = {name for name, status in seen.items() if status == 200}
    assert {"home", "plans:goal", "reporting:evidence", "spreadsheets:export", "evaluations:export"} <= opened


@pytest.mark.parametrize(
    ("name", "query", "content_type"),
    [
        ("spreadsheets:export", {}, "spreadsheetml"),
        ("spreadsheets:export", {"format": "csv"}, "text/csv"),
        ("spreadsheets:agency_sheet_download", {}, "spreadsheetml"),
        ("evaluations:export", {}, "spreadsheetml"),
        ("reporting:evidence", {}, "application/pdf"),
    ],
)
def test_exports_and_downloads_are_not_stored(client, world, director_user, name, query, content_type):
    client.force_login(director_user)
    if name == "spreadsheets:agency_sheet_download":
        query = {"agency": world["agency"].code}
    response = client.get(url_of(name, world), query)
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_stay_cacheable_for_anonymous_visitors(client, world):
    for url in (reverse("plans:public", args=[world["plan"].pk]), reverse("login")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "") or url == reverse("login")
        assert "private" not in response.get("Cache-Control", "") or url == reverse("login")
    public = client.get(reverse("plans:public", args=[world["plan"].pk]))
    assert "Cache-Control" not in public


def test_the_public_page_is_private_when_a_signed_in_person_reads_it(client, world, viewer_user):
    client.force_login(viewer_user)
    response = client.get(reverse("plans:public", args=[world["plan"].pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
