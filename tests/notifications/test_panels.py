"""The chase on the plan pages: the agency page's last reminder and escalation, the dashboard's escalated agencies."""

import pytest
from django.urls import reverse

from notifications.ladder import run_reminders
from plans.models import StrategicPlan

from .conftest import at
from .test_ladder import TODAY, milestone

pytestmark = pytest.mark.usefixtures("official_holidays", "ladder_settings")


@pytest.fixture
def chased(goal, agency, other_agency, officer_with_email, director_with_email):
    milestone(goal, agency, "گام در آستانه مهلت", "1405/09/19")
    milestone(goal, agency, "گام عقب‌افتاده", "1405/09/10")
    milestone(goal, other_agency, "گام دیگر", "1405/12/20")  # gas: nothing due, but silent
    with at(TODAY):
        run_reminders()


def test_the_agency_page_shows_the_last_reminder_and_this_weeks_escalation(client, chased, plan, viewer_user):
    with at("1405/09/18", 10):  # sign in on the day: a session lasts hours, the clock jumps days
        client.force_login(viewer_user)
        page = client.get(reverse("plans:agency", args=[plan.pk, "education"])).content.decode()
    assert "آخرین یادآوری: ۱۴۰۵/۰۹/۱۶ (۱ در آستانه مهلت، ۱ عقب‌افتاده، ۰ بازگشتی برای اصلاح)." in page
    assert "برای ۱ مسئول در سامانه فرستاده شد (۱ با ایمیل)." in page
    assert "این هفته به مدیرکل ارجاع شد (آخرین بار ۱۴۰۵/۰۹/۱۶):" in page
    assert "بدون گزارش" in page
    assert "گام عقب‌افتاده" not in page.split('id="chase-heading"')[1].split("</section>")[0]  # counts, never titles


def test_an_agency_without_an_officer_is_flagged(client, goal, agency, director_user, plan):
    milestone(goal, agency, "گام", TODAY)
    with at(TODAY):
        run_reminders()
    with at(TODAY, 10):
        client.force_login(director_user)
        page = client.get(reverse("plans:agency", args=[plan.pk, "education"])).content.decode()
    assert "این دستگاه مسئولی برای یادآوری ندارد" in page


def test_the_dashboard_lists_the_agencies_escalated_this_week(client, chased, director_user):
    with at("1405/09/18", 10):
        client.force_login(director_user)
        page = client.get(reverse("home")).content.decode()
    table = page.split('class="table table-sm align-middle escalated-agencies"')[1].split("</table>")[0]
    assert 'data-agency="education"' in table
    assert 'data-agency="gas"' in table
    assert "۱۴۰۵/۰۹/۱۶" in table
    assert "از ۱۴۰۵/۰۹/۱۴ تاکنون ۱ یادآوری برای دستگاه‌ها فرستاده شده است." in page  # the week began Saturday 09/14
    with at("1405/09/22", 10):  # the next week (from Saturday 09/21): nothing escalated yet
        client.force_login(director_user)
        page = client.get(reverse("home")).content.decode()
    assert "این هفته هیچ دستگاهی به مدیرکل ارجاع نشده است." in page


def test_an_archived_plans_pages_show_no_chase(client, chased, plan, director_user):
    StrategicPlan.objects.filter(pk=plan.pk).update(status=StrategicPlan.Status.ARCHIVED)
    client.force_login(director_user)
    page = client.get(reverse("plans:agency", args=[plan.pk, "education"])).content.decode()
    assert "chase-panel" not in page
