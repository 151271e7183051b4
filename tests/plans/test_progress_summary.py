"""The progress summary stays equal to a fresh aggregation on every write path (issue 15)."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from plans import summary
from plans.models import Milestone, ProgressSummary, ProgressUpdate, Status, StrategicPlan
from tests import factories
from tests.plans.test_progress_views import fixture  # noqa: F401 -- the hand-computed plan, shared

pytestmark = pytest.mark.django_db


def assert_summary_is_fresh():
    """The summary equals a fresh aggregation; on failure, shows each drifted cell's wrong figures."""
    drift = []
    for cell, stored, fresh in summary.differences():
        stored, fresh = stored or {}, fresh or {}
        wrong = {name: (stored.get(name), fresh.get(name)) for name in summary.FIGURES}
        drift.append((cell, {name: pair for name, pair in wrong.items() if pair[0] != pair[1]}))
    assert drift == [], drift


@pytest.fixture
def world(db):
    plan = factories.StrategicPlanFactory(year=1405, status=StrategicPlan.Status.ACTIVE)
    goals = [factories.GoalFactory(plan=plan, number=n, weight=n) for n in (1, 2)]
    agencies = [factories.AgencyFactory(code=f"a{n}") for n in (1, 2)]
    return {"plan": plan, "goals": goals, "agencies": agencies, "author": factories.UserFactory(username="author")}


def make(world, n, **extra):
    fields = {
        "goal": world["goals"][n % 2],
        "agency": world["agencies"][n // 2 % 2],
        "title": f"m{n}",
        "start_date": datetime.date(2026, 3, 21),
        "due_date": datetime.date(2026, 4, 1) + datetime.timedelta(days=40 * n),
        "weight": 1 + n % 3,
        "status": Status.IN_PROGRESS,
        "progress": 10 * n % 100,
    }
    fields.update(extra)
    return factories.MilestoneFactory(**fields)


def test_direct_save_and_delete(world):
    m = make(world, 1)
    assert_summary_is_fresh()
    assert ProgressSummary.objects.get().milestone_count == 1
    m.progress, m.weight = 55, 3
    m.save()
    assert_summary_is_fresh()
    m.due_date = datetime.date(2026, 12, 1)  # another quarter
    m.save()
    assert_summary_is_fresh()
    assert ProgressSummary.objects.get().due_quarter == 14053
    m.delete()
    assert_summary_is_fresh()
    assert not ProgressSummary.objects.exists()


def report(world, milestone, progress, status=Status.IN_PROGRESS, author=None):
    from plans.services import report_progress

    milestone.refresh_from_db()
    return report_progress(
        milestone=milestone,
        author=author or world["author"],
        status=status,
        progress=progress,
        note="گزارش",
        expected_version=milestone.version,
    )


def test_report_service_and_review(world):
    from plans.services import review_progress_update

    m = make(world, 1)
    update = report(world, m, 35)
    assert_summary_is_fresh()
    row = ProgressSummary.objects.get()
    assert (row.weighted_sum, row.awaiting_count, row.last_report_at) == (35 * m.weight, 1, update.created_at)
    review_progress_update(update=update, reviewer=factories.director(username="dg"), accept=True)
    assert_summary_is_fresh()
    assert ProgressSummary.objects.get().awaiting_count == 0


def test_cancellation_by_the_director_leaves_the_milestone_out_of_progress(world):
    m = make(world, 2, progress=50)
    report(world, m, 0, status=Status.CANCELLED, author=factories.director(username="dg"))
    assert_summary_is_fresh()
    row = ProgressSummary.objects.get()
    assert (row.milestone_count, row.counted_count, row.weight_sum, row.cancelled_count) == (1, 0, 0, 1)


def test_queryset_update_bulk_create_and_queryset_delete(world):
    Milestone.objects.bulk_create([Milestone(**{**make_fields(world, n)}) for n in range(6)])
    assert_summary_is_fresh()
    Milestone.objects.filter(goal=world["goals"][0]).exclude(status=Status.DONE).update(progress=70, weight=2)
    assert_summary_is_fresh()
    Milestone.objects.filter(weight=2).update(due_date=datetime.date(2027, 3, 1), agency=world["agencies"][1])
    assert_summary_is_fresh()
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(milestone=m, status=m.status, progress=m.progress, author=world["author"])
        for m in Milestone.objects.all()
    )
    assert_summary_is_fresh()
    ProgressUpdate.objects.filter(milestone__goal=world["goals"][1]).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    assert_summary_is_fresh()
    ProgressUpdate.objects.filter(milestone__goal=world["goals"][1]).delete()
    assert_summary_is_fresh()
    Milestone.objects.filter(goal=world["goals"][0]).delete()  # their reports go first (cascade)
    assert_summary_is_fresh()


