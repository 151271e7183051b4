"""The plan editor's services (plans/services.py): versioned, locked writes with reasons kept in history."""

import datetime

import jdatetime
import pytest
from django.core.exceptions import ValidationError

from agencies.models import Agency
from persian.jalali import shift_years
from plans import services
from plans.models import Goal, Milestone, Status, StrategicPlan
from plans.services import StaleEdit
from tests import factories

pytestmark = pytest.mark.django_db


def jalali(year, month, day):
    return jdatetime.date(year, month, day).togregorian()


@pytest.fixture
def plan():
    return factories.StrategicPlanFactory(title="برنامه راهبردی روابط عمومی ۱۴۰۵", year=1405, status="active")


@pytest.fixture
def goal(plan):
    return factories.GoalFactory(plan=plan, number=1, title="نشست‌های خبری فصلی")


def test_a_director_saving_after_an_officers_report_is_refused_and_told_what_changed(
    goal, agency, officer_user, director_user
):
    milestone = factories.MilestoneFactory(goal=goal, agency=agency, progress=91, target="۴ نشست")
    opened = Milestone.objects.get(pk=milestone.pk)  # the director opens the editor
    services.report_progress(
        milestone=milestone,
        author=officer_user,
        status=Status.IN_PROGRESS,
        progress=99,
        expected_version=milestone.version,
    )
    with pytest.raises(StaleEdit) as stale:
        services.edit_milestone(milestone=opened, by=director_user, expected_version=opened.version, target="۵ نشست")
    milestone.refresh_from_db()
    assert (milestone.progress, milestone.target) == (99, "۴ نشست")
    # The director is told the officer's report moved the progress.
    assert [(str(label), old, new) for label, old, new in stale.value.changes] == [("پیشرفت (٪)", 91, 99)]
    # Two directors: the second one's save names the due date the first one moved.
    first = Milestone.objects.get(pk=milestone.pk)
    second = Milestone.objects.get(pk=milestone.pk)
    services.edit_milestone(
        milestone=first,
        by=director_user,
        expected_version=first.version,
        due_date=first.due_date + datetime.timedelta(days=30),
        reason="تعویق به درخواست دستگاه",
    )
    with pytest.raises(StaleEdit) as stale:
        services.edit_milestone(milestone=second, by=director_user, expected_version=second.version, weight=3)
    assert [(str(label), old, new) for label, old, new in stale.value.changes] == [
        ("موعد انجام", second.due_date, second.due_date + datetime.timedelta(days=30))
    ]
    milestone.refresh_from_db()
    assert milestone.weight == second.weight


def test_a_new_due_date_weight_or_agency_needs_a_reason_kept_in_history(goal, agency, other_agency, director_user):
    milestone = factories.MilestoneFactory(goal=goal, agency=agency)
    for change in (
        {"due_date": milestone.due_date + datetime.timedelta(days=1)},
        {"weight": 4},
        {"agency": other_agency},
    ):
        with pytest.raises(ValidationError) as refused:
            services.edit_milestone(milestone=milestone, by=director_user, expected_version=milestone.version, **change)
        assert refused.value.error_dict["reason"][0].code == "reason_needed"
    assert Milestone.objects.get(pk=milestone.pk).version == milestone.version
    # A title alone needs no reason.
    edited = services.edit_milestone(
        milestone=milestone, by=director_user, expected_version=milestone.version, title="عنوان تازه"
    )
    edited = services.edit_milestone(
        milestone=edited,
        by=director_user,
        expected_version=edited.version,
        due_date=milestone.due_date + datetime.timedelta(days=20),
        reason="هم‌زمانی با هفته روابط عمومی",
    )
    record = edited.history.first()
    assert (record.history_change_reason, record.history_user, record.due_date) == (
        "هم‌زمانی با هفته روابط عمومی",
        director_user,
        milestone.due_date + datetime.timedelta(days=20),
    )
    row = Milestone.objects.filter(pk=milestone.pk).for_agency_page().get()
    assert row.plan_change_reason == "هم‌زمانی با هفته روابط عمومی"


