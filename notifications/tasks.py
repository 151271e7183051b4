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


@task()
def send_daily_reminders(day=None, retry_run=0):
    """The reminder ladder and the escalation for `day` (ISO date; today if None).

    When sends failed and the backend can defer, the same day is run again later: only what was
    not sent is sent then.
    """
    day = datetime.date.fromisoformat(day) if day else timezone.localdate()
    result = run_reminders(day)
    backend = send_daily_reminders.get_backend()
    if result.counts["failed"] and retry_run < settings.NOTIFICATION_RETRY_RUNS and backend.supports_defer:
        later = timezone.now() + datetime.timedelta(minutes=settings.NOTIFICATION_RETRY_MINUTES)
        send_daily_reminders.using(run_after=later).enqueue(day=day.isoformat(), retry_run=retry_run + 1)
    return result.as_dict()


@task()
def notify_report_submitted(update_id):
    return dict(events.report_submitted(update_id))


@task()
def notify_report_reviewed(update_id):
    return dict(events.report_reviewed(update_id))
