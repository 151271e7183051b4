"""The public bulletins, progress reports and counties in the API: what each role reads, the frozen figures,
drafts never shown, filters in Persian, and query counts that do not grow with the rows."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Round
from plans.models import ProgressUpdate
from publishing import services as publishing_services
from publishing.models import Bulletin
from tests import factories
from tests.publishing.conftest import make_world

pytestmark = pytest.mark.django_db

PUBLISHED_ON = datetime.date(2026, 9, 28)  # ۱۴۰۵/۰۷/۰۶
ERRATUM_ON = datetime.date(2026, 10, 5)  # ۱۴۰۵/۰۷/۱۳


@pytest.fixture
def bulletin_world(director_user, evaluator_user):
    world = make_world(director_user, evaluator_user)
    summer = publishing_services.create_draft(round=world["summer"], plan=world["plan"], by=director_user)
    summer = publishing_services.publish(
        bulletin=summer, published_on=PUBLISHED_ON, expected_version=summer.version, by=director_user
    )
    publishing_services.add_erratum(
        bulletin=summer, text="رتبه شرکت گاز اصلاح شد.", published_on=ERRATUM_ON, by=director_user
    )
    world["published"] = summer
    world["draft"] = publishing_services.create_draft(round=world["spring"], plan=world["plan"], by=director_user)
    return world


def test_anonymous_lists_published_bulletins_only(client, bulletin_world):
    body = client.get(reverse("api:bulletins")).json()
    assert [row["id"] for row in body["results"]] == [bulletin_world["published"].pk]
    row = body["results"][0]
    assert row["quarter"] == {"year": 1405, "quarter": 2, "code": "1405-2"}
    assert row["published_on"] == "2026-09-28"
    assert row["published_on_jalali"] == "1405/07/06"
    assert row["url"].endswith(bulletin_world["published"].get_absolute_url())


def test_a_bulletin_is_its_frozen_figures_with_dated_errata(client, bulletin_world):
    bulletin = bulletin_world["published"]
    body = client.get(reverse("api:bulletin", args=[bulletin.pk])).json()
    assert body["id"] == bulletin.pk
    assert body["quarter_end"] == "2026-09-22"
    assert body["quarter_end_jalali"] == "1405/06/31"
    assert [row["agency_code"] for row in body["agencies"]] == [row["agency"] for row in bulletin.figures["ranking"]]
    assert [goal["goal_number"] for goal in body["goals"]] == [1, 2]
    assert body["errata"] == [{"date": "2026-10-05", "date_jalali": "1405/07/13", "text": "رتبه شرکت گاز اصلاح شد."}]
    # The same keys and values as the open data's JSON download.
    download = client.get(reverse("publishing:data_json", args=[bulletin.pk]))
    opendata = json.loads(download.content)
    assert {key: value for key, value in body.items() if key not in {"id", "quarter_end_jalali"}} == opendata


def test_a_later_report_leaves_the_published_figures_unchanged(client, bulletin_world):
    bulletin = bulletin_world["published"]
    before = client.get(reverse("api:bulletin", args=[bulletin.pk])).json()
    ProgressUpdate.objects.update(progress=90)
    assert client.get(reverse("api:bulletin", args=[bulletin.pk])).json() == before


def test_a_draft_is_a_404_even_to_the_director(client, bulletin_world):
    url = reverse("api:bulletin", args=[bulletin_world["draft"].pk])
    assert client.get(url).status_code == 404
    client.force_login(bulletin_world["director"])
    assert client.get(url).status_code == 404
    listed = client.get(reverse("api:bulletins")).json()["results"]
    assert bulletin_world["draft"].pk not in [row["id"] for row in listed]


def test_bulletins_refuse_unknown_parameters_in_persian(client, bulletin_world):
    response = client.get(reverse("api:bulletins"), {"status": "draft"})
    assert response.status_code == 400
    assert "status" in response.json()["non_field_errors"][0]


# --- reports -----------------------------------------------------------------------------


@pytest.fixture
def report_world(db):
    agency_a = factories.AgencyFactory(code="education")
    agency_b = factories.AgencyFactory(code="gas")
    plan = factories.StrategicPlanFactory(year=1405)
    goal = factories.GoalFactory(plan=plan, number=1)
    a = factories.MilestoneFactory(goal=goal, agency=agency_a, due_date=datetime.date(2026, 10, 15))
    b = factories.MilestoneFactory(goal=goal, agency=agency_b, due_date=datetime.date(2026, 10, 15))
    officer_a = factories.officer(agency_a, username="officer-a")
    director = factories.director(username="dg")
    moment = timezone.make_aware(datetime.datetime(2026, 10, 1, 12, 30))  # ۱۴۰۵/۰۷/۰۹
    report_a = ProgressUpdate.objects.create(
        milestone=a, status="in_progress", progress=30, author=officer_a, note="NOTE-a", created_at=moment
    )
    returned_a = ProgressUpdate.objects.create(
        milestone=a,
        status="in_progress",
        progress=50,
        author=officer_a,
        created_at=moment + datetime.timedelta(days=10),
        review_state="returned",
        review_reason="شواهد کافی نیست",
        reviewed_by=director,
        reviewed_at=moment + datetime.timedelta(days=11),
    )
    report_b = ProgressUpdate.objects.create(
        milestone=b, status="delayed", progress=10, author=director, created_at=moment
    )
    return {
        "a": agency_a,
        "plan": plan,
        "officer_a": officer_a,
        "director": director,
        "report_a": report_a,
        "returned_a": returned_a,
        "report_b": report_b,
        "milestone_a": a,
    }


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_an_officer_reads_their_own_agencys_reports_newest_first(client, report_world):
    w = report_world
    client.force_login(w["officer_a"])
    response = client.get(reverse("api:reports"))
    assert ids(response) == [w["returned_a"].pk, w["report_a"].pk]
    assert client.get(reverse("api:report", args=[w["report_b"].pk])).status_code == 404
    returned = response.json()["results"][0]
    assert returned["review_state"] == "returned"
    assert returned["return_reason"] == "شواهد کافی نیست"
    assert returned["reviewed_at_jalali"] == "1405/07/20 12:30"
    report = response.json()["results"][1]
    assert report["created_at"] == "2026-10-01T12:30:00+03:30"
    assert report["created_at_jalali"] == "1405/07/09 12:30"
    assert report["milestone"]["due_date_jalali"] == "1405/07/23"
    assert report["return_reason"] is None
    for field in ("note", "author", "reviewed_by", "evidence"):
        assert field not in report
    assert "NOTE-a" not in response.content.decode()


def test_the_council_reads_every_report_without_return_reasons(client, report_world):
    w = report_world
    client.force_login(w["director"])
    response = client.get(reverse("api:reports"))
    assert set(ids(response)) == {w["report_a"].pk, w["returned_a"].pk, w["report_b"].pk}
    assert all(row["return_reason"] is None for row in response.json()["results"])
    assert client.get(reverse("api:reports")).status_code == 200
    client.logout()
    assert client.get(reverse("api:reports")).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"review_state": "returned"}, ["returned_a"]),
        ({"review_state": "بازگشت برای اصلاح"}, ["returned_a"]),
        ({"status": "delayed"}, ["report_b"]),
        ({"reported_from": "۱۴۰۵/۰۷/۱۰"}, ["returned_a"]),
        ({"reported_to": "1405/07/09", "agency": "A"}, ["report_a"]),
        ({"milestone": "MA"}, ["returned_a", "report_a"]),
    ],
)
def test_report_filters(client, report_world, query, expected):
    w = report_world
    query = {
        key: {"A": str(w["a"].pk), "MA": str(w["milestone_a"].pk)}.get(value, value) for key, value in query.items()
    }
    client.force_login(w["director"])
    response = client.get(reverse("api:reports"), query)
    assert response.status_code == 200, response.content
    assert ids(response) == [w[name].pk for name in expected]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"reported_from": "1405/13/01"}, "reported_from"),
        ({"reported_from": "1405/08/01", "reported_to": "1405/07/01"}, "reported_to"),
        ({"review_state": "lost"}, "review_state"),
        ({"agency": "x"}, "agency"),
    ],
)
def test_bad_report_filters_are_a_400_in_persian(client, report_world, query, field):
    client.force_login(report_world["director"])
    response = client.get(reverse("api:reports"), query)
    assert response.status_code == 400
    message = response.json()[field][0]
    assert any("\u0600" <= char <= "\u06ff" for char in message), message


def test_counties_are_public(client, report_world):
    county = report_world["a"].county
    body = client.get(reverse("api:counties")).json()
    assert {"id": county.pk, "name": county.name} in body["results"]
    assert client.get(reverse("api:county", args=[county.pk])).json() == {"id": county.pk, "name": county.name}


# --- query counts ------------------------------------------------------------------------------


def many_bulletins(count):
    director = factories.director(username=f"dg-{count}")
    plan = factories.StrategicPlanFactory(year=1400)
    rounds = Round.objects.bulk_create(
        Round(year=1300 + n // 4, quarter=n % 4 + 1, deadline=datetime.date(2026, 1, 1), opened_by=director)
        for n in range(count)
    )
    now = timezone.now()
    Bulletin.objects.bulk_create(
        Bulletin(
            round=round_,
            plan=plan,
            status=Bulletin.Status.PUBLISHED,
            press_text="متن",
            figures={"quarter": {"year": round_.year}},
            published_on=now.date(),
            published_at=now,
        )
        for round_ in rounds
    )


def many_reports(count):
    agency = factories.AgencyFactory(code=f"bulk-{count}")
    author = factories.officer(agency, username=f"bulk-officer-{count}")
    milestones = [factories.MilestoneFactory(agency=agency) for _ in range(3)]
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(milestone=milestones[n % 3], status="in_progress", progress=n % 100, author=author)
        for n in range(count)
    )
    for n in range(count // 10):
        factories.CountyFactory(name=f"شهرستان {count}-{n}")
    return author


SESSION = 3  # session, user, membership


@pytest.mark.parametrize("size", [10, 120])
def test_query_counts_do_not_depend_on_the_size(client, django_assert_num_queries, size):
    many_bulletins(size)
    officer = many_reports(size)
    with django_assert_num_queries(1):  # anonymous: the bulletins
        assert client.get(reverse("api:bulletins")).json()["results"]
    with django_assert_num_queries(1):
        assert client.get(reverse("api:counties")).json()["results"]
    client.force_login(officer)
    with django_assert_num_queries(SESSION + 1):  # the reports with their milestones, goals and agencies
        assert client.get(reverse("api:reports")).json()["results"]
    with django_assert_num_queries(2 + 1):  # session, user (no rule asked: no membership), the counties
        assert client.get(reverse("api:counties")).json()["results"]


def test_a_bulletins_query_count(client, bulletin_world, django_assert_num_queries):
    url = reverse("api:bulletin", args=[bulletin_world["published"].pk])
    publishing_services.invalidate_public_cache()
    with django_assert_num_queries(2):  # the bulletin, its errata
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):  # then from the public cache, until the next publish or erratum
        assert client.get(url).status_code == 200
