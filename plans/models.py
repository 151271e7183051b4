from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from agencies.rules import agency_filter


class Status(models.TextChoices):
    """The state of a milestone, and of what a progress report says about it."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed / blocked")
    CANCELLED = "cancelled", _("Cancelled")


PROGRESS_RANGE = Q(progress__gte=0) & Q(progress__lte=100)
DONE_IS_COMPLETE = ~Q(status=Status.DONE) | Q(progress=100)


class StrategicPlanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=StrategicPlan.Status.ACTIVE)

    def public(self):
        return self.filter(is_public=True).exclude(status=StrategicPlan.Status.DRAFT)


class StrategicPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Solar Hijri year"), help_text=_("For example 1405."))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Publish a progress page that anyone may read without logging in.")
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StrategicPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1300) & Q(year__lte=1500), name="plan_year_is_solar_hijri"),
            models.UniqueConstraint(fields=["year", "title"], name="plan_title_unique_per_year"),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="active"),
                name="one_active_plan",
                violation_error_message=_("Only one plan can be active at a time."),
            ),
        ]

    def __str__(self):
        return self.title


class GoalQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate `progress`: the weighted mean of the goal's milestones' progress (cancelled ones left out)."""
        counted = ~Q(milestones__status=Status.CANCELLED)
        return self.annotate(
            weighted_sum=Coalesce(Sum(F("milestones__progress") * F("milestones__weight"), filter=counted), 0),
            weight_sum=Coalesce(Sum("milestones__weight", filter=counted), 0),
        )