def test_a_due_date_before_the_start_is_refused_and_nothing_changes(goal, agency, director_user):
    milestone = factories.MilestoneFactory(goal=goal, agency=agency)
    with pytest.raises(ValidationError):
        services.edit_milestone(
            milestone=milestone,
            by=director_user,
            expected_version=milestone.version,
            due_date=milestone.start_date - datetime.timedelta(days=1),
            reason="اشتباه",
        )
    assert Milestone.objects.get(pk=milestone.pk).due_date == milestone.due_date


def test_cancelling_needs_a_reason_and_takes_the_milestone_out_of_the_figures(goal, agency, director_user):
    kept = factories.MilestoneFactory(goal=goal, agency=agency, progress=80, weight=1)
    dropped = factories.MilestoneFactory(goal=goal, agency=agency, progress=0, weight=3)
    assert Milestone.objects.in_plan(goal.plan).plan_progress() == 20.0
    with pytest.raises(ValidationError) as refused:
        services.cancel_milestone(milestone=dropped, by=director_user, expected_version=dropped.version, reason=" ")
    assert refused.value.error_dict["reason"][0].code == "cancel_needs_reason"
    services.cancel_milestone(
        milestone=dropped, by=director_user, expected_version=dropped.version, reason="با تصمیم شورا حذف شد"
    )
    dropped.refresh_from_db()
    assert dropped.status == Status.CANCELLED
    assert dropped.history.first().history_change_reason == "با تصمیم شورا حذف شد"
    assert Milestone.objects.in_plan(goal.plan).plan_progress() == 80.0
    assert Milestone.objects.in_plan(goal.plan).status_counts()["cancelled"] == 1
    assert kept.pk != dropped.pk


def test_cancelling_through_a_report_needs_a_note_too(goal, agency, director_user):
    milestone = factories.MilestoneFactory(goal=goal, agency=agency)
    with pytest.raises(ValidationError) as refused:
        services.report_progress(
            milestone=milestone,
            author=director_user,
            status=Status.CANCELLED,
            progress=0,
            expected_version=milestone.version,
        )
    assert refused.value.error_dict["note"][0].code == "cancel_needs_reason"


def test_one_milestone_assigned_to_many_agencies_skips_those_that_have_it(goal, director_user):
    agencies = [factories.AgencyFactory(category=Agency.Category.CULTURAL) for _ in range(4)]
    factories.MilestoneFactory(goal=goal, agency=agencies[0], title="نشست  اتاق فكر فصلی")  # spaces, Arabic kaf
    result = services.assign_milestone(
        goal=goal,
        agencies=agencies,
        by=director_user,
        title="نشست اتاق فکر فصلی",
        start_date=jalali(1405, 7, 1),
        due_date=jalali(1405, 9, 30),
        weight=2,
    )
    assert result.skipped == [agencies[0]]
    assert sorted(m.agency_id for m in result.created) == sorted(a.pk for a in agencies[1:])
    assert Milestone.objects.filter(goal=goal).count() == 4
    created = Milestone.objects.get(goal=goal, agency=agencies[1])
    assert (created.weight, created.status, created.history.count()) == (2, Status.NOT_STARTED, 1)
    again = services.assign_milestone(
        goal=goal,
        agencies=agencies,
        by=director_user,
        title="نشست اتاق فکر فصلی",
        start_date=jalali(1405, 7, 1),
        due_date=jalali(1405, 9, 30),
    )
    assert (again.created, len(again.skipped)) == ([], 4)
    with pytest.raises(ValidationError):
        services.assign_milestone(
            goal=goal,
            agencies=agencies,
            by=director_user,
            title="دیگر",
            start_date=jalali(1405, 9, 30),
            due_date=jalali(1405, 7, 1),
        )
    assert Milestone.objects.filter(goal=goal).count() == 4


def test_goals_are_reordered_and_a_stale_order_moves_nothing(plan, director_user):
    goals = [factories.GoalFactory(plan=plan, number=n) for n in (1, 2, 3)]
    seen = [goal.pk for goal in goals]
    services.reorder_goals(plan=plan, by=director_user, expected_order=seen, new_order=[seen[2], seen[0], seen[1]])
    assert list(Goal.objects.filter(plan=plan).order_by("number").values_list("pk", flat=True)) == [
        seen[2],
        seen[0],
        seen[1],
    ]
    with pytest.raises(ValidationError) as refused:
        services.reorder_goals(plan=plan, by=director_user, expected_order=seen, new_order=seen)
    assert refused.value.code == "stale_order"
    assert Goal.objects.get(pk=seen[2]).number == 1


