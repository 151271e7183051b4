"""Login protection as a person meets it: wrong passwords lock one username from one address for a while.

django-axes counts failures per (username, address). After AXES_FAILURE_LIMIT of them the right
password is refused for that username from that address, while the same username from another
address and another username from the same address still log in: a whole office behind one
address is never locked out by one person's typing.
"""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from prcouncil.security import client_ip
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-1405"
OFFICE = "10.20.30.40"
HOME = "10.99.0.7"


@pytest.fixture
def person(agency):
    user = factories.officer(agency, username="officer-education")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def colleague(agency):
    user = factories.viewer(username="colleague")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, username, password, ip, url=None):
    url = url or reverse("login")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, ip, times, url=None):
    return [log_in(client, username, "wrong-password", ip, url) for _ in range(times)]


def test_wrong_passwords_lock_that_username_from_that_address_only(client, settings, person, colleague):
    limit = settings.AXES_FAILURE_LIMIT
    responses = fail(client, "officer-education", OFFICE, limit - 1)
    assert [response.status_code for response in responses] == [200] * (limit - 1)  # the form, with its error
    # One short of the limit the right password still works.
    assert log_in(client, "officer-education", PASSWORD, OFFICE).status_code == 302
    client.logout()

    # A success resets the count: the limit is counted again from zero.
    responses = fail(client, "officer-education", OFFICE, limit)
    assert responses[-1].status_code == 429
    refused = log_in(client, "officer-education", PASSWORD, OFFICE)
    assert refused.status_code == 429
    assert not is_logged_in(client)

    # The same person from another address, and a colleague from the same office, still get in.
    assert log_in(client, "officer-education", PASSWORD, HOME).status_code == 302
    assert is_logged_in(client)
    client.logout()
    assert log_in(client, "colleague", PASSWORD, OFFICE).status_code == 302
    assert is_logged_in(client)


def test_the_lockout_page_is_persian_in_the_site_layout(client, settings, person):
    fail(client, "officer-education", OFFICE, settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "officer-education", PASSWORD, OFFICE)
    html = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="fa" dir="rtl">' in html
    assert "ورود برای مدتی قفل شد" in html
    assert f"{settings.AXES_FAILURE_LIMIT}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in html
    assert "۱۵ دقیقه" in html  # the cool-off, in Persian digits
    assert "دبیرخانه" in html  # who to ask
    assert "footer" in html  # the layout, not a bare message
    assert "wrong-password" not in html


def test_the_admin_login_is_protected_too(client, settings, director_user):
    director_user.set_password(PASSWORD)
    director_user.save()
    admin_login = reverse("admin:login")
    responses = fail(client, "director", OFFICE, settings.AXES_FAILURE_LIMIT, url=admin_login)
    assert responses[-1].status_code == 429
    assert log_in(client, "director", PASSWORD, OFFICE, url=admin_login).status_code == 429
    assert not is_logged_in(client)
    assert log_in(client, "director", PASSWORD, HOME, url=admin_login).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, settings, person):
    fail(client, "officer-education", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "officer-education", PASSWORD, OFFICE).status_code == 429
    # The last failure was longer ago than the cool-off.
    earlier = datetime.datetime.now(tz=datetime.UTC) - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=5)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert log_in(client, "officer-education", PASSWORD, OFFICE).status_code == 302


def test_the_director_general_unlocks_a_person_from_the_admin(client, settings, person, director_user):
    fail(client, "officer-education", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "officer-education", PASSWORD, OFFICE).status_code == 429

    client.force_login(director_user)
    changelist = reverse("admin:auth_user_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "unlock_login" in page.content.decode()
    response = client.post(changelist, {"action": "unlock_login", "_selected_action": [person.pk]}, follow=True)
    assert response.status_code == 200
    assert "قفل ورود" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="officer-education").exists()
    client.logout()

    assert log_in(client, "officer-education", PASSWORD, OFFICE).status_code == 302


def test_the_director_general_reads_and_clears_locked_attempts_in_axes_list(client, settings, person, director_user):
    fail(client, "officer-education", OFFICE, settings.AXES_FAILURE_LIMIT)
    client.force_login(director_user)
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200
    assert "officer-education" in attempts.content.decode()
    assert "wrong-password" not in attempts.content.decode()
    attempt = AccessAttempt.objects.get()
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("role", ["officer", "evaluator", "viewer"])
def test_nobody_else_unlocks(client, settings, person, role, agency):
    fail(client, "officer-education", OFFICE, settings.AXES_FAILURE_LIMIT)
    other = factories.officer(agency, username="someone") if role == "officer" else getattr(factories, role)()
    client.force_login(other)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "unlock_login", "_selected_action": [person.pk]}
    )
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))
    assert AccessAttempt.objects.filter(username="officer-education").exists()


def test_logins_failures_and_lockouts_are_logged_without_passwords(client, settings, person, caplog):
    caplog.set_level(logging.INFO, logger="prcouncil.security")
    fail(client, "officer-education", OFFICE, settings.AXES_FAILURE_LIMIT)
    log_in(client, "officer-education", PASSWORD, HOME)
    lines = [record.getMessage() for record in caplog.records if record.name == "prcouncil.security"]
    assert f"login failed: username=officer-education ip={OFFICE}" in lines
    assert any(line.startswith(f"login locked out: username=officer-education ip={OFFICE}") for line in lines)
    assert f"login succeeded: username=officer-education ip={HOME}" in lines
    assert not any("wrong-password" in line or PASSWORD in line for line in lines)


def test_a_refused_page_is_logged_with_who_asked(client, officer_user, caplog):
    caplog.set_level(logging.WARNING, logger="prcouncil.security")
    client.force_login(officer_user)
    assert client.get(reverse("reporting:review_queue")).status_code == 403
    assert "permission refused: username=officer-education ip=127.0.0.1 GET /reporting/review/" in caplog.text


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # no proxy trusted: the header is anyone's to write
        (1, "1.2.3.4", "10.0.0.1", "1.2.3.4"),  # nginx appended the client's address
        (1, "6.6.6.6, 1.2.3.4", "10.0.0.1", "1.2.3.4"),  # a forged entry on the left is ignored
        (2, "6.6.6.6, 1.2.3.4, 10.1.1.1", "10.0.0.1", "1.2.3.4"),  # two proxies
        (2, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "10.0.0.1", "10.0.0.1"),
        (1, "", "10.0.0.1", "10.0.0.1"),
        (1, "2001:db8::1", "10.0.0.1", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(rf, settings, count, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_behind_a_proxy_each_client_address_is_counted_apart(client, settings, person):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "officer-education", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    ok = client.post(
        reverse("login"),
        {"username": "officer-education", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert ok.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


@pytest.mark.parametrize("password", ["short-140", "1234567890123", "password123"])
def test_new_passwords_need_ten_characters_and_no_common_or_numeric_ones(password, person):
    with pytest.raises(ValidationError):
        validate_password(password, user=person)


def test_a_ten_character_password_is_accepted(person):
    validate_password("yasuj-1405", user=person)


def test_sessions_last_a_working_day_and_end_with_the_browser(client, settings, person):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    log_in(client, "officer-education", PASSWORD, OFFICE)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""  # a browser-session cookie
    assert cookie["max-age"] == ""
    assert client.session.get_expiry_age() == 8 * 60 * 60
