# ruff: noqa: S105, S603, S607, S608 -- a manual command: it runs psql and gunicorn with its own constants.
"""A loopback load run: officers posting reports and directors reading the dashboard at once (issue 15).

    .venv/bin/python bench/load_run.py                      # bench_progress_1 (full scale), 50 + 5 users, 60 s
    .venv/bin/python bench/load_run.py --scale 0.01 --seconds 20

It uses a PostgreSQL database built by bench/progress_pages.py (<prefix>_<scale> on 127.0.0.1:5432,
<prefix> is $BENCH_DB_PREFIX, bench_progress by default; build it first with
`bench/progress_pages.py --db postgres --scale 1.0 --build-only`) and brings it up to date: `migrate`, after
renaming the plans migrations that were renumbered when issue 15 was merged (a database built on the
issue 15 branch recorded them as 0003–0007). Then, with the Django ORM, it gives --officers agencies
(those of the active plan with the most open milestones) an officer each (`load-officer-<code>`) and
makes --directors directors (`load-director-<n>`), all with one password.

It starts gunicorn on 127.0.0.1 (gthread workers, local settings with DEBUG off, the database task
backend as in production), logs every user in through the login form, and for --seconds lets each
one work in its own thread with its own httpx client (cookies, keep-alive), thinking 1–3 s (random)
before every request:
- an officer GETs the agency page (/reporting/my-agency/), then the report form of one of the
  agency's open milestones, then POSTs it (CSRF token, the version the form showed, status in
  progress, progress one more than shown) — accepted is a 302 to the milestone page;
- a director GETs the dashboard (/).
Afterwards it counts the reports saved in the database by these officers during the run and
compares them with the reports the script saw accepted, runs `manage.py check_progress_summary`,
and prints p50/p95/p99 per request type, the errors, and saved vs counted.
Goal (issue 15): p95 ≤ 300 ms, 0 errors, 0 lost reports.
"""

import argparse
import datetime
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._shared import postgres_url, start_gunicorn  # noqa: E402 -- after the path is set

PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench_progress")
PASSWORD = "load-run-1405"
OPEN = ("not_started", "in_progress", "delayed")
# The plans migrations as a database built on the issue 15 branch recorded them, and their names on main.
RENUMBERED = {
    "0003_progress_summary": "0006_progress_summary",
    "0004_trend_snapshots": "0007_trend_snapshots",
    "0005_open_milestones_by_due_date": "0008_open_milestones_by_due_date",
    "0006_trend_snapshot_figure": "0009_trend_snapshot_figure",
    "0007_own_reports_awaiting_review": "0010_own_reports_awaiting_review",
}
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def environment(url):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "prcouncil.settings.local",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }


def manage(env, *args, check=True):
    python = str(ROOT / ".venv" / "bin" / "python")
    return subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=check)


