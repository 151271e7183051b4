"""The progress pages: hand-computed figures, the permission ladder, the public page, query counts, print."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from plans.models import Goal, Milestone, ProgressUpdate, Status, StrategicPlan, agency_figures
from tests import factories

pytestmark = pytest.mark.django_db


def moment(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


@pytest.fixture
def fixture(db):
    """A plan small enough to compute by hand.

    G1 (weight 2): M1 A 40% w1 (due 1405 Q1, overdue), M2 A done w3 (Q2), M3 B delayed 10% w2 (due 2027, Q4)
    G2 (weight 1): M4 B 30% w1 (Q1, overdue), M5 A cancelled w5 (Q1)
    G3 (weight 1): no milestones.
    """
    c1 = factories.CountyFactory(name="یاسوج")
    c2 = factories.CountyFactory(name="گچساران")
    a = factories.AgencyFactory(name="آموزش و پرورش", code="education", county=c1, category=Agency.Category.SOCIAL)
    b = factories.AgencyFactory(name="شرکت گاز", code="gas", county=c2, category=Agency.Category.SERVICES)
    plan = factories.StrategicPlanFactory(title="برنامه ۱۴۰۵", year=1405, status=StrategicPlan.Status.ACTIVE)
    g1 = factories.GoalFactory(plan=plan, number=1, weight=2, title="برنامه‌محوری")
    g2 = factories.GoalFactory(plan=plan, number=2, weight=1, title="بانک اطلاعات")
    g3 = factories.GoalFactory(plan=plan, number=3, weight=1, title="پورتال‌ها")
    ms = {}

    def milestone(key, goal, agency, weight, status, progress, due):
        ms[key] = factories.MilestoneFactory(
            goal=goal,
            agency=agency,
            weight=weight,
            status=status,
            progress=progress,
            start_date=datetime.date(2026, 3, 21),
            due_date=due,
            title=f"گام {key}",
        )

    milestone("M1", g1, a, 1, Status.IN_PROGRESS, 40, datetime.date(2026, 5, 1))
    milestone("M2", g1, a, 3, Status.DONE, 100, datetime.date(2026, 8, 1))
    milestone("M3", g1, b, 2, Status.DELAYED, 10, datetime.date(2027, 3, 1))
    milestone("M4", g2, b, 1, Status.IN_PROGRESS, 30, datetime.date(2026, 5, 10))
    milestone("M5", g2, a, 5, Status.CANCELLED, 0, datetime.date(2026, 5, 10))
    author = factories.UserFactory(username="reporter", first_name="گزارشگر")
    for key, when, status, progress in [
        ("M1", moment(2026, 5, 1), Status.IN_PROGRESS, 20),
        ("M1", moment(2026, 7, 1), Status.IN_PROGRESS, 40),
        ("M2", moment(2026, 6, 1), Status.IN_PROGRESS, 50),
        ("M2", moment(2026, 8, 1), Status.DONE, 100),
        ("M3", moment(2026, 10, 1), Status.DELAYED, 10),
        ("M4", moment(2026, 4, 15), Status.IN_PROGRESS, 30),
    ]:
        factories.ProgressUpdateFactory(
            milestone=ms[key], created_at=when, status=status, progress=progress, author=author
        )
    return {"plan": plan, "a": a, "b": b, "c1": c1, "c2": c2, "goals": (g1, g2, g3), **ms}


# --- the figures, computed by hand -------------------------------------------------------
# G1 = (40×1 + 100×3 + 10×2) / (1+3+2) = 360/6 = 60; G2 = 30×1/1 = 30 (M5 cancelled); G3 has none.
# Plan = (2×60 + 1×30) / (2+1) = 50.0 (G3 left out). Agency A = (40 + 300)/4 = 85; B = (20 + 30)/3 = 16.7 → 17.


def test_goal_figures(fixture):
    goals = {g.number: g for g in Goal.objects.for_dashboard(fixture["plan"])}
    assert [goals[n].progress for n in (1, 2, 3)] == [60, 30, 0]
    assert [goals[n].milestone_count for n in (1, 2, 3)] == [3, 1, 0]
    assert [goals[n].done_count for n in (1, 2, 3)] == [1, 0, 0]
    assert [goals[n].overdue_count for n in (1, 2, 3)] == [1, 1, 0]


def test_plan_progress_and_counts(fixture):
    milestones = Milestone.objects.in_plan(fixture["plan"])
    assert milestones.plan_progress() == 50.0
    counts = milestones.status_counts()
    assert counts == {
        "not_started": 0,
        "in_progress": 2,
        "done": 1,
        "delayed": 1,
        "cancelled": 1,
        "total": 5,
        "overdue": 2,
        # Every counted milestone's latest report awaits review (the fixture reviews none).
        "awaiting_review": 4,
        "returned": 0,
    }


def test_trend_takes_each_milestone_latest_report_at_each_moment(fixture):
    milestones = Milestone.objects.in_plan(fixture["plan"])
    # 21 June 2026 (end of 1405 Q1): M1 20, M2 50, M3 0, M4 30 → G1 = 170/6, plan = (2×28.33 + 30)/3 = 28.9
    # 22 September (end of Q2): M1 40, M2 100 → G1 = 340/6, plan = (2×56.67 + 30)/3 = 47.8; now: 50.0
    ends = [moment(2026, 6, 21), moment(2026, 9, 22), timezone.now()]
    assert milestones.progress_trend(ends) == [28.9, 47.8, 50.0]


def test_agency_figures(fixture):
    agencies = {a.code: a for a in agency_figures().with_plan_progress(fixture["plan"])}
    assert (agencies["education"].progress, agencies["gas"].progress) == (85, 17)
    assert (agencies["education"].milestone_count, agencies["gas"].milestone_count) == (3, 2)


def test_filters_narrow_the_milestones(fixture):
    plan = fixture["plan"]
    from persian.jalali import Quarter
    from plans.models import milestone_scope

    in_county = Milestone.objects.in_plan(plan).filter(milestone_scope(county=fixture["c1"]))
    assert in_county.plan_progress() == 85.0  # A only: G1 = 85, G2 has only the cancelled M5
    services = Milestone.objects.in_plan(plan).filter(milestone_scope(category=Agency.Category.SERVICES))
    assert services.plan_progress() == 16.7  # (2×10 + 30)/3
    first_quarter = Milestone.objects.in_plan(plan).filter(milestone_scope(quarter=Quarter(1405, 1)))
    assert first_quarter.plan_progress() == 36.7  # M1, M4, M5 due in Spring: (2×40 + 30)/3


def test_heatmap_cells(fixture):
    cells = {
        (c["goal_id"], c["agency_id"]): (c["progress"], c["milestone_count"])
        for c in Milestone.objects.for_heatmap(fixture["plan"])
    }
    g1, g2, _ = fixture["goals"]
    a, b = fixture["a"], fixture["b"]
    assert cells == {(g1.pk, a.pk): (85, 2), (g1.pk, b.pk): (10, 1), (g2.pk, a.pk): (None, 1), (g2.pk, b.pk): (30, 1)}


# --- the pages ----------------------------------------------------------------------------


def test_dashboard_shows_the_figures_in_persian(client, director_user, fixture):
    client.force_login(director_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["overall"] == 50.0
    assert "۵۰٫۰٪" in html or "۵۰.۰٪" in html
    assert 'data-count="overdue"' in html
    assert [g.progress for g in response.context["goals"]] == [60, 30, 0]
    assert [a.code for a in response.context["top_agencies"]] == ["education", "gas"]
    assert [a.code for a in response.context["bottom_agencies"]] == ["gas", "education"]
    assert response.context["trend"]["values"][:2] == [28.9, 47.8]
    assert 'id="trend-data"' in html
    assert "chart.umd.min.js" in html
    assert "وزن" in html  # the weighting is explained on the page, in Persian
    assert len(response.context["latest_reports"]) == 6


def test_an_agency_with_only_cancelled_milestones_is_not_ranked(client, director_user, fixture):
    idle = factories.AgencyFactory(code="idle")
    factories.MilestoneFactory(goal=fixture["goals"][0], agency=idle, status=Status.CANCELLED, progress=0)
    client.force_login(director_user)
    response = client.get(reverse("home"))
    assert [a.code for a in response.context["top_agencies"]] == ["education", "gas"]
    heatmap = client.get(reverse("plans:heatmap", args=[fixture["plan"].pk]), {"cols": "progress"})
    assert [a.code for a in heatmap.context["agencies"]] == ["education", "gas", "idle"]


def test_dashboard_filters(client, director_user, fixture):
    client.force_login(director_user)
    response = client.get(reverse("home"), {"plan": fixture["plan"].pk, "county": fixture["c1"].pk})
    assert response.context["overall"] == 85.0
    assert [a.code for a in response.context["top_agencies"]] == ["education"]
    assert "یاسوج" in response.content.decode().split('id="filter-summary"')[1][:200]
    response = client.get(reverse("home"), {"quarter": "1405-1"})
    assert response.context["overall"] == 36.7
    assert response.context["counts"]["total"] == 3


@pytest.mark.parametrize("query", [{"quarter": "garbage"}, {"county": "999999"}, {"category": "x"}, {"plan": "x"}])
def test_dashboard_bad_filters_show_a_message_and_change_nothing(client, director_user, fixture, query):
    client.force_login(director_user)
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    assert response.context["overall"] == 50.0


def test_goal_page(client, director_user, fixture):
    client.force_login(director_user)
    response = client.get(reverse("plans:goal", args=[fixture["plan"].pk, 1]))
    assert response.status_code == 200
    assert response.context["goal"].progress == 60
    rows = {
        r["agency__code"]: (r["progress"], r["milestone_count"], r["done_count"])
        for r in response.context["agency_rows"]
    }
    assert rows == {"education": (85, 2, 1), "gas": (10, 1, 0)}
    html = response.content.decode()
    assert "گام M1" in html
    assert "گام M3" in html
    assert client.get(reverse("plans:goal", args=[fixture["plan"].pk, 99])).status_code == 404


def test_agency_page(client, director_user, fixture):
    client.force_login(director_user)
    response = client.get(reverse("plans:agency", args=[fixture["plan"].pk, "education"]))
    assert response.status_code == 200
    assert response.context["agency"].progress == 85
    assert response.context["average"] == 51.0  # (85 + 17) / 2
    goals = {g.number: (g.agency_progress, g.progress) for g in response.context["goals"]}
    assert goals == {1: (85, 60), 2: (None, 30), 3: (None, 0)}
    assert response.context["days_since_report"] == (timezone.localdate() - datetime.date(2026, 8, 1)).days
    assert [m.title for m in response.context["milestones"]] == ["گام M1", "گام M2", "گام M5"]
    filtered = client.get(reverse("plans:agency", args=[fixture["plan"].pk, "education"]), {"goal": "2"})
    assert [m.title for m in filtered.context["milestones"]] == ["گام M5"]


def test_heatmap_page(client, director_user, fixture):
    client.force_login(director_user)
    response = client.get(reverse("plans:heatmap", args=[fixture["plan"].pk]), {"cols": "progress", "rows": "progress"})
    assert response.status_code == 200
    assert [a.code for a in response.context["agencies"]] == ["education", "gas"]
    assert [(goal.number, goal.progress) for goal, _ in response.context["grid"]] == [(1, 60), (2, 30), (3, 0)]
    html = response.content.decode()
    assert 'data-cell="1-education" data-progress="85"' in html
    assert 'data-cell="2-gas" data-progress="30"' in html
    assert 'data-cell="3-' not in html  # blank where the agency has no milestone
    assert f"/plans/{fixture['plan'].pk}/agencies/gas/?goal=1#milestones" in html


def test_overdue_page(client, director_user, fixture):
    client.force_login(director_user)
    response = client.get(reverse("plans:overdue", args=[fixture["plan"].pk]), {"days": "30"})
    assert response.status_code == 200
    assert [m.title for m in response.context["milestones"]] == ["گام M1", "گام M4"]
    # Neither agency reported in the last 30 days (last reports: August and October 2026, or earlier).
    recent = timezone.now() - datetime.timedelta(days=2)
    factories.ProgressUpdateFactory(milestone=fixture["M4"], created_at=recent, progress=30)
    response = client.get(reverse("plans:overdue", args=[fixture["plan"].pk]), {"days": "30"})
    assert [a.code for a in response.context["silent_agencies"]] == ["education"]
    assert client.get(reverse("plans:overdue", args=[fixture["plan"].pk]), {"days": "abc"}).status_code == 200


# --- who sees what ------------------------------------------------------------------------


def page_urls(plan):
    return [
        reverse("home"),
        reverse("plans:goal", args=[plan.pk, 1]),
        reverse("plans:agency", args=[plan.pk, "education"]),
        reverse("plans:heatmap", args=[plan.pk]),
        reverse("plans:overdue", args=[plan.pk]),
    ]


def test_anonymous_is_sent_to_login(client, fixture):
    for url in page_urls(fixture["plan"]):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_user_without_a_role_is_refused(client, fixture):
    client.force_login(factories.UserFactory(username="nobody"))
    for url in page_urls(fixture["plan"]):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["director_user", "evaluator_user", "viewer_user", "officer"])
def test_every_role_reads_the_plan_wide_pages(client, fixture, role, request):
    # An officer of agency B reads the plan-wide pages, agency A's page included (its figures).
    user = factories.officer(fixture["b"], username="officer-b") if role == "officer" else request.getfixturevalue(role)
    client.force_login(user)
    for url in page_urls(fixture["plan"]):
        assert client.get(url).status_code == 200, url


def test_officer_of_another_agency_sees_figures_but_not_milestones(client, fixture):
    officer = factories.officer(fixture["b"], username="officer-gas-2")
    client.force_login(officer)
    response = client.get(reverse("plans:agency", args=[fixture["plan"].pk, "education"]))
    assert response.status_code == 200
    assert response.context["agency"].progress == 85
    html = response.content.decode()
    assert 'id="milestones-hidden"' in html
    assert "گام M1" not in html
    own = client.get(reverse("plans:agency", args=[fixture["plan"].pk, "gas"]))
    assert "گام M3" in own.content.decode()


def test_officer_sees_only_their_own_agency_milestone_rows_on_plan_wide_pages(client, fixture):
    officer = factories.officer(fixture["b"], username="officer-gas-3")
    client.force_login(officer)
    html = client.get(reverse("plans:goal", args=[fixture["plan"].pk, 1])).content.decode()
    assert f'href="{fixture["M3"].get_absolute_url()}"' in html
    assert f'href="{fixture["M1"].get_absolute_url()}"' not in html
    assert fixture["M1"].title not in html
    overdue = client.get(reverse("plans:overdue", args=[fixture["plan"].pk])).content.decode()
    assert fixture["M1"].title not in overdue
    dashboard = client.get(reverse("home"))
    # The latest reports list only the officer's own agency's reports.
    assert {u.milestone.agency.code for u in dashboard.context["latest_reports"]} == {"gas"}


# --- the public page ----------------------------------------------------------------------


def test_public_page_is_off_by_default(client, fixture):
    assert client.get(reverse("plans:public", args=[fixture["plan"].pk])).status_code == 404


def test_public_page_when_the_plan_is_public(client, fixture):
    plan = fixture["plan"]
    plan.is_public = True
    plan.save()
    response = client.get(reverse("plans:public", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["overall"] == 50.0
    assert "برنامه‌محوری" in html
    assert "گزارشگر" not in html
    assert "reporter" not in html
    assert "گام M1" not in html


def test_public_page_says_when_the_latest_report_was_made(client, fixture):
    plan = fixture["plan"]
    plan.is_public = True
    plan.save()
    url = reverse("plans:public", args=[plan.pk])
    latest = ProgressUpdate.objects.filter(milestone__goal__plan=plan).order_by("-created_at").first()
    assert client.get(url).context["last_updated"] == latest.created_at
    # A report on another plan's milestone does not move it; a newer one on this plan does, and its
    # deletion moves it back (the summary's last report date, kept by the triggers).
    factories.ProgressUpdateFactory(milestone=factories.MilestoneFactory())
    assert client.get(url).context["last_updated"] == latest.created_at
    newer = factories.ProgressUpdateFactory(milestone=fixture["M1"])
    ProgressUpdate.objects.filter(pk=newer.pk).update(created_at=latest.created_at + datetime.timedelta(days=2))
    newer.refresh_from_db()
    response = client.get(url)
    assert response.context["last_updated"] == newer.created_at
    assert f'datetime="{timezone.localtime(newer.created_at).isoformat()}"' in response.content.decode()
    newer.delete()
    assert client.get(url).context["last_updated"] == latest.created_at


def test_public_page_never_shows_a_draft(client, fixture):
    plan = fixture["plan"]
    plan.is_public, plan.status = True, StrategicPlan.Status.DRAFT
    plan.save()
    assert client.get(reverse("plans:public", args=[plan.pk])).status_code == 404


# --- print --------------------------------------------------------------------------------


def test_every_page_links_the_print_stylesheet(client, director_user, fixture):
    client.force_login(director_user)
    plan = fixture["plan"]
    plan.is_public = True
    plan.save()
    for url in [*page_urls(plan), reverse("plans:public", args=[plan.pk])]:
        html = client.get(url).content.decode()
        assert 'progress-print.css" media="print"' in html, url
    css = (Path(settings.BASE_DIR) / "static" / "css" / "progress-print.css").read_text()
    assert "@page" in css
    assert "A4" in css
    assert ".no-print" in css
    assert "break-before: page" in css


# --- query counts do not grow with the data -----------------------------------------------


def grow(plan, agencies, count):
    """`count` milestones over the plan's goals and the agencies, each with one report (bulk, for speed)."""
    goals = list(plan.goals.all())
    author = factories.UserFactory(username="bulk-author")
    statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DELAYED, Status.DONE, Status.CANCELLED]
    milestones = Milestone.objects.bulk_create(
        Milestone(
            goal=goals[n % len(goals)],
            agency=agencies[n % len(agencies)],
            title=f"گام انبوه {n}",
            start_date=datetime.date(2026, 3, 21),
            due_date=datetime.date(2026, 4, 1) + datetime.timedelta(days=n % 300),
            weight=1 + n % 3,
            status=statuses[n % 5],
            progress=100 if statuses[n % 5] == Status.DONE else n % 100,
        )
        for n in range(count)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(milestone=m, status=m.status, progress=m.progress, author=author, created_at=moment(2026, 5, 1))
        for m in milestones
    )


