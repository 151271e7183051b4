# ruff: noqa: S603, S608 -- a manual command: it runs psql and builds SQL from its own constants.
"""Benchmark the progress pages at national scale (a manual command, never on the CI path).

    .venv/bin/python bench/progress_pages.py --db postgres --scale 1.0 --scale 0.01
    .venv/bin/python bench/progress_pages.py --db sqlite --scale 1.0 --scale 0.01

For each scale it builds (once) a separate database — /tmp/<prefix>_<scale>.sqlite3, or the
PostgreSQL database <prefix>_<scale> on 127.0.0.1:5432 (user postgres), created with psql
(<prefix> is $BENCH_DB_PREFIX, bench_progress by default) — holding about 300,000 × scale
milestones over 150 agencies, 20 goals in each of 4 plans, and five
progress reports per milestone (≈1.5 million at scale 1.0), written with COPY (PostgreSQL) or
executemany (SQLite) in batches. Then it requests every progress page with Django's test client,
logged in as the director-general, and prints the server-side time per page (median and p95 over
--repeat requests, after two warm-up requests) and the number of queries per request.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._shared import database_url as shared_database_url  # noqa: E402 -- after the path is set

MILESTONES_AT_FULL_SCALE = 300_000
AGENCIES = 150
COUNTIES = 10
PLANS = (1402, 1403, 1404, 1405)  # the last one is the active, public plan
GOALS_PER_PLAN = 20
UPDATES_PER_MILESTONE = 5
BATCH = 20_000


# Several builds share the machine's PostgreSQL: BENCH_DB_PREFIX keeps their databases apart.
PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench_progress")


def database_url(db, scale):
    return shared_database_url(db, f"{PREFIX}_{f'{scale:g}'.replace('.', '_')}")


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "prcouncil.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def insert_rows(table, columns, rows):
    """Write rows fast: COPY on PostgreSQL, executemany in batches on SQLite."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('%s' for _ in columns)})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def build(scale):
    from django.db import connection
    from django.utils import timezone

    from agencies.models import Agency, County
    from persian.jalali import year_bounds
    from plans import summary
    from plans.models import Goal, Milestone, StrategicPlan
    from tests import factories

    if StrategicPlan.objects.exists():
        print(f"  dataset present: {Milestone.objects.count():,} milestones")
        return
    started = time.perf_counter()
    rng = random.Random(1405)
    factories.director(username="bench-director")
    reviewer = factories.director(username="bench-reviewer")
    # Reports are written by officers, not by the director who reads the pages (the navbar's review
    # count leaves out one's own reports): bench-officer writes the timed reports, each agency's officer
    # the built ones (one author for 1.5 M reports misleads SQLite's planner about the author index).
    factories.UserFactory(username="bench-officer")
    counties = County.objects.bulk_create(County(name=f"شهرستان {n}") for n in range(1, COUNTIES + 1))
    categories = list(Agency.Category.values)
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"دستگاه اجرایی {n}",
            code=f"agency-{n}",
            county=counties[n % COUNTIES],
            category=categories[n % len(categories)],
        )
        for n in range(1, AGENCIES + 1)
    )
    officers = {agency.pk: factories.officer(agency, username=f"bench-officer-{agency.code}").pk for agency in agencies}
    goals = []
    for year in PLANS:
        plan = StrategicPlan.objects.create(
            title=f"برنامه راهبردی روابط عمومی {year}",
            year=year,
            status="active" if year == PLANS[-1] else "archived",
            is_public=year == PLANS[-1],
        )
        goals += Goal.objects.bulk_create(
            Goal(plan=plan, number=n, title=f"هدف {n} برنامه {year}", weight=1 + n % 3, description="شرح هدف")
            for n in range(1, GOALS_PER_PLAN + 1)
        )
    now = timezone.now()
    total = max(1, round(MILESTONES_AT_FULL_SCALE * scale))
    statuses = ["not_started", "in_progress", "in_progress", "in_progress", "delayed", "done", "done", "cancelled"]
    milestones, updates = [], []
    update_id = 0
    for milestone_id in range(1, total + 1):
        goal = goals[milestone_id % len(goals)]
        year = PLANS[(milestone_id % len(goals)) // GOALS_PER_PLAN]
        first, last = year_bounds(year)
        agency = agencies[rng.randrange(AGENCIES)]
        start = first + datetime.timedelta(days=rng.randrange(0, 120))
        due = start + datetime.timedelta(days=rng.randrange(30, 240))
        status = rng.choice(statuses)
        progress = {"not_started": 0, "done": 100}.get(status, rng.randrange(5, 96))
        milestones.append(
            (
                milestone_id,
                goal.pk,
                agency.pk,
                f"گام {milestone_id}",
                "",
                "",
                start,
                min(due, last),
                1 + rng.randrange(3),
                status,
                progress,
                1,
                now,
                now,
            )
        )
        period_end = min(datetime.datetime.combine(last, datetime.time(12), datetime.UTC), now)
        period_start = datetime.datetime.combine(first, datetime.time(9), datetime.UTC)
        span = (period_end - period_start).total_seconds()
        moments = sorted(
            period_start + datetime.timedelta(seconds=rng.random() * span) for _ in range(UPDATES_PER_MILESTONE)
        )
        for n, moment in enumerate(moments, 1):
            update_id += 1
            last_one = n == UPDATES_PER_MILESTONE
            step_status = status if last_one else ("in_progress" if status != "not_started" else "not_started")
            step_progress = progress if last_one else min(progress, progress * n // UPDATES_PER_MILESTONE)
            if step_status == "done":
                step_progress = 100
            accepted = rng.random() < 0.6
            updates.append(
                (
                    update_id,
                    milestone_id,
                    step_status,
                    step_progress,
                    "گزارش",
                    officers[agency.pk],
                    moment,
                    "accepted" if accepted else "submitted",
                    reviewer.pk if accepted else None,
                    moment if accepted else None,
                    "",
                )
            )
    # Bulk rows are written with the summary's triggers off, and the summary is filled once after.
    summary.drop_triggers()
    insert_rows(
        "plans_milestone",
        [
            "id",
            "goal_id",
            "agency_id",
            "title",
            "description",
            "target",
            "start_date",
            "due_date",
            "weight",
            "status",
            "progress",
            "version",
            "created_at",
            "updated_at",
        ],
        milestones,
    )
    del milestones
    insert_rows(
        "plans_progressupdate",
        [
            "id",
            "milestone_id",
            "status",
            "progress",
            "note",
            "author_id",
            "created_at",
            "review_state",
            "reviewed_by_id",
            "reviewed_at",
            "review_reason",
        ],
        updates,
    )
    summary.create_triggers()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics for the rebuild's plan, fresh after the bulk load
    summary.rebuild()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("plans_milestone", "plans_progressupdate"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            connection.set_autocommit(True)
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    print(f"  built {total:,} milestones and {update_id:,} reports in {time.perf_counter() - started:.0f} s")


def keep_ready():
    """A database built before the summary (or its snapshots) existed gets them once."""
    from plans import summary, trend
    from plans.models import ProgressSummary, TrendSnapshot

    if not ProgressSummary.objects.exists():
        started = time.perf_counter()
        rows = summary.rebuild()
        print(f"  summary: {rows:,} rows in {time.perf_counter() - started:.0f} s")
    if not TrendSnapshot.objects.exists():
        started = time.perf_counter()
        written = trend.take_snapshots()
        print(f"  trend snapshots: {written} in {time.perf_counter() - started:.0f} s")
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh statistics and visibility after the writes above
        connection.set_autocommit(True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE plans_milestone")
            cursor.execute("VACUUM ANALYZE plans_progresssummary")
            cursor.execute("VACUUM ANALYZE plans_trendsnapshotrow")


def measure_writes(repeat):
    """Server-side time of posting a report through the reporting service (the summary's triggers included)."""
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    from plans.models import Milestone, StrategicPlan
    from plans.services import report_progress

    author = get_user_model().objects.get(username="bench-officer")
    plan = StrategicPlan.objects.active().get()
    candidates = list(
        Milestone.objects.in_plan(plan).filter(status="in_progress", progress__lt=90).order_by("?")[: repeat + 2]
    )
    timings = []
    # As in production, the notification task is enqueued (here: to a dummy backend), not run in the request.
    dummy = override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
    dummy.enable()
    for milestone in candidates:
        started = time.perf_counter()
        report_progress(
            milestone=milestone,
            author=author,
            status="in_progress",
            progress=milestone.progress + 1,
            note="bench",
            expected_version=milestone.version,
        )
        timings.append((time.perf_counter() - started) * 1000)
    dummy.disable()
    timings = sorted(timings[2:])
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95


def pages():
    from agencies.models import Agency
    from persian.jalali import Quarter
    from plans.models import StrategicPlan

    plan = StrategicPlan.objects.active().get()
    agency = Agency.objects.filter(milestones__goal__plan=plan).order_by("pk").first()
    county = agency.county_id
    quarter = Quarter(plan.year, 3).code
    return [
        ("dashboard", "/"),
        ("dashboard, filtered", f"/?county={county}&category={agency.category}&quarter={quarter}"),
        ("goal", f"/plans/{plan.pk}/goals/1/"),
        ("agency", f"/plans/{plan.pk}/agencies/{agency.code}/"),
        ("heatmap", f"/plans/{plan.pk}/heatmap/"),
        ("overdue", f"/plans/{plan.pk}/overdue/"),
        ("public", f"/public/{plan.pk}/"),
    ]


def measure(repeat):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-director"))
    results = {}
    for name, url in pages():
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        results[name] = (statistics.median(timings), p95, len(queries))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", type=float, action="append", help="1.0 is ≈300,000 milestones (repeatable)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--json", help=argparse.SUPPRESS)  # where a scale's process leaves its figures
    args = parser.parse_args()
    scales = args.scale or [1.0, 0.01]
    if len(scales) > 1:
        # Each scale in its own process: Django is set up once per database.
        tables = {}
        with tempfile.TemporaryDirectory() as folder:
            for scale in scales:
                output = Path(folder) / f"{scale}.json"
                command = [
                    sys.executable,
                    __file__,
                    "--db",
                    args.db,
                    "--scale",
                    str(scale),
                    "--repeat",
                    str(args.repeat),
                ]
                command += ["--build-only"] if args.build_only else ["--json", str(output)]
                subprocess.run(command, check=True)
                if not args.build_only:
                    tables[scale] = json.loads(output.read_text())
        if tables:
            print_side_by_side(args.db, tables)
        return tables
    scale = scales[0]
    print(f"== {args.db}, scale {scale:g}")
    setup_django(database_url(args.db, scale))
    build(scale)
    keep_ready()
    if args.build_only:
        return None
    results = measure(args.repeat)
    results["report posted (service, write)"] = (*measure_writes(args.repeat), "-")
    print(f"| page ({args.db}, scale {scale:g}) | median ms | p95 ms | queries |")
    print("| --- | ---: | ---: | ---: |")
    for name, (median, p95, queries) in results.items():
        print(f"| {name} | {median:.1f} | {p95:.1f} | {queries} |")
    sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(results))
    return results


def print_side_by_side(db, tables):
    """One table: median and p95 per page at every scale, and the largest ÷ the smallest (p95, median)."""
    scales = sorted(tables, reverse=True)
    largest, smallest = tables[scales[0]], tables[scales[-1]]
    label = f"{scales[0]:g} ÷ {scales[-1]:g}"
    head = " | ".join(f"{scale:g}: median | {scale:g}: p95" for scale in scales)
    print(f"\n| page ({db}) | {head} | {label} (p95) | {label} (median) | queries |")
    print("| --- |" + " ---: |" * (2 * len(scales) + 3))
    for name in largest:
        cells = " | ".join(f"{tables[scale][name][0]:.1f} | {tables[scale][name][1]:.1f}" for scale in scales)
        p95_ratio = largest[name][1] / smallest[name][1]
        median_ratio = largest[name][0] / smallest[name][0]
        print(f"| {name} | {cells} | {p95_ratio:.2f} | {median_ratio:.2f} | {largest[name][2]} |")


if __name__ == "__main__":
    main()