def bring_up_to_date(env):
    """`migrate`; a database that recorded the plans migrations under their pre-merge numbers first
    forgets those names, applies the migrations merged before them, and records them as applied
    (they are the same migrations: only their dependencies were renumbered)."""
    old = "', '".join(RENUMBERED)
    recorded = subprocess.run(
        [
            "psql",
            env["DATABASE_URL"],
            "-tAc",
            f"SELECT count(*) FROM django_migrations WHERE app = 'plans' AND name IN ('{old}')",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if recorded != "0":
        subprocess.run(
            [
                "psql",
                env["DATABASE_URL"],
                "-c",
                f"DELETE FROM django_migrations WHERE app = 'plans' AND name IN ('{old}')",
            ],
            check=True,
        )
        manage(env, "migrate", "-v0", "plans", "0005")
        manage(env, "migrate", "-v0", "--fake", "plans", "0010")
    started = time.perf_counter()
    manage(env, "migrate", "-v0")
    print(f"  migrate: {time.perf_counter() - started:.0f} s")


def prepare_users(env, officers, directors):
    """{username: [open milestone ids]} for the officers, and the directors' usernames."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from agencies.models import Agency, Membership
    from agencies.services import grant_role
    from plans.models import Milestone, StrategicPlan

    plan = StrategicPlan.objects.active().get()
    open_here = Q(milestones__goal__plan=plan, milestones__status__in=OPEN, milestones__progress__lte=90)
    agencies = list(
        Agency.objects.annotate(open_count=Count("milestones", filter=open_here))
        .filter(open_count__gt=0)
        .order_by("-open_count", "pk")[:officers]
    )
    if len(agencies) < officers:
        raise SystemExit(f"only {len(agencies)} agencies have open milestones")
    users = get_user_model().objects

    def user(username):
        person, _ = users.get_or_create(username=username)
        person.set_password(PASSWORD)
        person.save()
        return person

    work = {}
    for agency in agencies:
        person = user(f"load-officer-{agency.code}")
        grant_role(user=person, role=Membership.Role.OFFICER, agency=agency)
        work[person.username] = list(
            Milestone.objects.in_plan(plan)
            .filter(agency=agency, status__in=OPEN, progress__lte=90)
            .values_list("pk", flat=True)[:200]
        )
    names = []
    for n in range(1, directors + 1):
        person = user(f"load-director-{n}")
        grant_role(user=person, role=Membership.Role.DIRECTOR)
        names.append(person.username)
    return work, names


def fresh_triggers():
    """The summary's triggers as the code writes them now, and the summary rebuilt under them.

    `migrate` only creates missing triggers: a database built before a trigger body changed (here: the
    issue 15 branch before "a milestone update adds to its new cell before it leaves the old one") keeps
    the old body, and a one-milestone cell then loses its last report date on every report."""
    from django.db import connection

    from plans import summary

    started = time.perf_counter()
    summary.create_triggers()
    rows = summary.rebuild()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE plans_progresssummary")
    print(f"  triggers replaced, summary rebuilt: {rows:,} rows in {time.perf_counter() - started:.0f} s")


def reports_by(usernames):
    from django.db import close_old_connections

    from plans.models import ProgressUpdate

    close_old_connections()
    return ProgressUpdate.objects.filter(author__username__in=usernames).count()


def logged_out_page(base):
    """The server's address once its login page answers."""
    return base if httpx.get(f"{base}/accounts/login/", timeout=2).status_code == 200 else None


def hidden(html, name):
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
    if tag is None:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def log_in(base, username):
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        data={
            "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"),
            "username": username,
            "password": PASSWORD,
        },
        headers={"Referer": f"{base}/accounts/login/"},
    )
    if response.status_code != 302:
        raise SystemExit(f"log in {username}: {response.status_code}")
    return client


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.errors = {}
        self.accepted = 0
        self.refused = 0
        self.samples = []

    def add(self, kind, seconds, ok, sample=None):
        with self.lock:
            self.times.setdefault(kind, []).append(seconds * 1000)
            self.errors.setdefault(kind, 0)
            if not ok:
                self.errors[kind] += 1
                if sample and len(self.samples) < 5:
                    self.samples.append(sample)


def timed(tally, kind, call, expected):
    began = time.perf_counter()
    try:
        response = call()
    except httpx.HTTPError as exc:
        tally.add(kind, time.perf_counter() - began, False, f"{kind}: {exc!r}")
        return None
    ok = response.status_code in expected
    tally.add(kind, time.perf_counter() - began, ok, None if ok else f"{kind}: {response.status_code}")
    return response if ok else None


def officer(client, milestones, tally, deadline, think, rng):
    while True:
        time.sleep(rng.uniform(*think))
        if time.monotonic() >= deadline:
            return
        timed(tally, "officer: agency page", lambda: client.get("/reporting/my-agency/"), {200})
        time.sleep(rng.uniform(*think))
        if time.monotonic() >= deadline:
            return
        pk = rng.choice(milestones)
        url = f"/reporting/milestones/{pk}/report/"
        form = timed(tally, "officer: report form", lambda url=url: client.get(url), {200})
        if form is None:
            continue
        version = hidden(form.text, "version")
        shown = int((hidden(form.text, "progress") or "0").translate(PERSIAN_DIGITS) or 0)
        time.sleep(rng.uniform(*think))
        if time.monotonic() >= deadline:
            return
        data = {
            "csrfmiddlewaretoken": hidden(form.text, "csrfmiddlewaretoken"),
            "version": version,
            "status": "in_progress",
            "progress": str(min(shown + 1, 99)),
            "note": "گزارش آزمون بار",
        }
        posted = timed(
            tally,
            "officer: report post",
            lambda url=url, data=data: client.post(url, data=data, headers={"Referer": f"{client.base_url}{url}"}),
            {200, 302},
        )
        if posted is None:
            continue
        with tally.lock:
            if posted.status_code == 302 and f"/milestones/{pk}/" in posted.headers.get("location", ""):
                tally.accepted += 1
            else:  # the form again: refused (a stale version or a rule), nothing saved
                tally.refused += 1