QUERIES = {
    # session, user, membership + the page's own queries (+ the panels of feature apps: website
    # monitoring 1 on the dashboard and 2 on an agency page; reminders 2 on each).
    # Issue 15: the dashboard's overall figure and counts add up from its goals' summary rows (−2), the
    # current quarter's overdue milestones are one query (+1), the trend reads snapshots (+1; the live
    # look-up of a quarter without one, as here, +1): 14 as before. Issue 16: how many milestones'
    # figures await review or were returned, from the reports not accepted (+1).
    "home": 15,
    "plans:goal": 8,
    "plans:agency": 13,
    "plans:heatmap": 7,
    "plans:overdue": 7,
    # issue 15: overall from the goals' rows (−1), this quarter's overdue (+1);
    # issue 14: + the last report's date and the bulletins panel (publishing)
    "plans:public": 5,
}


@pytest.mark.parametrize("size", [10, 1000])
def test_query_counts_do_not_depend_on_the_size(client, django_assert_num_queries, size):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, is_public=True)
    for number in range(1, 4):
        factories.GoalFactory(plan=plan, number=number)
    agencies = [factories.AgencyFactory(website=f"https://agency{n}.example.ir/") for n in range(5)]
    grow(plan, agencies, size)
    director = factories.director(username="director-counts")
    officer = factories.officer(agencies[0], username="officer-counts")
    urls = {
        "home": reverse("home"),
        "plans:goal": reverse("plans:goal", args=[plan.pk, 1]),
        "plans:agency": reverse("plans:agency", args=[plan.pk, agencies[0].code]),
        "plans:heatmap": reverse("plans:heatmap", args=[plan.pk]),
        "plans:overdue": reverse("plans:overdue", args=[plan.pk]),
        "plans:public": reverse("plans:public", args=[plan.pk]),
    }
    for user in (director, officer):
        client.force_login(user)
        for name, url in urls.items():
            if name == "plans:public":
                client.logout()
            # The navbar, whatever the size: the director's count of reports awaiting review; an
            # officer's agency name and count of returned reports; everyone's unread notifications.
            navbar = 0 if name == "plans:public" else (3 if user is officer else 2)
            with django_assert_num_queries(QUERIES[name] + navbar):
                response = client.get(url)  # rendering touches every related field inside the block
                assert response.status_code == 200