def make_fields(world, n):
    return {
        "goal": world["goals"][n % 2],
        "agency": world["agencies"][n // 2 % 2],
        "title": f"b{n}",
        "start_date": datetime.date(2026, 3, 21),
        "due_date": datetime.date(2026, 4, 1) + datetime.timedelta(days=50 * (n % 30)),
        "weight": 1 + n % 3,
        "status": [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED][n % 4],
        "progress": [0, (20 + n) % 99, 100, 0][n % 4],
    }


def test_goal_delete_cascades_and_the_rows_go(world):
    for n in range(4):
        report(world, make(world, n), 10 + n)
    world["goals"][0].delete()
    assert_summary_is_fresh()
    assert set(ProgressSummary.objects.values_list("goal_id", flat=True)) == {world["goals"][1].pk}


def test_admin_import(world):
    import tablib
    from django.contrib import admin

    from plans.admin import MilestoneResource

    goal, agency = world["goals"][0], world["agencies"][0]
    rows = [
        [goal.pk, agency.code, "درون‌ریزی ۱", "", "۱۴۰۵/۰۱/۱۵", "۱۴۰۵/۰۳/۳۱", "۲", "در حال اجرا", "۳۰"],
        [goal.pk, agency.code, "درون‌ریزی ۲", "", "1405/02/01", "1405/08/01", 1, "delayed", 40],  # done needs evidence
    ]
    headers = ["goal", "agency", "title", "target", "start_date", "due_date", "weight", "status", "progress"]
    result = MilestoneResource().import_data(
        tablib.Dataset(*rows, headers=headers),
        dry_run=False,
        raise_errors=False,
        **admin.site._registry[Milestone].get_import_data_kwargs(),
    )
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert Milestone.objects.count() == 2
    assert_summary_is_fresh()
    assert sum(ProgressSummary.objects.values_list("weighted_sum", flat=True)) == 2 * 30 + 40


def test_a_raw_sql_update_that_knows_nothing_of_the_summary_keeps_it_right(world):
    m = make(world, 3)
    report(world, m, 40)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plans_milestone SET progress = 90, weight = 3, due_date = %s", [datetime.date(2026, 8, 1)]
        )
        cursor.execute(
            "UPDATE plans_progressupdate SET review_state = 'accepted', reviewed_by_id = %s, reviewed_at = %s",
            [factories.director(username="dg2").pk, timezone.now()],
        )
    assert_summary_is_fresh()
    row = ProgressSummary.objects.get()
    assert (row.weighted_sum, row.due_quarter, row.awaiting_count) == (
        270,
        14052,
        0,
    )  # 2026-08-01 is 1405/05/10, summer


def test_check_command_reports_drift_and_rebuild_mends_it(world, capsys):
    for n in range(3):
        report(world, make(world, n), 20)
    call_command("check_progress_summary")
    with connection.cursor() as cursor:  # drift that no write path makes: the summary edited by hand
        cursor.execute("UPDATE plans_progresssummary SET weighted_sum = weighted_sum + 7")
    with pytest.raises(CommandError, match="differ"):
        call_command("check_progress_summary")
    assert "weighted_sum: summary" in capsys.readouterr().out
    call_command("rebuild_progress_summary")
    assert_summary_is_fresh()
    call_command("check_progress_summary")


# --- a property test: random writes on every path, the summary checked after each ------------------


def random_step(rng, world, live, serial):
    """One random write through one of the write paths; returns a label for the failure message."""
    from plans.services import review_progress_update

    goals, agencies = world["goals"], world["agencies"]
    milestones = list(Milestone.objects.all())
    choice = rng.randrange(12)
    if choice == 0 or not milestones:
        fields = make_fields(world, serial)
        fields.update(goal=rng.choice(goals), agency=rng.choice(agencies), title=f"p{serial}")
        Milestone.objects.create(**fields)
        return "create"
    m = rng.choice(milestones)
    if choice == 1:
        Milestone.objects.bulk_create(
            [Milestone(**{**make_fields(world, serial + k), "title": f"q{serial}-{k}"}) for k in range(3)]
        )
        return "bulk_create"
    if choice in (2, 3) and m.status not in (Status.DONE, Status.CANCELLED):
        report(world, m, rng.randrange(0, 100), rng.choice([Status.IN_PROGRESS, Status.NOT_STARTED]))
        return "report"
    if choice == 4:
        pending = ProgressUpdate.objects.filter(review_state="submitted").first()
        if pending:
            review_progress_update(
                update=pending, reviewer=world["reviewer"], accept=rng.random() < 0.5, reason="اصلاح شود"
            )
        return "review"
    if choice == 5:
        m.weight, m.due_date = rng.randrange(1, 5), m.start_date + datetime.timedelta(days=rng.randrange(0, 400))
        m.save()
        return "save"
    if choice == 6:
        Milestone.objects.filter(pk=m.pk).update(goal=rng.choice(goals), agency=rng.choice(agencies))
        return "update move"
    if choice == 7:
        Milestone.objects.filter(pk=m.pk).update(status=Status.CANCELLED, progress=0)
        return "update cancel"
    if choice == 8:
        m.delete()
        return "delete"
    if choice == 9:
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                milestone=m,
                status=Status.IN_PROGRESS,
                progress=rng.randrange(0, 100),
                author=world["author"],
                created_at=timezone.now() - datetime.timedelta(days=rng.randrange(0, 200)),
            )
            for _ in range(2)
        )
        return "report bulk_create"
    if choice == 10:
        victim = ProgressUpdate.objects.order_by("?").first()
        if victim:
            victim.delete()
        return "report delete"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE plans_milestone SET progress = %s WHERE id = %s AND status <> 'done'", [7, m.pk])
    return "raw sql"


