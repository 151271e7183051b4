import pytest
from playwright.sync_api import expect

from agencies.models import Membership
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_logs_in_in_persian_and_sees_the_plan_in_the_admin(page, login, screenshot, console_errors):
    factories.UserFactory.with_role(Membership.Role.DIRECTOR, username="director")
    plan = factories.StrategicPlanFactory(title="برنامه راهبردی روابط عمومی ۱۴۰۵", status="active")
    factories.GoalFactory(plan=plan, number=1, title="برنامه عملیاتی سالانه روابط عمومی")

    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.get_by_role("heading", name="ورود").is_visible()

    login("director")
    assert page.get_by_role("heading", name="برنامه راهبردی روابط عمومی ۱۴۰۵").is_visible()
    assert page.get_by_text("برنامه عملیاتی سالانه روابط عمومی").is_visible()

    page.goto("/admin/plans/strategicplan/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("link", name="برنامه راهبردی روابط عمومی ۱۴۰۵").is_visible()
    screenshot("foundation-admin-plans")

    page.get_by_role("link", name="برنامه راهبردی روابط عمومی ۱۴۰۵").click()
    expect(page.locator("input[value='برنامه عملیاتی سالانه روابط عمومی']")).to_have_count(1)
    # Vazirmatn and Bootstrap load from our own server: no request failed, nothing logged an error.
    assert console_errors == []


def test_language_switch_turns_the_page_left_to_right(page, login, console_errors):
    factories.UserFactory.with_role(Membership.Role.VIEWER, username="viewer")
    login("viewer")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "en"
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in font
    assert console_errors == []
