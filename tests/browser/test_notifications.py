"""The officer's bell in a real browser: the unread count, the notification, and the milestone's row."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import StrategicPlan
from plans.services import report_progress, review_progress_update
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def returned_report(db):
    agency = factories.AgencyFactory(code="education", name="آموزش و پرورش")
    officer = factories.officer(agency, username="officer-education", email="pr@education.example.ir")
    director = factories.director(username="director", first_name="مدیرکل")
    plan = factories.StrategicPlanFactory(title="برنامه راهبردی روابط عمومی ۱۴۰۵", status=StrategicPlan.Status.ACTIVE)
    goal = factories.GoalFactory(plan=plan, number=4, title="انعکاس به‌موقع اخبار و خدمات دولت در رسانه‌ها")
    today = timezone.localdate()
    # Enough rows that the returned one is well below the fold.
    for number in range(20):
        factories.MilestoneFactory(
            goal=goal,
            agency=agency,
            title=f"ارسال خبر هفته {number + 1}",
            start_date=today - datetime.timedelta(days=30),
            due_date=today + datetime.timedelta(days=5 + number),
        )
    milestone = factories.MilestoneFactory(
        goal=goal,
        agency=agency,
        title="تهیه گزارش خبری از خدمات دستگاه در شهرستان‌ها",
        start_date=today - datetime.timedelta(days=30),
        due_date=today + datetime.timedelta(days=60),
    )
    # The real flow: the officer reports, the director returns it; the review event notifies the officer
    # (the test settings run the task at once, after the commit).
    update = report_progress(
        milestone=milestone, author=officer, status="in_progress", progress=30, expected_version=milestone.version
    )
    review_progress_update(update=update, reviewer=director, accept=False, reason="تصویر خبر منتشرشده را پیوست کنید.")
    return milestone


def test_the_officer_sees_the_unread_count_opens_the_notification_and_lands_on_the_row(
    page, login, screenshot, console_errors, returned_report
):
    milestone = returned_report
    assert [message.to for message in mail.outbox] == [["pr@education.example.ir"]]
    login("officer-education")
    bell = page.locator("a.notification-bell")
    expect(bell.locator(".unread-count")).to_have_text("۱")
    screenshot("notifications-1-bell")

    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    item = page.locator("li.notification.unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("برای اصلاح بازگشت داده شد: تصویر خبر منتشرشده را پیوست کنید.")
    screenshot("notifications-2-list")

    item.locator("button.notification-open").click()
    expect(page).to_have_url(re.compile(rf"/reporting/my-agency/\?milestone={milestone.pk}#milestone-{milestone.pk}$"))
    row = page.locator(f"#milestone-{milestone.pk}")
    expect(row).to_be_in_viewport()
    expect(row).to_contain_text("تهیه گزارش خبری از خدمات دستگاه در شهرستان‌ها")
    expect(row.locator(".review-reason")).to_contain_text("تصویر خبر منتشرشده را پیوست کنید.")
    expect(page.locator("a.notification-bell .unread-count")).to_have_count(0)  # read now
    screenshot("notifications-3-landed-on-the-row")

    page.goto("/notifications/")
    expect(page.locator("li.notification.unread")).to_have_count(0)
    assert console_errors == []