def test_a_goal_edited_by_two_people_the_second_is_refused(goal, director_user, agency):
    first = Goal.objects.get(pk=goal.pk)
    second = Goal.objects.get(pk=goal.pk)
    services.edit_goal(goal=first, by=director_user, expected_version=first.version, weight=5, owner=agency)
    with pytest.raises(StaleEdit) as stale:
        services.edit_goal(goal=second, by=director_user, expected_version=second.version, title="دیگر")
    assert {str(label) for label, _old, _new in stale.value.changes} == {"وزن", "دستگاه مسئول"}
    assert Goal.objects.get(pk=goal.pk).title == goal.title


def test_a_new_goal_goes_last_and_a_taken_number_is_refused(plan, goal, director_user):
    added = services.create_goal(plan=plan, by=director_user, title="ارتباطات در بحران")
    assert added.number == 2
    with pytest.raises(ValidationError):
        services.create_goal(plan=plan, by=director_user, title="تکراری", number=1)


def test_copying_a_plan_to_the_next_year_carries_unfinished_milestones_a_year_on(plan, goal, agency, director_user):
    second = factories.GoalFactory(plan=plan, number=2, owner=agency, weight=3)
    open_ = factories.MilestoneFactory(
        goal=goal,
        agency=agency,
        title="باز",
        status=Status.IN_PROGRESS,
        progress=40,
        start_date=jalali(1405, 2, 1),
        due_date=jalali(1405, 9, 15),
    )
    factories.MilestoneFactory(goal=goal, agency=agency, title="انجام", status=Status.DONE, progress=100)
    factories.MilestoneFactory(goal=second, agency=agency, title="لغو", status=Status.CANCELLED)
    copy = services.copy_plan_to_next_year(plan=plan, by=director_user, carry_over=True)
    assert (copy.year, copy.title, copy.status) == (1406, "برنامه راهبردی روابط عمومی ۱۴۰۶", StrategicPlan.Status.DRAFT)
    assert list(copy.goals.order_by("number").values_list("number", "title", "weight", "owner")) == [
        (1, goal.title, goal.weight, None),
        (2, second.title, 3, agency.pk),
    ]
    carried = Milestone.objects.in_plan(copy).get()
    assert (carried.title, carried.status, carried.progress) == ("باز", Status.IN_PROGRESS, 40)
    assert (carried.start_date, carried.due_date) == (jalali(1406, 2, 1), jalali(1406, 9, 15))
    assert Milestone.objects.in_plan(plan).count() == 3  # the old plan keeps all of its own
    assert open_.pk != carried.pk
    with pytest.raises(ValidationError) as refused:
        services.copy_plan_to_next_year(plan=plan, by=director_user)
    assert refused.value.error_dict["title"][0].code == "plan_exists"
    bare = services.copy_plan_to_next_year(plan=plan, by=director_user, carry_over=False, title="بدون گام‌ها")
    assert (bare.goals.count(), Milestone.objects.in_plan(bare).count()) == (2, 0)


def test_publishing_a_draft_archives_the_active_plan(plan, director_user):
    draft = services.copy_plan_to_next_year(plan=plan, by=director_user)
    services.publish_plan(plan=draft, by=director_user, expected_version=draft.version)
    plan.refresh_from_db()
    draft.refresh_from_db()
    assert (plan.status, draft.status) == (StrategicPlan.Status.ARCHIVED, StrategicPlan.Status.ACTIVE)
    with pytest.raises(ValidationError):
        services.publish_plan(plan=draft, by=director_user, expected_version=draft.version)


def test_thirtieth_of_esfand_of_a_leap_year_moves_to_the_29th():
    assert shift_years(jalali(1403, 12, 30), 1) == jalali(1404, 12, 29)
    assert shift_years(jalali(1405, 1, 1), 1) == jalali(1406, 1, 1)
