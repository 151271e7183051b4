"""Background tasks (Django's Tasks API; `manage.py db_worker` runs them, tests run them at once).

Arguments are JSON (ids and ISO dates), and every task is idempotent: the message log makes a
second run send nothing that was sent.
"""

import datetime

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from . import events
from .ladder import run_reminders


def _retry_later(task, counts, retry_run, **kwargs):
    """When sends failed and the backend can defer, run the task again later: only what failed is sent then."""
    backend = task.get_backend()
    if counts["failed"] and retry_run < settings.NOTIFICATION_RETRY_RUNS and backend.supports_defer:
        later = timezone.now() + datetime.timedelta(minutes=settings.NOTIFICATION_RETRY_MINUTES)
        task.using(run_after=later).enqueue(retry_run=retry_run + 1, **kwargs)


@task()
def send_daily_reminders(day=None, retry_run=0):
    """The reminder ladder and the escalation for `day` (ISO date; today if None)."""
    day = datetime.date.fromisoformat(day) if day else timezone.localdate()
    result = run_reminders(day)
    _retry_later(send_daily_reminders, result.counts, retry_run, day=day.isoformat())
    return result.as_dict()


@task()
def notify_report_submitted(update_id, retry_run=0):
    counts = events.report_submitted(update_id)
    _retry_later(notify_report_submitted, counts, retry_run, update_id=update_id)
    return dict(counts)


@task()
def notify_report_reviewed(update_id, retry_run=0):
    counts = events.report_reviewed(update_id)
    _retry_later(notify_report_reviewed, counts, retry_run, update_id=update_id)
    return dict(counts)
