"""The admin in a real browser at 1366 px, in Persian, as the director-general (issue 11, part 2)."""

import datetime

import pytest
from playwright.sync_api import expect

from plans.models import Milestone
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goal(db):
    factories.director(username="director", first_name="مدیرکل")
    goal = factories.GoalFactory(number=5, title="نشست‌های خبری فصلی مدیران با رسانه‌ها")
    for number in range(3):
        agency = factories.AgencyFactory(name=f"اداره‌کل توسعه و نوسازی مدارس و فضاهای آموزشی شمارهٔ {number + 1}")
        factories.MilestoneFactory(
            goal=goal,
            agency=agency,
            title="برگزاری نشست خبری فصلی مدیرکل با خبرنگاران و اصحاب رسانهٔ استان در پایان هر فصل",
            start_date=datetime.date(2026, 3, 21),
            due_date=datetime.date(2026, 9, 22),
            progress=40,
            status="in_progress",
        )
    return goal


def test_the_goal_pages_milestones_fit_1366_px_and_the_date_picker_works(page, login, screenshot, console_errors, goal):
    login("director")
    page.goto(f"/admin/plans/goal/{goal.pk}/change/")
    # The page itself does not scroll sideways: the inline's table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    box = page.locator(".inline-group .tabular").first
    progress_header = box.locator("th", has_text="پیشرفت")
    progress_header.scroll_into_view_if_needed()
    expect(progress_header).to_be_in_viewport()
    expect(box.locator("td.field-progress").first).to_contain_text("۴۰")
    screenshot("admin-goal-inline-1366")

    milestone = Milestone.objects.filter(goal=goal).first()
    page.goto(f"/admin/plans/milestone/{milestone.pk}/change/")
    due = page.locator("input[name=due_date]")
    expect(due).to_have_value("۱۴۰۵/۰۶/۳۱")
    due.click()
    picker = page.locator("jdp-container")
    expect(picker).to_be_visible()
    screenshot("admin-milestone-date-picker")
    picker.locator(".jdp-day:not(.not-in-month)", has_text="۱۵").first.click()
    expect(due).to_have_value("۱۴۰۵/۰۶/۱۵")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    milestone.refresh_from_db()
    assert milestone.due_date == datetime.date(2026, 9, 6)  # ۱۴۰۵/۰۶/۱۵
    assert milestone.progress == 40
    assert not console_errors, console_errors  # nothing refused by the content security policy either