def test_random_writes_on_every_path_keep_the_summary_fresh(world):
    import random

    rng = random.Random(1405)
    world["reviewer"] = factories.director(username="reviewer")
    steps = []
    for serial in range(220):
        steps.append(random_step(rng, world, None, serial * 10))
        drift = summary.differences()
        assert drift == [], (steps[-5:], drift)
    assert len(set(steps)) >= 10  # the seed reaches (nearly) every path


# --- the trend's snapshots and the navbar's counter --------------------------------------------


def test_the_trend_reads_snapshots_with_the_same_figures(client, fixture):  # noqa: F811
    data = fixture
    plan = data["plan"]
    director = factories.director(username="dg-trend")
    client.force_login(director)
    before = client.get("/").context["trend"]
    assert before["values"][:2] == [28.9, 47.8]  # live: no snapshot yet (test_progress_views)
    call_command("snapshot_progress")
    assert plan.snapshots.count() >= 2
    after = client.get("/").context["trend"]
    assert after == before
    # The filters apply to the snapshots as to the summary: agency A's county alone.
    filtered = client.get("/", {"county": data["c1"].pk}).context["trend"]
    live = Milestone.objects.in_plan(plan).filter(agency__county=data["c1"])
    from persian.jalali import Quarter
    from plans.trend import quarter_end

    assert filtered["values"][:2] == live.progress_trend([quarter_end(Quarter(1405, 1)), quarter_end(Quarter(1405, 2))])
    # A snapshot keeps the figure as it stood: a report added afterwards, dated back, leaves it alone.
    factories.ProgressUpdateFactory(
        milestone=data["M3"], created_at=timezone.make_aware(datetime.datetime(2026, 5, 2)), progress=90
    )
    assert client.get("/").context["trend"]["values"][:2] == [28.9, 47.8]


def test_navbar_review_count_leaves_out_archived_plans_and_ones_own_reports(client, world):
    director = factories.director(username="dg-nav")
    m = make(world, 1)
    factories.ProgressUpdateFactory(milestone=m, author=world["author"])
    factories.ProgressUpdateFactory(milestone=m, author=director)  # their own: not counted
    archived = factories.StrategicPlanFactory(year=1404, status=StrategicPlan.Status.ARCHIVED)
    old = factories.MilestoneFactory(goal=factories.GoalFactory(plan=archived, number=1), agency=world["agencies"][0])
    factories.ProgressUpdateFactory(milestone=old, author=world["author"])
    assert ProgressSummary.objects.awaiting_review_count(director) == 1
    client.force_login(director)
    html = client.get("/").content.decode()
    assert 'nav-awaiting" title="' in html
    assert ">۱</span>" in html


def test_the_daily_task_snapshots_each_ended_quarter_once(fixture, settings):  # noqa: F811
    from django.utils.module_loading import import_string

    from plans import tasks

    job = settings.PERIODIC_TASKS["trend_snapshots"]
    assert import_string(job["task"]) is tasks.take_trend_snapshots
    first = tasks.take_trend_snapshots.enqueue()
    assert first.return_value["written"] >= 2  # 1405 spring and summer have ended
    again = tasks.take_trend_snapshots.enqueue()
    assert again.return_value == {"written": 0}


def test_migrate_puts_back_triggers_a_table_remake_dropped_and_rebuilds(world):
    from plans.apps import keep_summary_triggers

    m = make(world, 1)
    summary.drop_triggers()  # what SQLite's table remake does to them
    assert summary.missing_triggers()
    Milestone.objects.filter(pk=m.pk).update(progress=66)  # unseen by the summary
    assert summary.differences()
    keep_summary_triggers(sender=None)
    assert summary.missing_triggers() == []
    assert_summary_is_fresh()
    Milestone.objects.filter(pk=m.pk).update(progress=67)
    assert_summary_is_fresh()
