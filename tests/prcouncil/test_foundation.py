"""The foundation as a user meets it: Persian layout, local assets only, login, the demo data, concurrency."""

import re
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, close_old_connections, connection, transaction
from django.urls import reverse

from agencies.models import Agency, County, Membership
from plans.models import Goal, Milestone, ProgressUpdate, StrategicPlan
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL_URL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_no_template_or_static_file_loads_anything_from_another_host():
    offenders = []
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".css", ".js"} and EXTERNAL_URL.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_login_page_is_persian_right_to_left_and_uses_local_assets(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "/static/vendor/bootstrap/css/bootstrap.rtl.min.css" in html
    assert "/static/css/fonts.css" in html
    assert "ورود" in html
    assert not EXTERNAL_URL.search(html)


@pytest.mark.django_db
def test_english_is_left_to_right(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "Log in" in html


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "default-src 'self'" in policy
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+=", response.content.decode())


@pytest.mark.django_db
def test_the_plan_needs_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_wrong_password_gets_a_persian_message(client, director_user):
    response = client.post(reverse("login"), {"username": "director", "password": "wrong"})
    assert response.status_code == 200
    assert "نام کاربری" in response.content.decode()


@pytest.mark.django_db
def test_home_shows_the_active_plan_with_persian_digits(client, viewer_user):
    plan = factories.StrategicPlanFactory(title="برنامه ۱۴۰۵", status=StrategicPlan.Status.ACTIVE)
    goal = factories.GoalFactory(plan=plan, number=12, title="فضای مجازی")
    factories.MilestoneFactory(goal=goal, progress=35)
    client.force_login(viewer_user)
    html = client.get(reverse("home")).content.decode()
    assert "برنامه ۱۴۰۵" in html
    assert "فضای مجازی" in html
    assert "۱۲" in html
    assert "۳۵٪" in html


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (County, Agency, Membership, StrategicPlan, Goal, Milestone, ProgressUpdate)
    } | {"history": Milestone.history.count(), "goal_history": Goal.history.count()}


@pytest.mark.django_db
def test_seed_demo_builds_the_province_and_is_idempotent(settings):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    plan = StrategicPlan.objects.get(year=1405)
    assert plan.status == StrategicPlan.Status.ACTIVE
    assert plan.goals.count() == 20
    per_goal = [goal.milestones.count() for goal in plan.goals.all()]
    assert min(per_goal) >= 4
    assert max(per_goal) <= 8
    assert first["County"] == 9
    assert first["Agency"] >= 29
    assert Membership.objects.filter(role=Membership.Role.OFFICER).count() == first["Agency"]
    officer = Membership.objects.select_related("user", "agency").get(user__username="officer-education")
    assert officer.agency.name == "آموزش و پرورش"
    assert officer.user.check_password(settings.DEMO_PASSWORD)
    # Statuses read true: some done, some under way, some delayed, with report histories.
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert {"done", "in_progress", "delayed"} <= statuses
    assert first["ProgressUpdate"] > first["Milestone"]
    assert ProgressUpdate.objects.filter(review_state="submitted").exists()


@pytest.mark.django_db
def test_seed_demo_is_refused_where_demo_data_is_not_allowed(settings):
    settings.DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not StrategicPlan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_never_fail_and_never_lose_an_update():
    """SQLite: IMMEDIATE transactions queue on the busy timeout; PostgreSQL: the row lock."""
    milestone = factories.MilestoneFactory(progress=0)
    errors, writers, rounds = [], 8, 25

    def write():
        try:
            for _ in range(rounds):
                with transaction.atomic():
                    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
                    locked.progress = (locked.progress + 1) % 100
                    locked.save(update_fields=["progress"])
        except OperationalError as exc:  # "database is locked" would land here
            errors.append(str(exc))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    milestone.refresh_from_db()
    assert milestone.version == 1 + writers * rounds


@pytest.mark.django_db
def test_a_nul_byte_in_a_parameter_is_a_clear_400_not_a_500(client, director_user):
    client.force_login(director_user)
    assert client.get("/", {"plan": "\x00"}).status_code == 400
    response = client.post(reverse("login"), {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "نویسه‌ای" in response.content.decode()


@pytest.mark.django_db
def test_after_login_an_officer_lands_on_their_agency_and_others_on_the_dashboard(client, officer_user, director_user):
    client.force_login(officer_user)
    assert client.get(reverse("start")).url == reverse("reporting:my_agency")
    client.force_login(director_user)
    assert client.get(reverse("start")).url == reverse("home")


@pytest.mark.django_db
def test_persian_first_whatever_the_browser_language_until_english_is_chosen(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en" dir="ltr">' in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_error_pages_are_persian_with_the_layout_and_a_way_back(client, officer_user, agency):
    client.force_login(officer_user)
    other = factories.MilestoneFactory()
    response = client.get(reverse("reporting:milestone", args=[other.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in html
    assert "صفحه پیدا نشد" in html
    assert f'href="{reverse("start")}"' in html
    forbidden = client.get(reverse("reporting:review_queue"))
    assert forbidden.status_code == 403
    assert "اجازه" in forbidden.content.decode()
