"""The read-only API: what each role sees, filters, dates and numbers, pagination and query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from api.services import create_token
from evaluations import services as evaluation_services
from persian.jalali import Quarter
from plans.models import Milestone, ProgressUpdate, Status, StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")


@pytest.fixture
def world(db):
    agency_a = factories.AgencyFactory(code="education", name="آموزش و پرورش")
    agency_b = factories.AgencyFactory(code="gas", name="شرکت گاز")
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, is_public=True, year=1405)
    draft = factories.StrategicPlanFactory(status=StrategicPlan.Status.DRAFT, is_public=False, title="پیش‌نویس")
    goal = factories.GoalFactory(plan=plan, number=1, owner=agency_a)
    goal_2 = factories.GoalFactory(plan=plan, number=2)
    milestones = {
        "a_autumn": factories.MilestoneFactory(
            goal=goal, agency=agency_a, due_date=datetime.date(2026, 10, 15), progress=40
        ),
        "a_summer_done": factories.MilestoneFactory(
            goal=goal_2, agency=agency_a, due_date=datetime.date(2026, 7, 1), status=Status.DONE, progress=100
        ),
        "b_autumn": factories.MilestoneFactory(goal=goal, agency=agency_b, due_date=datetime.date(2026, 10, 20)),
    }
    return {
        "a": agency_a,
        "b": agency_b,
        "plan": plan,
        "draft": draft,
        "goal": goal,
        "milestones": milestones,
        "officer_a": factories.officer(agency_a, username="officer-a"),
        "officer_b": factories.officer(agency_b, username="officer-b"),
        "director": factories.director(username="dg"),
        "evaluator": factories.evaluator(username="ev"),
    }


def get(client, url, user=None, **query):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, query, HTTP_ACCEPT="application/json")


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- who sees what --------------------------------------------------------------------


def test_officer_sees_only_own_agencys_milestones(client, world):
    response = get(client, reverse("api:milestones"), world["officer_a"])
    assert response.status_code == 200
    assert ids(response) == {world["milestones"]["a_autumn"].pk, world["milestones"]["a_summer_done"].pk}
    # Asking for agency B's by filter gives nothing, and B's milestone itself is a 404 (not a 403).
    assert ids(get(client, reverse("api:milestones"), world["officer_a"], agency=world["b"].pk)) == set()
    other = reverse("api:milestone", args=[world["milestones"]["b_autumn"].pk])
    response = get(client, other, world["officer_a"])
    assert response.status_code == 404
    assert "Milestone" not in response.content.decode()


def test_council_sees_every_milestone(client, world):
    everything = {milestone.pk for milestone in world["milestones"].values()}
    for role in ("director", "evaluator"):
        assert ids(get(client, reverse("api:milestones"), world[role])) == everything


def test_anonymous_sees_what_the_public_page_shows(client, world):
    plans = get(client, reverse("api:plans"))
    assert ids(plans) == {world["plan"].pk}
    assert get(client, reverse("api:plan", args=[world["draft"].pk])).status_code == 404
    goals = get(client, reverse("api:goals", args=[world["plan"].pk])).json()["results"]
    assert [goal["number"] for goal in goals] == [1, 2]
    for url in (reverse("api:milestones"), reverse("api:agencies"), reverse("api:rounds")):
        response = get(client, url)
        assert response.status_code == 401
        assert PERSIAN_LETTERS.search(response.json()["detail"])
        assert response["WWW-Authenticate"].startswith("Token")
    # Once a plan is no longer public, nothing of it is.
    StrategicPlan.objects.filter(pk=world["plan"].pk).update(is_public=False)
    assert get(client, reverse("api:goals", args=[world["plan"].pk])).status_code == 404
    assert get(client, reverse("api:goal", args=[world["goal"].pk])).status_code == 404


def test_members_see_draft_plans_as_on_the_dashboard(client, world):
    assert ids(get(client, reverse("api:plans"), world["officer_b"])) == {world["plan"].pk, world["draft"].pk}


def test_goal_progress_matches_the_dashboard(client, world):
    response = get(client, reverse("api:goals", args=[world["plan"].pk]), world["officer_b"])
    goals = {goal["number"]: goal for goal in response.json()["results"]}
    assert goals[1]["progress"] == 40  # (40 + 40) / 2
    assert goals[2]["progress"] == 100
    assert goals[2]["done_count"] == 1
    assert goals[1]["owner"] == {"id": world["a"].pk, "code": "education", "name": "آموزش و پرورش"}
    plan = get(client, reverse("api:plan", args=[world["plan"].pk]), world["officer_b"]).json()
    assert plan["progress"] == 70.0  # goals 40 and 100, equal weights
    assert isinstance(plan["progress"], float)


def test_agency_figures(client, world):
    response = get(client, reverse("api:agency_figures", args=[world["plan"].pk]), world["officer_b"])
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["education"]["progress"] == 70  # (40 + 100) / 2
    assert rows["education"]["milestone_count"] == 2
    assert rows["gas"]["progress"] == 40
    assert rows["gas"]["last_reported_at"] is None


# --- dates and numbers ------------------------------------------------------------------


def test_dates_come_as_iso_and_jalali_and_numbers_as_numbers(client, world):
    milestone = world["milestones"]["a_autumn"]
    factories.ProgressUpdateFactory(
        milestone=milestone,
        progress=40,
        author=world["officer_a"],
        created_at=datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC),
    )
    row = get(client, reverse("api:milestone", args=[milestone.pk]), world["officer_a"]).json()
    assert row["due_date"] == "2026-10-15"
    assert row["due_date_jalali"] == "1405/07/23"
    assert row["start_date_jalali"] == "1405/01/01"
    assert row["last_reported_at"] == "2026-10-01T12:30:00+03:30"  # Tehran time, ISO 8601
    assert row["last_reported_at_jalali"] == "1405/07/09 12:30"
    assert row["progress"] == 40
    assert row["status"] == "in_progress"
    assert row["status_label"] == "در حال اجرا"
    assert row["last_review_state"] == ProgressUpdate.ReviewState.SUBMITTED


# --- filters: the persian.forms fields, one input layer -------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"due_from": "۱۴۰۵/۰۷/۲۵", "due_to": "۱۴۰۵/۰۷/۳۰"}, {"b_autumn"}),  # 2026-10-20
        ({"due_from": "1405-07-01"}, {"a_autumn", "b_autumn"}),
        ({"due_to": "٢٠٢٦/٠٧/٠١"}, {"a_summer_done"}),  # Arabic-Indic digits, a Gregorian year
        ({"quarter": "۱۴۰۵-۳"}, {"a_autumn", "b_autumn"}),
        ({"quarter": "1405 - 2"}, {"a_summer_done"}),
        ({"status": "انجام شده"}, {"a_summer_done"}),  # the label, typed with a space for the half-space
        ({"status": "done"}, {"a_summer_done"}),
        ({"category": "خدمات عمومی"}, {"a_autumn", "a_summer_done", "b_autumn"}),
        ({"goal": "goal"}, {"a_autumn", "b_autumn"}),
        ({"agency": "b"}, {"b_autumn"}),
        ({"plan": "draft"}, set()),
    ],
)
def test_milestone_filters(client, world, query, expected):
    objects = {"goal": world["goal"].pk, "b": world["b"].pk, "draft": world["draft"].pk}
    from persian.jalali import to_persian_digits

    query = {key: to_persian_digits(objects[value]) if value in objects else value for key, value in query.items()}
    response = get(client, reverse("api:milestones"), world["director"], **query)
    assert response.status_code == 200, response.content
    assert ids(response) == {world["milestones"][name].pk for name in expected}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"due_from": "1405/07/31"}, "due_from"),  # no 31st in Mehr
        ({"due_from": "1499/13/01"}, "due_from"),
        ({"due_to": "1200/01/01"}, "due_to"),
        ({"due_from": "1405/08/01", "due_to": "1405/07/01"}, "due_to"),
        ({"quarter": "1405-5"}, "quarter"),
        ({"quarter": "Q3"}, "quarter"),
        ({"status": "finished"}, "status"),
        ({"agency": "-1"}, "agency"),
        ({"agency": "9" * 5000}, "agency"),
        ({"plan": "1.5"}, "plan"),
        ({"county": "x"}, "county"),
        ({"colour": "red"}, "non_field_errors"),
    ],
)
def test_bad_filters_are_a_400_in_persian(client, world, query, field):
    response = get(client, reverse("api:milestones"), world["director"], **query)
    assert response.status_code == 400
    messages = response.json()[field]
    assert messages
    assert all(PERSIAN_LETTERS.search(message) for message in messages)


def test_bad_scope_filters_on_goals_and_agency_figures(client, world):
    for name in ("api:goals", "api:agency_figures"):
        response = get(client, reverse(name, args=[world["plan"].pk]), world["director"], quarter="۱۴۰۵-۹")
        assert response.status_code == 400
        assert PERSIAN_LETTERS.search(response.json()["quarter"][0])


def test_agency_filters(client, world):
    url = reverse("api:agencies")
    county = world["b"].county
    from persian.jalali import to_persian_digits

    response = get(client, url, world["officer_a"], county=to_persian_digits(county.pk))
    assert ids(response) == {world["b"].pk}
    assert ids(get(client, url, world["officer_a"], category="services")) == {world["a"].pk, world["b"].pk}
    assert ids(get(client, url, world["officer_a"], category="governance")) == set()
    bad = get(client, url, world["officer_a"], category="نامعلوم")
    assert bad.status_code == 400
    assert PERSIAN_LETTERS.search(bad.json()["category"][0])


# --- evaluation rounds: frozen results, the rules' visibility ------------------------------------


@pytest.fixture
def locked_round(world):
    scored = factories.SubCriterionFactory()
    round_ = evaluation_services.open_round(
        quarter=Quarter(1405, 2), deadline=datetime.date(2026, 9, 30), opened_by=world["director"]
    )
    subs = round_.criteria.get().sub_criteria.all()
    assert subs.count() == 1
    assert subs.get().name == scored.name
    for agency, value, note in ((world["a"], 5, "NOTE-A-9f3"), (world["b"], 2, "NOTE-B-7c1")):
        evaluation_services.save_sheet(
            round=round_,
            evaluator=world["evaluator"],
            agency=agency,
            values={sub.pk: value for sub in subs},
            private_note=note,
            public_comment="نظر",
        )
    evaluation_services.close_round(round=round_, by=world["director"])
    round_.refresh_from_db()
    evaluation_services.lock_round(round=round_, by=world["director"])
    round_.refresh_from_db()
    return round_


def test_results_are_the_frozen_ones_and_officers_see_their_own_row(client, world, locked_round):
    url = reverse("api:round_results", args=[locked_round.pk])
    council = get(client, url, world["evaluator"]).json()
    assert council["frozen"] is True
    rows = {row["agency"]["code"]: row for row in council["results"]}
    assert set(rows) == {"education", "gas"}
    assert rows["education"]["rank"] == 1
    assert isinstance(rows["education"]["final_score"], float)
    stored = locked_round.results.get(agency=world["a"])
    assert rows["education"]["final_score"] == float(stored.final_score)
    assert rows["education"]["tier"] == stored.tier
    officer = get(client, url, world["officer_b"]).json()
    assert [row["agency"]["code"] for row in officer["results"]] == ["gas"]
    # Nothing private: no evaluator's name, no private note.
    for response in (get(client, url, world["evaluator"]), get(client, url, world["officer_b"])):
        body = response.content.decode()
        assert "NOTE-" not in body
        assert "ev" not in re.findall(r'"([a-z]+)"', body)
        assert "evaluator" not in body
        assert "opened_by" not in body


def test_a_later_report_leaves_frozen_results_unchanged(client, world, locked_round):
    url = reverse("api:round_results", args=[locked_round.pk])
    before = get(client, url, world["director"]).json()
    milestone = world["milestones"]["a_summer_done"]
    Milestone.objects.filter(pk=milestone.pk).update(progress=0, status=Status.NOT_STARTED)
    assert get(client, url, world["director"]).json() == before


def test_open_round_results_are_the_directors_alone(client, world):
    factories.SubCriterionFactory()
    round_ = evaluation_services.open_round(
        quarter=Quarter(1405, 3), deadline=datetime.date(2026, 12, 30), opened_by=world["director"]
    )
    url = reverse("api:round_results", args=[round_.pk])
    assert get(client, url, world["director"]).json()["frozen"] is False
    assert get(client, url, world["evaluator"]).status_code == 404
    assert get(client, url, world["officer_a"]).status_code == 404
    assert get(client, reverse("api:rounds"), world["officer_a"]).json()["results"] == []


# --- pagination and query counts -----------------------------------------------------------------


def grow(plan, agencies, count):
    goals = list(plan.goals.all())
    author = factories.UserFactory(username=f"bulk-author-{count}")
    milestones = Milestone.objects.bulk_create(
        Milestone(
            goal=goals[n % len(goals)],
            agency=agencies[n % len(agencies)],
            title=f"گام انبوه {n}",
            start_date=datetime.date(2026, 3, 21),
            due_date=datetime.date(2026, 4, 1) + datetime.timedelta(days=n % 300),
            progress=n % 100,
        )
        for n in range(count)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(milestone=m, status=m.status, progress=m.progress, author=author) for m in milestones
    )
    for n in range(count // 10):
        factories.AgencyFactory(code=f"extra-{count}-{n}")


def test_cursor_pages_walk_every_milestone_once(client, world):
    grow(world["plan"], [world["a"], world["b"]], 120)
    client.force_login(world["director"])
    url, seen, pages = reverse("api:milestones"), [], 0
    while url:
        body = client.get(url, HTTP_ACCEPT="application/json").json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == Milestone.objects.count()
    assert seen == sorted(seen)


# session, user, membership; then the endpoint's own queries, whatever the number of rows.
SESSION = 3
QUERIES = {
    "api:plans": 1,
    "api:goals": 2,  # the plan, the goals with figures (and their owner)
    "api:agency_figures": 2,  # the plan, the agencies with figures
    "api:agencies": 1,
    "api:milestones": 1,
    # The rounds; for an officer the rules refuse evaluations.view_round, so Django's model backend is asked
    # too (their user and group permissions: two queries, once per request).
    "api:rounds": 3,
}


@pytest.mark.parametrize("size", [10, 300])
def test_query_counts_do_not_depend_on_the_size(client, world, django_assert_num_queries, size):
    grow(world["plan"], [world["a"], world["b"]], size)
    factories.SubCriterionFactory()
    evaluation_services.open_round(
        quarter=Quarter(1405, 3), deadline=datetime.date(2026, 12, 30), opened_by=world["director"]
    )
    client.force_login(world["officer_a"])
    plan = world["plan"].pk
    for name, count in QUERIES.items():
        url = reverse(name, args=[plan] if name in {"api:goals", "api:agency_figures"} else [])
        with django_assert_num_queries(SESSION + count):
            response = client.get(url, HTTP_ACCEPT="application/json")
            assert response.status_code == 200
            assert response.json()["results"] or name == "api:rounds"


def test_query_counts_with_a_token(client, world, django_assert_num_queries):
    """A token costs one look-up (the token, its user and membership at once) and at most one update a minute."""
    grow(world["plan"], [world["a"], world["b"]], 100)
    _, secret = create_token(user=world["officer_a"], name="counts")
    headers = {"HTTP_AUTHORIZATION": f"Token {secret}", "HTTP_ACCEPT": "application/json"}
    with django_assert_num_queries(2 + QUERIES["api:milestones"]):  # token + last used, the milestones
        assert client.get(reverse("api:milestones"), **headers).status_code == 200
    with django_assert_num_queries(1 + QUERIES["api:milestones"]):  # used a moment ago: no update
        assert client.get(reverse("api:milestones"), **headers).status_code == 200
