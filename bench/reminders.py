# ruff: noqa: S603 -- a manual command: it runs psql and builds SQL from its own constants.
"""Benchmark the daily reminder run at national scale (a manual command, never on the CI path).

    .venv/bin/python bench/reminders.py --db postgres --scale 1.0 --scale 0.01
    .venv/bin/python bench/reminders.py --db sqlite --scale 0.01 --date 1405/09/16

The data is bench/progress_pages.py's (its builder is reused): ≈300,000 × scale milestones over 150
agencies and 4 plans, five reports each, in a database of this benchmark's own (bench_issue12_<scale>
on PostgreSQL, /tmp/bench_issue12_<scale>.sqlite3), built once and reused. Each agency gets one officer
with an email address. Then the reminder run for the day (default: the next working day from today) is
timed from a clean slate — digests, escalations, the message log and notifications of that day removed
first — and timed again the same day (it sends nothing then), with the number of queries of each.
Emails go to Django's in-memory backend.
"""

import argparse
import datetime
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._shared import database_url as shared_database_url  # noqa: E402 -- after the path is set
from bench.progress_pages import build, setup_django  # noqa: E402


def database_url(db, scale):
    return shared_database_url(db, f"bench_issue12_{f'{scale:g}'.replace('.', '_')}")


def add_officers():
    """One officer with an email address per agency, and addresses for the bench's directors (idempotent)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from agencies.models import Agency, Membership

    User = get_user_model()
    User.objects.filter(username__startswith="bench-", email="").update(email="director@bench.invalid")
    missing = Agency.objects.exclude(memberships__role=Membership.Role.OFFICER).order_by("pk")
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"officer-{agency.code}", email=f"pr@{agency.code}.bench.invalid", password=password)
        for agency in missing
    )
    Membership.objects.bulk_create(
        Membership(user=user, role=Membership.Role.OFFICER, agency=agency)
        for user, agency in zip(users, missing, strict=True)
    )
    return Membership.objects.filter(role=Membership.Role.OFFICER).count()


def clear(day):
    from notifications.models import Digest, Escalation, Message, Notification

    Digest.objects.filter(day=day).delete()
    Escalation.objects.filter(day=day).delete()
    keys = Message.objects.filter(day=day).values("key")
    Notification.objects.filter(key__in=keys).delete()
    Message.objects.filter(day=day).delete()


def timed_run(day):
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.ladder import run_reminders

    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = run_reminders(day)
        seconds = time.perf_counter() - started
    return result, seconds, len(queries), len(mail.outbox)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--scale", type=float, action="append", help="1.0 is ≈300,000 milestones (repeatable)")
    parser.add_argument("--date", help="the day to run for (Jalali or Gregorian); the next working day by default")
    parser.add_argument("--repeat", type=int, default=3, help="timed first runs (each from a clean slate)")
    args = parser.parse_args()
    scales = args.scale or [1.0, 0.01]
    if len(scales) > 1:
        for scale in scales:
            command = [sys.executable, __file__, "--db", args.db, "--scale", str(scale), "--repeat", str(args.repeat)]
            if args.date:
                command += ["--date", args.date]
            subprocess.run(command, check=True)
        return
    scale = scales[0]
    print(f"== {args.db}, scale {scale:g}")
    setup_django(database_url(args.db, scale))
    build(scale)
    from django.conf import settings
    from django.utils import timezone

    from notifications.workdays import WorkingDays
    from persian.jalali import format_date
    from persian.values import clean_date
    from plans.models import Milestone, StrategicPlan

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.NOTIFICATION_RETRY_SECONDS = 0
    officers = add_officers()
    days = WorkingDays.load()
    day = (
        clean_date(args.date)
        if args.date
        else days.next(timezone.localdate() - datetime.timedelta(days=1))  # today, or the next working day
    )
    plan = StrategicPlan.objects.active().get()
    active = Milestone.objects.in_plan(plan).count()
    total = Milestone.objects.count()
    firsts = []
    for _ in range(args.repeat):
        clear(day)
        result, seconds, queries, emails = timed_run(day)
        firsts.append((seconds, queries, emails, result))
    again, again_seconds, again_queries, again_emails = timed_run(day)
    seconds = [item[0] for item in firsts]
    _s, queries, emails, result = firsts[-1]
    reminded = sum(len(d.due) + len(d.overdue) for d in result.digests)
    print(
        f"day {day} ({format_date(day, persian=True)}), {total:,} milestones ({active:,} in the active plan), "
        f"{officers} officers"
    )
    print(
        f"| {args.db}, scale {scale:g} | milestones | reminded | digests | escalated | emails | messages logged "
        f"| queries | seconds (median of {args.repeat}) | max s |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| first run | {total:,} | {reminded:,} | {len(result.digests)} | {len(result.escalated)} | {emails} "
        f"| {result.counts['sent']} | {queries} | {statistics.median(seconds):.1f} | {max(seconds):.1f} |"
    )
    print(
        f"| same day again | {total:,} | {reminded:,} | {len(again.digests)} | {len(again.escalated)} | "
        f"{again_emails} | {again.counts['sent']} | {again_queries} | {again_seconds:.1f} | {again_seconds:.1f} |"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