def test_latest_reports_are_the_active_plans_newest_and_the_returned_count_its_latest_returns(
    client, director_user, fixture
):
    plan, agency = fixture["plan"], fixture["a"]
    goal = plan.goals.get(number=1)
    other_plan = factories.StrategicPlanFactory(title="برنامه ۱۴۰۴", year=1404, status=StrategicPlan.Status.ARCHIVED)
    elsewhere = factories.MilestoneFactory(goal=factories.GoalFactory(plan=other_plan, number=1), agency=agency)
    mine = [factories.MilestoneFactory(goal=goal, agency=agency, title=f"گام {n}") for n in range(4)]
    cancelled = factories.MilestoneFactory(goal=goal, agency=agency, status=Status.CANCELLED)
    reports = {}
    for day, milestone in enumerate([*mine, *mine, cancelled, elsewhere], start=1):
        reports[day] = factories.ProgressUpdateFactory(milestone=milestone, created_at=moment(2026, 11, day))
    # The newest report of all is on the archived plan: it is not the active plan's.
    newest = [reports[day] for day in (9, 8, 7, 6, 5, 4, 3, 2, 1)]
    older = list(
        ProgressUpdate.objects.filter(milestone__goal__plan=plan)
        .exclude(pk__in=[r.pk for r in newest])
        .order_by("-created_at", "-pk")
    )
    client.force_login(director_user)
    response = client.get(reverse("home"))
    assert list(response.context["latest_reports"]) == (newest + older)[:10]

    # Returned reports: the latest on mine[0] (counts), an older one on mine[1] (a newer report
    # replaced it: does not count), the latest on the cancelled milestone (not a counted milestone)
    # and on the other plan's (not this plan's).
    ProgressUpdate.objects.filter(pk__in=[reports[5].pk, reports[2].pk, reports[9].pk, reports[10].pk]).update(
        review_state="returned", reviewed_by=director_user, reviewed_at=timezone.now(), review_reason="سند؟"
    )
    assert Milestone.objects.in_plan(plan).returned_count() == 1
    assert Milestone.objects.in_plan(other_plan).returned_count() == 1
    ProgressUpdate.objects.filter(pk=reports[6].pk).update(
        review_state="returned", reviewed_by=director_user, reviewed_at=timezone.now(), review_reason="سند؟"
    )
    assert Milestone.objects.in_plan(plan).returned_count() == 2
    assert Milestone.objects.in_plan(plan).filter(agency=fixture["b"]).returned_count() == 0


