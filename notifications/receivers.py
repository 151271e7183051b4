"""Listeners for plans.signals: each enqueues a task, so the request that made the change never waits for mail."""

from django.dispatch import receiver

from plans.signals import progress_reported, progress_reviewed

from . import tasks


@receiver(progress_reported, dispatch_uid="notifications.report_submitted")
def report_submitted(sender, update, **kwargs):
    tasks.notify_report_submitted.enqueue(update.pk)


@receiver(progress_reviewed, dispatch_uid="notifications.report_reviewed")
def report_reviewed(sender, update, **kwargs):
    tasks.notify_report_reviewed.enqueue(update.pk)
