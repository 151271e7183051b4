"""Demo reminder history, so the bell, the notifications page and the chase panels show something at once.

The ladder is run for the last ten days in the app only (no email is written or sent: the demo never
leaves the machine), and the returned and waiting reports get their notifications. Idempotent: every
message is keyed by its event, so a second seeding adds nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from plans.models import ProgressUpdate, StrategicPlan

from . import events
from .channels import InAppChannel
from .ladder import run_reminders
from .models import Notification

HISTORY_DAYS = 10
# Demo people get an address on a reserved domain, so `make run` shows the emails (written to sent-emails/).
DEMO_EMAIL_DOMAIN = "demo.invalid"


def seed(stdout=None):
    today = timezone.localdate()
    in_app = [InAppChannel()]
    users = get_user_model().objects.filter(email="", membership__isnull=False)
    for user in users:
        user.email = f"{user.username}@{DEMO_EMAIL_DOMAIN}"
    get_user_model().objects.bulk_update(users, ["email"])

    digests = 0
    for back in range(HISTORY_DAYS, 0, -1):
        result = run_reminders(today - datetime.timedelta(days=back), channels=in_app)
        digests += len(result.digests)
    plan = StrategicPlan.objects.active().first()
    if plan is not None:
        reports = ProgressUpdate.objects.filter(milestone__goal__plan=plan)
        for update in reports.returned_unanswered().order_by("pk"):
            events.report_reviewed(update.pk, channels=in_app)
        recent = timezone.now() - datetime.timedelta(days=3)
        for update in reports.awaiting_review().filter(created_at__gte=recent).order_by("pk"):
            events.report_submitted(update.pk, channels=in_app)
    # What is older than two days has been seen; the rest stays unread for the bell.
    seen_before = timezone.now() - datetime.timedelta(days=2)
    Notification.objects.filter(read_at__isnull=True, created_at__lt=seen_before).update(read_at=timezone.now())
    if stdout is not None:
        stdout.write(
            f"Reminders: {digests} agency digests over the last {HISTORY_DAYS} days, "
            f"{Notification.objects.count()} notifications."
        )
