import pytest
from django.conf import settings

from agencies.models import Membership
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_after_too_many_wrong_passwords_the_right_one_gets_the_persian_lockout_page(
    page, login, screenshot, console_errors
):
    factories.UserFactory.with_role(Membership.Role.VIEWER, username="viewer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("viewer", password="not-the-password")
    login("viewer")  # the right password, from the same browser and address

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="ورود برای مدتی قفل شد").is_visible()
    assert page.get_by_text("۱۵ دقیقه دیگر دوباره تلاش کنید.").is_visible()
    assert page.locator("nav").first.is_visible()  # in the site's layout, with the way back
    screenshot("login-locked-out")
    # The only failed responses are the lockout's own (429); nothing else broke.
    assert {error.split()[0] for error in console_errors if error[:3].isdigit()} == {"429"}
    assert [error for error in console_errors if not error[:3].isdigit() and "429" not in error] == []
