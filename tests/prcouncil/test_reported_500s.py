"""The 500s an outside probe found (issue 10), each reproduced as reported and fixed at its root.

Inputs refuse what the app cannot show (persian.values); a value stored before that rule never
breaks a page (the display filters fall back to the ISO date).
"""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import Round
from plans.models import Evidence, Milestone, ProgressUpdate, StrategicPlan
from spreadsheets import roundtrip
from tests import factories

pytestmark = pytest.mark.django_db
FAR_DATE = datetime.date(9999, 12, 31)


@pytest.fixture
def milestone(agency):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    return factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency)


@pytest.mark.parametrize("typed", ["9999/12/31", "۹۹۹۹/۱۲/۳۱", "0001/01/01", "1299/12/29", "1501/01/01", "2500-01-01"])
def test_an_officer_cannot_post_a_letter_date_the_app_cannot_show(client, officer_user, milestone, typed):
    client.force_login(officer_user)
    response = client.post(
        reverse("reporting:report", args=[milestone.pk]),
        {
            "version": milestone.version,
            "status": "in_progress",
            "progress": "50",
            "letter_number": "۱۲۳",
            "letter_date": typed,
        },
    )
    assert response.status_code == 200  # the form again, with the message
    assert not ProgressUpdate.objects.exists()
    page = response.content.decode()
    assert "۱۳۰۰" in page or "شمسی معتبر" in page


def test_a_far_off_stored_letter_date_never_breaks_the_review_queue_or_the_milestone_page(
    client, director_user, officer_user, milestone
):
    update = factories.ProgressUpdateFactory(milestone=milestone, author=officer_user)
    Evidence.objects.create(update=update, letter_number="123", letter_date=FAR_DATE)
    client.force_login(director_user)
    queue = client.get(reverse("reporting:review_queue"))
    page = client.get(reverse("reporting:milestone", args=[milestone.pk]))
    assert queue.status_code == 200
    assert page.status_code == 200
    assert "9999-12-31" in page.content.decode()


def test_a_far_off_round_deadline_never_breaks_the_evaluation_pages(client, director_user):
    round = Round.objects.create(year=1405, quarter=3, deadline=FAR_DATE, opened_by=director_user)
    client.force_login(director_user)
    assert client.get(reverse("evaluations:rounds")).status_code == 200
    assert client.get(reverse("evaluations:round", args=[round.pk])).status_code == 200


def test_opening_a_round_refuses_a_deadline_the_app_cannot_show(client, director_user):
    client.force_login(director_user)
    response = client.post(reverse("evaluations:rounds"), {"year": "1405", "quarter": "3", "deadline": "9999/12/31"})
    assert response.status_code in (200, 400)
    assert not Round.objects.exists()


def test_a_goal_filter_of_five_thousand_nines_is_ignored_not_a_500(client, viewer_user, milestone):
    client.force_login(viewer_user)
    url = reverse("plans:agency", args=[milestone.goal.plan_id, milestone.agency.code])
    response = client.get(url, {"goal": "9" * 5000})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["9" * 5000, "-2", "1.5", "9223372036854775808", "\x00"])
def test_the_dashboard_plan_choice_takes_only_an_id(client, viewer_user, milestone, value):
    client.force_login(viewer_user)
    # A NUL is refused by RejectNullBytesMiddleware (400); anything else shows the active plan.
    assert client.get(reverse("home"), {"plan": value}).status_code == (400 if "\x00" in value else 200)


def test_a_round_trip_id_of_2_63_is_a_row_error_not_a_500(officer_user, milestone):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([header for header, _width in roundtrip.COLUMNS])
    sheet.append([2**63, 0, 1, "", "", None, "", 0, "در حال اجرا", 50, "", ""])
    sheet.append(["9" * 30, 0, 1, "", "", None, "", 0, "در حال اجرا", 50, "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("sheet.xlsx", buffer.getvalue())
    preview = roundtrip.read_upload(upload, agency=milestone.agency, user=officer_user)
    assert preview.has_errors
    assert len(preview.errors) == 2
    assert all("شناسه" in error for error in preview.errors)


@pytest.mark.parametrize(
    "query",
    ["due_date__year=9223372036854775808", "due_date__year=99999&due_date__month=1", "due_date__year=1405"],
)
def test_admin_date_drill_down_with_a_huge_year_is_not_a_500(admin_client, milestone, query):
    response = admin_client.get(reverse("admin:plans_milestone_changelist") + "?" + query)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("object_id", ["1.5", "-1", "9" * 30, "abc"])
def test_admin_history_of_an_id_that_cannot_be_is_not_a_500(admin_client, milestone, object_id):
    response = admin_client.get(f"/admin/plans/milestone/{object_id}/history/")
    assert response.status_code in (302, 404)


def test_every_page_shows_a_far_off_stored_due_date_as_iso(client, viewer_user, milestone):
    Milestone.objects.filter(pk=milestone.pk).update(due_date=FAR_DATE)
    client.force_login(viewer_user)
    plan_id = milestone.goal.plan_id
    for url in (
        reverse("home"),
        reverse("plans:agency", args=[plan_id, milestone.agency.code]),
        reverse("plans:goal", args=[plan_id, milestone.goal.number]),
        reverse("plans:overdue", args=[plan_id]),
        reverse("reporting:milestone", args=[milestone.pk]),
    ):
        assert client.get(url).status_code == 200, url