def test_dashboard_of_an_archived_plan_chosen_by_id(client, director_user, fixture):
    archived = factories.StrategicPlanFactory(title="برنامه ۱۴۰۴", year=1404, status=StrategicPlan.Status.ARCHIVED)
    goal = factories.GoalFactory(plan=archived, number=1)
    old = factories.MilestoneFactory(goal=goal, agency=fixture["a"], progress=70, weight=1)
    factories.ProgressUpdateFactory(milestone=old, progress=70, created_at=moment(2025, 6, 1))
    client.force_login(director_user)
    response = client.get(reverse("home"), {"plan": archived.pk})
    assert response.context["plan"] == archived
    assert response.context["overall"] == 70.0
    assert [u.milestone for u in response.context["latest_reports"]] == [old]
    assert len(response.context["trend"]["values"]) == 4  # every quarter of 1404 has ended


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("plans:agency", {"goal": "²"}),
        ("plans:agency", {"goal": "۱"}),
        ("home", {"quarter": "9999-1"}),
        ("home", {"county": "x", "category": "nope"}),
        ("plans:overdue", {"days": "-1"}),
        ("plans:heatmap", {"rows": "x", "cols": "9" * 30}),
    ],
)
def test_odd_query_parameters_never_give_a_500(client, fixture, director_user, name, params):
    client.force_login(director_user)
    args = [] if name == "home" else [fixture["plan"].pk] + (["education"] if name == "plans:agency" else [])
    assert client.get(reverse(name, args=args), params).status_code == 200


def test_public_page_calls_a_goal_achieved_only_when_every_milestone_is_done(client):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, is_public=True)
    goal = factories.GoalFactory(plan=plan, number=1, title="هدف نزدیک به پایان")
    factories.MilestoneFactory(goal=goal, weight=300, status=Status.DONE, progress=100)
    factories.MilestoneFactory(  # 99.7 % in all, and not yet due
        goal=goal, weight=1, status=Status.IN_PROGRESS, progress=0, due_date=datetime.date(2027, 3, 1)
    )
    html = client.get(reverse("plans:public", args=[plan.pk])).content.decode()
    assert "محقق‌شده" not in html
    assert "طبق برنامه" in html