def director(client, tally, deadline, think, rng):
    while True:
        time.sleep(rng.uniform(*think))
        if time.monotonic() >= deadline:
            return
        timed(tally, "director: dashboard", lambda: client.get("/"), {200})


def alone(sessions, work, directors, repeat=5):
    """{request type: median ms} of the GETs sent one at a time before the run: the time a request
    takes without the others, to tell work from queueing."""
    officer_name = next(iter(work))
    client, dashboard = sessions[officer_name], sessions[directors[0]]
    url = f"/reporting/milestones/{work[officer_name][0]}/report/"
    tally = Tally()
    for _ in range(repeat + 1):  # the first of each warms up, and is dropped below
        timed(tally, "officer: agency page", lambda: client.get("/reporting/my-agency/"), {200})
        timed(tally, "officer: report form", lambda: client.get(url), {200})
        timed(tally, "director: dashboard", lambda: dashboard.get("/"), {200})
    return {kind: statistics.median(times[1:]) for kind, times in tally.times.items()}


def percentile(ordered, share):
    return ordered[max(0, round(share * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="the database's scale (1.0: 300,000 milestones)")
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--directors", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8157)
    parser.add_argument("--seed", type=int, default=1405)
    args = parser.parse_args()

    name = f"{PREFIX}_{f'{args.scale:g}'.replace('.', '_')}"
    build = f"bench/progress_pages.py --db postgres --scale {args.scale:g} --build-only"
    env = environment(postgres_url(name, missing=f"{name} is missing: {build}"))
    now = datetime.datetime.now(datetime.UTC)
    print(f"== load run on {env['DATABASE_URL'].rsplit('/', 1)[1]}, {now:%Y-%m-%d %H:%M} UTC")
    bring_up_to_date(env)
    work, directors = prepare_users(env, args.officers, args.directors)
    fresh_triggers()
    from plans.models import Milestone, ProgressUpdate

    print(f"  {Milestone.objects.count():,} milestones, {ProgressUpdate.objects.count():,} reports")
    before = reports_by(list(work))
    # A keep-alive longer than the think time: otherwise the server closes an idle connection just as
    # the client sends on it (a "connection reset" that is the benchmark's, not the app's).
    server, base = start_gunicorn(
        env, args.port, args.workers, args.threads, logged_out_page, options=("--keep-alive", "10")
    )
    try:
        sessions = {name: log_in(base, name) for name in [*work, *directors]}
        quiet = alone(sessions, work, directors)
        tally = Tally()
        rng = random.Random(args.seed)
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=officer,
                args=(sessions[name], work[name], tally, deadline, args.think, random.Random(rng.random())),
            )
            for name in work
        ] + [
            threading.Thread(
                target=director, args=(sessions[name], tally, deadline, args.think, random.Random(rng.random()))
            )
            for name in directors
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        for client in sessions.values():
            client.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    saved = reports_by(list(work)) - before
    check = manage(env, "check_progress_summary", check=False)

    total = sum(len(times) for times in tally.times.values())
    print(
        f"\n{len(work)} officers + {len(directors)} directors, think {args.think[0]:g}–{args.think[1]:g} s, "
        f"{wall:.0f} s, gunicorn {args.workers} workers × {args.threads} threads, {total / wall:.1f} requests/s\n"
    )
    print("| request | count | p50 ms | p95 ms | p99 ms | errors | alone: p50 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in sorted(tally.times):
        ordered = sorted(tally.times[kind])
        by_itself = f"{quiet[kind]:.0f}" if kind in quiet else "–"
        print(
            f"| {kind} | {len(ordered)} | {percentile(ordered, 0.5):.0f} | {percentile(ordered, 0.95):.0f} | "
            f"{percentile(ordered, 0.99):.0f} | {tally.errors[kind]} | {by_itself} |"
        )
    everything = sorted(t for times in tally.times.values() for t in times)
    print(
        f"| all | {len(everything)} | {percentile(everything, 0.5):.0f} | {percentile(everything, 0.95):.0f} | "
        f"{percentile(everything, 0.99):.0f} | {sum(tally.errors.values())} | |"
    )
    print(
        f"\nreports accepted (counted by the script): {tally.accepted}; saved in the database: {saved}; "
        f"lost: {tally.accepted - saved}; refused (form shown again): {tally.refused}"
    )
    print(f"check_progress_summary: {'passed' if check.returncode == 0 else f'FAILED (exit {check.returncode})'}")
    for sample in tally.samples:
        print(f"  error: {sample}")


if __name__ == "__main__":
    main()
