import datetime

import pytest
from django.db import IntegrityError, transaction

from plans.models import Milestone, ProgressUpdate, Status, StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


def violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_progress_is_between_0_and_100():
    milestone = factories.MilestoneFactory()
    Milestone.objects.filter(pk=milestone.pk).update(progress=100)
    violates(lambda: Milestone.objects.filter(pk=milestone.pk).update(progress=101))
    violates(lambda: factories.ProgressUpdateFactory(progress=150))


def test_due_date_cannot_precede_start_date():
    violates(
        lambda: factories.MilestoneFactory(start_date=datetime.date(2026, 5, 1), due_date=datetime.date(2026, 4, 30))
    )
    factories.MilestoneFactory(start_date=datetime.date(2026, 5, 1), due_date=datetime.date(2026, 5, 1))


def test_goal_number_is_unique_within_a_plan_but_not_across_plans():
    plan, other_plan = factories.StrategicPlanFactory(), factories.StrategicPlanFactory()
    factories.GoalFactory(plan=plan, number=1)
    factories.GoalFactory(plan=other_plan, number=1)
    violates(lambda: factories.GoalFactory(plan=plan, number=1))
    violates(lambda: factories.GoalFactory(plan=plan, number=0))


def test_one_milestone_title_per_goal_and_agency():
    milestone = factories.MilestoneFactory(title="نشست خبری")
    factories.MilestoneFactory(goal=milestone.goal, title="نشست خبری")  # another agency: fine
    violates(lambda: factories.MilestoneFactory(goal=milestone.goal, agency=milestone.agency, title="نشست خبری"))


def test_done_means_complete():
    violates(lambda: factories.MilestoneFactory(status=Status.DONE, progress=90))
    factories.MilestoneFactory(status=Status.DONE, progress=100)


def test_only_one_plan_is_active():
    factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    factories.StrategicPlanFactory(status=StrategicPlan.Status.DRAFT)
    violates(lambda: factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE))


def test_plan_year_is_a_solar_hijri_year():
    violates(lambda: factories.StrategicPlanFactory(year=2026))


def test_a_review_is_stamped_and_a_return_has_a_reason(director_user):
    update = factories.ProgressUpdateFactory()
    qs = ProgressUpdate.objects.filter(pk=update.pk)
    violates(lambda: qs.update(review_state="accepted"))
    violates(lambda: qs.update(review_state="returned", reviewed_by=director_user, reviewed_at=update.created_at))
    qs.update(review_state="returned", reviewed_by=director_user, reviewed_at=update.created_at, review_reason="مستند؟")


def test_nobody_reviews_their_own_report(director_user):
    update = factories.ProgressUpdateFactory(author=director_user)
    violates(
        lambda: ProgressUpdate.objects.filter(pk=update.pk).update(
            review_state="accepted", reviewed_by=director_user, reviewed_at=update.created_at
        )
    )


def test_officer_membership_needs_an_agency():
    from agencies.models import Membership

    user = factories.UserFactory()
    violates(lambda: Membership.objects.create(user=user, role=Membership.Role.OFFICER))


def test_every_change_raises_the_version_and_is_kept_in_history():
    milestone = factories.MilestoneFactory(progress=10)
    assert milestone.version == 1
    milestone.progress = 30
    milestone.save()
    milestone.status = Status.DELAYED
    milestone.save(update_fields=["status"])
    milestone.refresh_from_db()
    assert milestone.version == 3
    assert [record.progress for record in milestone.history.order_by("history_date")] == [10, 30, 30]
    assert milestone.history.first().status == Status.DELAYED


def test_goal_progress_is_weighted_and_leaves_out_cancelled_milestones():
    goal = factories.GoalFactory()
    factories.MilestoneFactory(goal=goal, weight=1, progress=100, status=Status.DONE)
    factories.MilestoneFactory(goal=goal, weight=3, progress=20)
    factories.MilestoneFactory(goal=goal, weight=5, progress=0, status=Status.CANCELLED)
    annotated = type(goal).objects.with_figures().get(pk=goal.pk)
    # (100*1 + 20*3) / (1 + 3) = 40
    assert annotated.progress == 40


def test_reporting_progress_moves_the_milestone_and_keeps_history(officer_user, agency):
    from plans.services import report_progress

    milestone = factories.MilestoneFactory(agency=agency, progress=10)
    update = report_progress(
        milestone=milestone,
        author=officer_user,
        status=Status.IN_PROGRESS,
        progress=55,
        note="نیمه راه",
        expected_version=milestone.version,
    )
    milestone.refresh_from_db()
    assert (milestone.progress, milestone.version, update.review_state) == (55, 2, "submitted")
    assert milestone.history.first().history_user == officer_user


def test_a_stale_report_is_refused_and_changes_nothing(officer_user, director_user, agency):
    from plans.services import StaleEdit, report_progress

    milestone = factories.MilestoneFactory(agency=agency, progress=10)
    opened_at = milestone.version
    report_progress(
        milestone=milestone, author=director_user, status=Status.IN_PROGRESS, progress=30, expected_version=opened_at
    )
    with pytest.raises(StaleEdit) as excinfo:
        report_progress(
            milestone=milestone,
            author=officer_user,
            status=Status.IN_PROGRESS,
            progress=90,
            expected_version=opened_at,
            seen={"progress": 10},
        )
    milestone.refresh_from_db()
    assert milestone.progress == 30
    assert ProgressUpdate.objects.filter(milestone=milestone).count() == 1
    assert [(str(name), old, new) for name, old, new in excinfo.value.changes] == [("پیشرفت (٪)", 10, 30)]


def test_done_needs_evidence_and_delayed_needs_a_reason(officer_user, agency):
    from django.core.exceptions import ValidationError

    from plans.services import EvidenceLink, report_progress

    milestone = factories.MilestoneFactory(agency=agency)
    with pytest.raises(ValidationError) as excinfo:
        report_progress(
            milestone=milestone,
            author=officer_user,
            status=Status.DONE,
            progress=100,
            expected_version=milestone.version,
        )
    assert "status" in excinfo.value.error_dict
    with pytest.raises(ValidationError) as excinfo:
        report_progress(
            milestone=milestone,
            author=officer_user,
            status=Status.DELAYED,
            progress=20,
            note=" ",
            expected_version=milestone.version,
        )
    assert "note" in excinfo.value.error_dict
    assert not ProgressUpdate.objects.exists()
    report_progress(
        milestone=milestone,
        author=officer_user,
        status=Status.DONE,
        progress=80,
        expected_version=milestone.version,
        links=[EvidenceLink(url="https://www.irna.ir/news/1")],
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress) == (Status.DONE, 100)
