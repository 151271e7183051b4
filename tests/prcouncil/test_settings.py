"""Production settings refuse to start without their secrets and pass `check --deploy`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "prcouncil.settings.production",
    "DJANGO_SECRET_KEY": "x" * 30 + "-production-like-secret-key-for-the-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "prcouncil.example.ir",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
}


def manage(*args, env):
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, check=False
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production" in result.stderr


def test_debug_is_off_unless_the_environment_turns_it_on():
    from prcouncil.settings import base

    assert base.DEBUG is False or os.environ.get("DJANGO_DEBUG")
    assert os.environ.get("DJANGO_SECRET_KEY", "") == base.SECRET_KEY
    assert base.ALLOWED_HOSTS == [] or os.environ.get("DJANGO_ALLOWED_HOSTS")


@pytest.mark.django_db
def test_sqlite_starts_transactions_immediately_with_wal_and_a_busy_timeout(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("PostgreSQL run")
    from django.db import connection

    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def production_settings(*names, extra_env=None):
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}))"
    )
    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, **(extra_env or {})})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_cookies_are_secure_http_only_and_same_site_in_production():
    values = production_settings(
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SAMESITE",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SAMESITE": "Lax",
    }


def test_sessions_and_login_protection_follow_the_environment_in_production():
    defaults = production_settings("SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "AXES_FAILURE_LIMIT")
    assert defaults == {
        "SESSION_COOKIE_AGE": 8 * 3600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "AXES_FAILURE_LIMIT": 5,
    }
    chosen = production_settings(
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "AXES_FAILURE_LIMIT",
        "TRUSTED_PROXY_COUNT",
        extra_env={
            "PRCOUNCIL_SESSION_HOURS": "4",
            "PRCOUNCIL_SESSION_EXPIRE_AT_BROWSER_CLOSE": "false",
            "PRCOUNCIL_LOGIN_FAILURE_LIMIT": "8",
            "PRCOUNCIL_TRUSTED_PROXY_COUNT": "1",
        },
    )
    assert chosen == {
        "SESSION_COOKIE_AGE": 4 * 3600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": False,
        "AXES_FAILURE_LIMIT": 8,
        "TRUSTED_PROXY_COUNT": 1,
    }


@pytest.mark.django_db
def test_the_language_cookie_carries_its_flags(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # as in production
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
