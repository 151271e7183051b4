"""Background tasks of plans (Django's Tasks API; run_scheduler enqueues the daily ones)."""

from django.tasks import task

from . import trend


@task()
def take_trend_snapshots():
    """The daily job (settings.PERIODIC_TASKS["trend_snapshots"]): snapshot every quarter that has ended."""
    return {"written": trend.take_snapshots()}
