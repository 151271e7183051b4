"""Enqueue the periodic jobs of settings.PERIODIC_TASKS once a day each, at their local time.

    manage.py run_scheduler            # keep running (make run; or the systemd service)
    manage.py run_scheduler --once     # one pass, then exit (the systemd timer runs this every few minutes)
    manage.py run_scheduler --once --now  # enqueue today's jobs now, whatever their time

A job whose time has come and that has not been enqueued today is enqueued (so a scheduler started
late, or restarted, catches up the same day); the ScheduledRun row for (job, day) is written in the
same transaction as the task, and its unique constraint means a job is never enqueued twice a day.
`manage.py db_worker` then runs the task.
"""

import datetime
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications.models import ScheduledRun


def periodic_jobs():
    """[(name, task, time of day)] from settings.PERIODIC_TASKS; CommandError for a bad entry."""
    jobs = []
    for name, job in settings.PERIODIC_TASKS.items():
        try:
            task = import_string(job["task"])
            at = datetime.time.fromisoformat(job["at"])
        except (KeyError, ImportError, ValueError) as exc:
            raise CommandError(f"PERIODIC_TASKS[{name!r}] needs a task path and a time like '07:30': {exc}") from exc
        if not hasattr(task, "enqueue"):
            raise CommandError(f"PERIODIC_TASKS[{name!r}]: {job['task']} is not a task (decorate it with @task).")
        jobs.append((name, task, at))
    return jobs


def enqueue_due_jobs(now=None, *, ignore_time=False):
    """Enqueue each job whose time has come today and that was not enqueued today; returns their names."""
    now = timezone.localtime(now or timezone.now())
    today, enqueued = now.date(), []
    for name, task, at in periodic_jobs():
        if not ignore_time and now.time() < at:
            continue
        if ScheduledRun.objects.filter(name=name, day=today).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=name, day=today, enqueued_at=now)
                result = task.enqueue()
                run.task_id = str(result.id)[:64]
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another scheduler enqueued it a moment ago
        enqueued.append(name)
    return enqueued


class Command(BaseCommand):
    help = "Enqueue the daily jobs of settings.PERIODIC_TASKS at their time (Asia/Tehran), once a day each."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--now", action="store_true", help="Treat every job's time as come (still once a day).")
        parser.add_argument("--interval", type=float, default=30, help="Seconds between passes (default 30).")

    def handle(self, *args, once=False, now=False, interval=30, **options):
        jobs = periodic_jobs()
        self.running = True
        if not once:
            # Stop between passes, never half-way through enqueuing (systemd and make run send SIGTERM).
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
            listed = ", ".join(f"{name} at {at:%H:%M}" for name, _task, at in jobs) or "none"
            self.stdout.write(f"Scheduler running ({settings.TIME_ZONE}): {listed}.")
        while self.running:
            for name in enqueue_due_jobs(ignore_time=now):
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} enqueued {name}")
            if once:
                return
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))

    def stop(self, signum, frame):
        self.running = False