class Goal(models.Model):
    """One of the plan's numbered items (the plan of 1405 has 20)."""

    plan = models.ForeignKey(StrategicPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    owner = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_goals",
    )

    objects = GoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="goal_number_unique_per_plan",
                violation_error_message=_("This plan already has a goal with this number."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="goal_number_positive"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="goal_weight_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def progress_percent(self):
        """Rounded weighted progress, from the `with_progress()` annotations."""
        weight_sum = getattr(self, "weight_sum", 0)
        return round(self.weighted_sum / weight_sum) if weight_sum else 0


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The milestones this person may open (the rules module decides)."""
        return self.filter(agency_filter(user))

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def in_plan(self, plan):
        return self.filter(goal__plan=plan)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=[Status.DONE, Status.CANCELLED])

    def with_latest_update(self):
        """Annotate the latest report's date and review state, one subquery each."""
        latest = ProgressUpdate.objects.filter(milestone=OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(
            last_reported_at=Subquery(latest.values("created_at")[:1]),
            last_review_state=Subquery(latest.values("review_state")[:1]),
        )

    # --- progress spreadsheets (issue 5) ---
    def for_export(self, plan, agency=None):
        """The milestones sheet: goal and agency joined, the last report's date and note, in reading order."""
        milestones = self.in_plan(plan)
        if agency is not None:
            milestones = milestones.for_agency(agency)
        latest = ProgressUpdate.objects.filter(milestone=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            milestones.select_related("goal", "agency")
            .annotate(
                export_last_reported_at=Subquery(latest.values("created_at")[:1]),
                export_last_note=Subquery(latest.values("note")[:1]),
            )
            .order_by("goal__number", "agency__name", "due_date", "pk")
        )

    def export_totals(self, *group_by, today=None):
        """Figures per group (e.g. "goal_id", "agency_id"): counts and the weighted progress sums.

        Cancelled milestones are counted but left out of progress, as in Goal.objects.with_progress().
        """
        today = today or timezone.localdate()
        counted = ~Q(status=Status.CANCELLED)
        overdue = Q(due_date__lt=today) & ~Q(status__in=[Status.DONE, Status.CANCELLED])
        return (
            self.order_by()
            .values(*group_by)
            .annotate(
                milestone_count=Count("pk"),
                done_count=Count("pk", filter=Q(status=Status.DONE)),
                delayed_count=Count("pk", filter=Q(status=Status.DELAYED)),
                overdue_count=Count("pk", filter=overdue),
                weighted_sum=Coalesce(Sum(F("progress") * F("weight"), filter=counted), 0),
                weight_sum=Coalesce(Sum("weight", filter=counted), 0),
            )
        )


class Milestone(models.Model):
    """A goal's step for one agency: what it must do, by when, and how far it has got."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="milestones")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    target = models.CharField(
        _("target"), max_length=300, blank=True, help_text=_("The expected output, e.g. '4 press conferences'.")
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised on every change, so stale edits can be refused.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["goal__number", "due_date", "pk"]
        permissions = [("report_milestone", _("Can report progress on the milestone"))]
        constraints = [
            models.CheckConstraint(condition=PROGRESS_RANGE, name="milestone_progress_0_100"),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("start_date")),
                name="milestone_due_after_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="milestone_weight_positive"),
            models.CheckConstraint(
                condition=DONE_IS_COMPLETE,
                name="milestone_done_is_100",
                violation_error_message=_("A milestone marked done must be at 100 percent."),
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="milestone_status_valid"),
            models.UniqueConstraint(
                fields=["goal", "agency", "title"],
                name="milestone_title_unique_per_goal_agency",
                violation_error_message=_("This agency already has a milestone with this title under this goal."),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="milestone_agency_status"),
            models.Index(fields=["due_date"], name="milestone_due_date"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Every saved change raises the version; writers that must not lose a concurrent
        # change compare it under a row lock first (see the reporting service).
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:plans_milestone_change", args=[self.pk])

    @property
    def is_overdue(self):
        return self.due_date < timezone.localdate() and self.status not in (Status.DONE, Status.CANCELLED)


class ProgressUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency_filter(user, prefix="milestone__"))

    def awaiting_review(self):
        return self.filter(review_state=ProgressUpdate.ReviewState.SUBMITTED)


class ProgressUpdate(models.Model):
    """A report on a milestone by an agency officer (or the secretariat), and its review."""

    class ReviewState(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for revision")

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    review_state = models.CharField(_("review"), max_length=20, choices=ReviewState, default=ReviewState.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="reviewed_updates",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review comment"), blank=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_progressupdate", _("Can review progress updates"))]
        constraints = [
            models.CheckConstraint(condition=PROGRESS_RANGE, name="update_progress_0_100"),
            models.CheckConstraint(condition=DONE_IS_COMPLETE, name="update_done_is_100"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="update_status_valid"),
            models.CheckConstraint(
                condition=Q(review_state="submitted") | (Q(reviewed_by__isnull=False) & Q(reviewed_at__isnull=False)),
                name="update_review_is_stamped",
            ),
            models.CheckConstraint(
                condition=~Q(review_state="returned") | ~Q(review_reason=""),
                name="update_return_has_reason",
                violation_error_message=_("Returning a report needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("author")),
                name="update_not_self_reviewed",
                violation_error_message=_("Nobody reviews their own report."),
            ),
        ]
        indexes = [
            models.Index(fields=["milestone", "-created_at"], name="update_milestone_latest"),
            models.Index(fields=["review_state", "created_at"], name="update_review_queue"),
        ]

    def __str__(self):
        return f"{self.milestone} — {self.get_status_display()} {self.progress}%"


def evidence_path(instance, filename):
    """A generated name: the original (Persian) name is kept in the row, never on disk."""
    import uuid

    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def private_storage():
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class Evidence(models.Model):
    """A file or a link that backs a progress report (مستندات)."""

    update = models.ForeignKey(
        ProgressUpdate, verbose_name=_("progress update"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=evidence_path, blank=True, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    url = models.URLField(_("link"), blank=True, max_length=500)
    letter_number = models.CharField(_("letter number"), max_length=100, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url="") | ~Q(letter_number=""),
                name="evidence_is_not_empty",
                violation_error_message=_("Evidence is a file, a link or a letter number."),
            ),
        ]

    def __str__(self):
        return self.original_name or self.url or self.letter_number
