"""Benchmark the admin milestone import through the background task (a manual command, never on the CI path).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/issue10b .venv/bin/python bench/admin_import.py --rows 20000
    .venv/bin/python bench/admin_import.py --rows 20000 --server http://127.0.0.1:8001   # against gunicorn + db_worker

In-process (default): the director uploads an xlsx of N new milestones through the admin with Django's test
client; the tasks run at once (the immediate backend), so the upload request times the preview task and the
confirm request times the import task. Prints rows, seconds, rows per second and the process's peak RSS.

--server: the same upload over HTTP to a running server (e.g. gunicorn with 3 workers and its default 30 s
timeout) with `manage.py db_worker` running beside it; the job page is polled as the browser's htmx does,
and each request's time is printed (no request may take the import's time). Uses the bench director
(`bench-import-director`, password from --password) this script creates in the database first.

The bench's rows are titled "bench-import …" under the goal and agency this script creates; they are
deleted before each run.
"""

import argparse
import io
import os
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADERS = ["goal", "agency", "title", "target", "start_date", "due_date", "weight", "status", "progress"]
PASSWORD_DEFAULT = "bench-import-1405"  # noqa: S105 -- a bench user on a bench database


def setup_django():
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/issue10b")
    os.environ["DJANGO_SETTINGS_MODULE"] = "prcouncil.settings.local"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare(password):
    """The bench's plan, goal, agency and director (idempotent); its earlier rows removed."""
    from django.contrib.auth import get_user_model

    from agencies.models import Agency, County, Membership
    from plans.models import Goal, Milestone, StrategicPlan

    county, _ = County.objects.get_or_create(name="شهرستان آزمون بارگذاری")
    agency, _ = Agency.objects.get_or_create(
        code="bench-import",
        defaults={"name": "دستگاه آزمون بارگذاری", "county": county, "category": Agency.Category.SERVICES},
    )
    plan = StrategicPlan.objects.filter(title="برنامه آزمون بارگذاری").first() or StrategicPlan.objects.create(
        title="برنامه آزمون بارگذاری", year=1405
    )
    goal, _ = Goal.objects.get_or_create(plan=plan, number=901, defaults={"title": "هدف آزمون بارگذاری"})
    user, _ = get_user_model().objects.get_or_create(username="bench-import-director")
    user.set_password(password)
    user.is_staff = True
    user.save()
    Membership.objects.update_or_create(user=user, defaults={"role": Membership.Role.DIRECTOR, "agency": None})
    Milestone.objects.filter(goal=goal, title__startswith="bench-import").delete()
    return goal, agency, user


def workbook(goal, agency, rows):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for number in range(1, rows + 1):
        sheet.append(
            [
                goal.pk,
                agency.code,
                f"bench-import {number}",
                "",
                "1405/01/15",
                "1405/03/31",
                1,
                "در حال اجرا",
                number % 100,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(lines):
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    print(f"{'step':<22}{'rows':>8}{'seconds':>10}{'rows/s':>10}{'peak RSS MB':>13}")
    for step, rows, seconds, rss in lines:
        print(f"{step:<22}{rows:>8}{seconds:>10.1f}{rows / seconds:>10.0f}{rss:>13.0f}")


def in_process(rows, password):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    from fileformats.models import FileJob
    from plans.models import Milestone

    goal, agency, user = prepare(password)
    data = workbook(goal, agency, rows)
    lines = []
    with override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        ALLOWED_HOSTS=["testserver"],
    ):
        client = Client()
        client.force_login(user)
        started = time.perf_counter()
        response = client.post(
            reverse("admin:plans_milestone_import"),
            {"format": "0", "import_file": SimpleUploadedFile("bench.xlsx", data)},
        )
        lines.append(("preview (dry run)", rows, time.perf_counter() - started, peak_rss_mb()))
        assert response.status_code == 302, response.status_code
        preview = FileJob.objects.filter(user=user, kind="preview").latest("pk")
        assert preview.ok, preview.result
        started = time.perf_counter()
        response = client.post(reverse("admin:plans_milestone_process_import"), {"job": preview.pk})
        lines.append(("import", rows, time.perf_counter() - started, peak_rss_mb()))
        job = preview.imports.get()
        assert job.ok, job.result
    written = Milestone.objects.filter(goal=goal, title__startswith="bench-import").count()
    print(f"database: {connection.vendor}; rows written: {written}")
    table(lines)


def over_http(rows, password, server):
    import httpx

    goal, agency, _user = prepare(password)
    data = workbook(goal, agency, rows)
    slowest = 0.0

    def timed(method, url, **kwargs):
        nonlocal slowest
        started = time.perf_counter()
        response = client.request(method, url, **kwargs)
        slowest = max(slowest, time.perf_counter() - started)
        return response

    def poll(url):
        polls = 0
        while True:
            page = timed("GET", url, headers={"HX-Request": "true"})
            page.raise_for_status()
            polls += 1
            if "hx-trigger" not in page.text:
                return page.text, polls
            time.sleep(1)

    with httpx.Client(base_url=server, follow_redirects=False, timeout=120) as client:
        login = timed("GET", "/admin/login/")
        csrf = client.cookies["csrftoken"]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        done = timed(
            "POST",
            "/admin/login/",
            data={"csrfmiddlewaretoken": token, "username": "bench-import-director", "password": password},
            headers={"Referer": f"{server}/admin/login/"},
        )
        assert done.status_code == 302, f"login: {done.status_code}"
        form = timed("GET", "/admin/plans/milestone/import/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        csrf = client.cookies["csrftoken"]
        started = time.perf_counter()
        upload = timed(
            "POST",
            "/admin/plans/milestone/import/",
            data={"csrfmiddlewaretoken": token, "format": "0"},
            files={"import_file": ("bench.xlsx", data)},
            headers={"Referer": f"{server}/admin/plans/milestone/import/", "X-CSRFToken": csrf},
        )
        assert upload.status_code == 302, f"upload: {upload.status_code}"
        page, polls = poll(upload.headers["Location"])
        preview_seconds = time.perf_counter() - started
        job = re.search(r'name="job" value="(\d+)"', page)
        assert job, page[:3000]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        started = time.perf_counter()
        confirm = timed(
            "POST",
            "/admin/plans/milestone/process_import/",
            data={"csrfmiddlewaretoken": token, "job": job.group(1)},
            headers={"Referer": f"{server}{upload.headers['Location']}"},
        )
        assert confirm.status_code == 302, f"confirm: {confirm.status_code}"
        page, polls_2 = poll(confirm.headers["Location"])
        import_seconds = time.perf_counter() - started
        assert "errorlist" not in page, page[:3000]
    print(f"server {server}: {polls + polls_2} polls; slowest request {slowest:.2f} s")
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    print(f"{'step':<22}{'rows':>8}{'seconds':>10}{'rows/s':>10}")
    for step, seconds in (("preview (dry run)", preview_seconds), ("import", import_seconds)):
        print(f"{step:<22}{rows:>8}{seconds:>10.1f}{rows / seconds:>10.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--server", help="a running server's base URL (with a db_worker beside it)")
    parser.add_argument("--password", default=PASSWORD_DEFAULT)
    args = parser.parse_args()
    setup_django()
    if args.server:
        over_http(args.rows, args.password, args.server)
    else:
        in_process(args.rows, args.password)


if __name__ == "__main__":
    main()
