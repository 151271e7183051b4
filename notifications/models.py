"""The chase: official holidays, reminder digests, escalations, in-app notifications and the message log.

Everything here is written by the reminder ladder (ladder.py), the review events (events.py) and the
channels (channels.py); people only edit the holidays (the director-general, in the admin) and their
own email preference.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from persian.jalali import format_date
from plans.models import Milestone, ProgressUpdate


class Holiday(models.Model):
    """An official day off (Fridays are off without a row). Working-day arithmetic skips both."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Solar Hijri date (fixed)")
        LUNAR = "lunar", _("Lunar date (moves every year)")

    date = models.DateField(_("date"))
    name = models.CharField(_("occasion"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.FIXED)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_(
            "Lunar holidays are seeded from the Umm al-Qura calendar, which can be a day off from Iran's "
            "official calendar: check the date against the official calendar and tick this box."
        ),
    )

    class Meta:
        verbose_name = _("official holiday")
        verbose_name_plural = _("official holidays")
        ordering = ["date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "name"],
                name="holiday_once_per_date",
                violation_error_message=_("This holiday is already on this date."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="holiday_has_name"),
        ]

    def __str__(self):
        return self.name


class Preference(models.Model):
    """A person's choice of channels. In-app notifications cannot be turned off; email can."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("send me email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


class Kind(models.TextChoices):
    """What a notification or a logged message is about."""

    DIGEST = "digest", _("Reminder digest")
    RETURNED = "returned", _("Report returned for revision")
    ACCEPTED = "accepted", _("Report accepted")
    AWAITING_REVIEW = "awaiting_review", _("Reports awaiting review")
    ESCALATION = "escalation", _("Escalation")


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_list_page(self, user):
        """The notifications page: the person's own, newest first, with what each one names."""
        return (
            self.for_recipient(user)
            .select_related("agency", "milestone", "update__milestone")
            .order_by("-created_at", "-pk")
        )


class Notification(models.Model):
    """An in-app notification: what the bell counts. Its text is composed when shown, in the reader's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # One notification per recipient and event ("digest:<agency>:<day>", "reviewed:<report>", ...).
    key = models.CharField(_("key"), max_length=100)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, null=True, blank=True)
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, null=True, blank=True
    )
    update = models.ForeignKey(
        ProgressUpdate, verbose_name=_("progress update"), on_delete=models.CASCADE, null=True, blank=True
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def is_read(self):
        return self.read_at is not None

    def target_url(self):
        """The page the notification opens: the milestone's row, the review queue or the overdue page."""
        from django.urls import reverse

        if self.kind in (Kind.DIGEST, Kind.RETURNED, Kind.ACCEPTED):
            url = reverse("reporting:my_agency")
            return f"{url}?milestone={self.milestone_id}#milestone-{self.milestone_id}" if self.milestone_id else url
        if self.kind == Kind.AWAITING_REVIEW:
            url = reverse("reporting:review_queue")
            return f"{url}?agency={self.agency.code}" if self.agency_id else url
        if self.kind == Kind.ESCALATION and self.data.get("plan"):
            return reverse("plans:overdue", args=[self.data["plan"]])
        return reverse("notifications:list")


class Digest(models.Model):
    """One agency's reminder for one day (the reminder history): what it named, and to how many people."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="reminder_digests"
    )
    day = models.DateField(_("day"))
    due_count = models.PositiveIntegerField(_("due"), default=0)
    overdue_count = models.PositiveIntegerField(_("overdue"), default=0)
    returned_count = models.PositiveIntegerField(_("returned for revision"), default=0)
    milestone_ids = models.JSONField(_("milestones named"), default=list, blank=True)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        ordering = ["-day", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="digest_once_per_agency_day")]

    def __str__(self):
        return f"{self.agency} · {format_date(self.day)}"


class EscalationQuerySet(models.QuerySet):
    def this_week(self, today=None):
        """Escalations since the Saturday that began this (Iranian) week."""
        today = today or timezone.localdate()
        return self.filter(day__gte=week_start(today), day__lte=today)


def week_start(day):
    """The Saturday on or before `day` (the Iranian week runs Saturday to Friday)."""
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)


class Escalation(models.Model):
    """An agency past a threshold on a day: long-overdue milestones, silence, or reports waiting for review."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="escalations")
    day = models.DateField(_("day"))
    overdue_count = models.PositiveIntegerField(_("milestones long overdue"), default=0)
    oldest_due_date = models.DateField(_("oldest due date"), null=True, blank=True)
    silent = models.BooleanField(_("not reporting"), default=False)
    last_reported_at = models.DateTimeField(_("last report"), null=True, blank=True)
    waiting_count = models.PositiveIntegerField(_("reports waiting for review"), default=0)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-day", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="escalation_once_per_agency_day")]

    def __str__(self):
        return f"{self.agency} · {format_date(self.day)}"


class Message(models.Model):
    """The message log: one row per channel, recipient and event, so nothing is sent twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=20)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("key"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, null=True, blank=True)
    day = models.DateField(_("day"))
    subject = models.CharField(_("subject"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("message log")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "recipient", "key"], name="message_once_per_channel"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="message_sent_stamped"),
        ]
        indexes = [
            models.Index(fields=["key"], name="message_key"),
            models.Index(fields=["agency", "kind", "-day"], name="message_agency_latest"),
        ]

    def __str__(self):
        return self.subject


class ScheduledRun(models.Model):
    """A periodic job (settings.PERIODIC_TASKS) the scheduler enqueued for a day: at most once per job and day."""

    name = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    enqueued_at = models.DateTimeField(_("enqueued at"), default=timezone.now)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-day", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="scheduled_run_once_per_day")]

    def __str__(self):
        return f"{self.name} · {format_date(self.day)}"
