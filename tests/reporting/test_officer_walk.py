"""What an officer noticed on their walk (issue 16): order, old return reasons, dropped files, Persian labels."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans.models import Milestone, StrategicPlan
from plans.services import report_progress, review_progress_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    return factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, title="برنامه ۱۴۰۵")


def report(milestone, author, progress=50, note="گزارش"):
    milestone.refresh_from_db()
    return report_progress(
        milestone=milestone,
        author=author,
        status="in_progress",
        progress=progress,
        note=note,
        expected_version=milestone.version,
    )


def test_returned_reports_lead_the_page_before_overdue_and_done(client, plan, agency, officer_user, director_user):
    today = timezone.localdate()
    goal = factories.GoalFactory(plan=plan, number=5, title="هدف پنج")
    done = factories.MilestoneFactory(
        goal=goal,
        agency=agency,
        title="انجام‌شده",
        status="done",
        progress=100,
        start_date=today - datetime.timedelta(90),
        due_date=today - datetime.timedelta(30),
    )
    overdue = factories.MilestoneFactory(
        goal=goal,
        agency=agency,
        title="عقب‌افتاده",
        start_date=today - datetime.timedelta(60),
        due_date=today - datetime.timedelta(3),
    )
    returned = factories.MilestoneFactory(
        goal=goal, agency=agency, title="برگشتی", due_date=today + datetime.timedelta(80)
    )
    update = report(returned, officer_user)
    review_progress_update(update=update, reviewer=director_user, accept=False, reason="مستند ندارد")
    client.force_login(officer_user)
    response = client.get(reverse("reporting:my_agency"))
    rows = response.context["groups"][0][1]
    assert [row.pk for row in rows] == [returned.pk, overdue.pk, done.pk]


def test_an_older_return_reason_stays_visible_after_a_newer_report(client, plan, agency, officer_user, director_user):
    milestone = factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency)
    update = report(milestone, officer_user)
    review_progress_update(update=update, reviewer=director_user, accept=False, reason="عکس جلسه را پیوست کنید")
    report(milestone, officer_user, progress=60, note="اصلاح شد")
    client.force_login(officer_user)
    body = client.get(reverse("reporting:my_agency")).content.decode()
    assert "گزارش قبلی برگشت داده شد: عکس جلسه را پیوست کنید" in body


def test_files_chosen_before_an_error_are_named_with_a_hint(client, plan, agency, officer_user):
    milestone = factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency)
    pdf = SimpleUploadedFile("صورت‌جلسه.pdf", factories.tiny_pdf(), content_type="application/pdf")
    client.force_login(officer_user)
    response = client.post(
        reverse("reporting:report", args=[milestone.pk]),
        {"version": milestone.version, "status": "in_progress", "progress": "۱۲۰", "files": [pdf]},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "دوباره انتخاب کنید" in body
    assert "«صورت‌جلسه.pdf»" in body
    assert Milestone.objects.get(pk=milestone.pk).updates.count() == 0


def test_the_file_input_has_a_persian_button_and_the_goal_filter_persian_digits(client, plan, agency, officer_user):
    goal = factories.GoalFactory(plan=plan, number=5, title="هدف پنج")
    milestone = factories.MilestoneFactory(goal=goal, agency=agency)
    client.force_login(officer_user)
    form_page = client.get(reverse("reporting:report", args=[milestone.pk])).content.decode()
    assert "انتخاب فایل‌ها" in form_page
    assert "هیچ فایلی انتخاب نشده" in form_page
    agency_page = client.get(reverse("reporting:my_agency")).content.decode()
    assert "۵. هدف پنج</option>" in agency_page
    assert "5. هدف پنج" not in agency_page


def test_a_stale_form_without_history_still_says_what_the_milestone_reads_now(client, plan, agency, officer_user):
    milestone = factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency, progress=40)
    # A milestone loaded in bulk has no history record of the version the form was opened at.
    milestone.history.all().delete()
    Milestone.objects.filter(pk=milestone.pk).update(version=milestone.version + 1, progress=75)
    client.force_login(officer_user)
    response = client.post(
        reverse("reporting:report", args=[milestone.pk]),
        {"version": milestone.version, "status": "in_progress", "progress": "50"},
    )
    body = response.content.decode()
    assert "اکنون چنین است" in body
    assert "۷۵٪" in body
