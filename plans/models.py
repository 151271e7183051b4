import datetime

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, AgencyQuerySet
from agencies.rules import agency_filter
from persian import search
from persian.collation import COLLATION


class Status(models.TextChoices):
    """The state of a milestone, and of what a progress report says about it."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed / blocked")
    CANCELLED = "cancelled", _("Cancelled")


PROGRESS_RANGE = Q(progress__gte=0) & Q(progress__lte=100)
DONE_IS_COMPLETE = ~Q(status=Status.DONE) | Q(progress=100)


# --- progress views: how progress is weighed (see docs/progress.md) -------------------
# A milestone counts unless it is cancelled. A goal's progress is the mean of its counted
# milestones' progress weighted by milestone weight: sum(progress × weight) / sum(weight).
# The plan's progress is the mean of its goals' progress weighted by goal weight, over the
# goals that have at least one counted milestone (a goal with none yet is left out rather
# than counted as 0). An agency's progress is the weighted mean over its counted milestones.
# Filters (county, agency category, quarter) narrow the milestones before any of this.


def counted(prefix=""):
    """The milestones that count towards progress: all but the cancelled ones."""
    return ~Q(**{f"{prefix}status": Status.CANCELLED})


def percent(weighted_sum, weight_sum):
    """Round(weighted_sum / weight_sum) as a whole percent, in SQL; NULL where nothing is weighed."""
    return Cast(Round(Cast(weighted_sum, FloatField()) / NullIf(weight_sum, 0)), IntegerField())


def weighted_figures(prefix="", scope=None):
    """Annotations over milestones reached through `prefix` ("milestones__" from a goal or agency)."""
    condition = counted(prefix) & (scope or Q())
    return {
        "weighted_sum": Coalesce(Sum(F(f"{prefix}progress") * F(f"{prefix}weight"), filter=condition), 0),
        "weight_sum": Coalesce(Sum(f"{prefix}weight", filter=condition), 0),
    }


def summary_scope(prefix="", *, county=None, category=None, quarter=None, agency=None):
    """The dashboard filters (and the workbook's agency) as a Q on progress summary rows (through `prefix`)."""
    q = Q()
    if agency is not None:
        q &= Q(**{f"{prefix}agency": agency})
    if county is not None:
        q &= Q(**{f"{prefix}agency__county": county})
    if category:
        q &= Q(**{f"{prefix}agency__category": category})
    if quarter is not None:
        q &= Q(**{f"{prefix}due_quarter": quarter.year * 10 + quarter.number})
    return q


def milestone_scope(prefix="", *, county=None, category=None, quarter=None, agency=None):
    """The dashboard filters (and the workbook's agency) as a Q on milestones; `quarter` keeps the
    milestones due in it."""
    q = Q()
    if agency is not None:
        q &= Q(**{f"{prefix}agency": agency})
    if county is not None:
        q &= Q(**{f"{prefix}agency__county": county})
    if category:
        q &= Q(**{f"{prefix}agency__category": category})
    if quarter is not None:
        first, last = quarter.bounds()
        q &= Q(**{f"{prefix}due_date__gte": first, f"{prefix}due_date__lte": last})
    return q


class StrategicPlanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=StrategicPlan.Status.ACTIVE)

    def public(self):
        return self.filter(is_public=True).exclude(status=StrategicPlan.Status.DRAFT)

    def visible_to(self, user):
        """Every plan for anyone with a role (the plan pages); the public ones for anyone else (the public page)."""
        if user.has_perm("plans.view_strategicplan"):
            return self.all()
        return self.public()


class StrategicPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200, db_collation=COLLATION)
    year = models.PositiveSmallIntegerField(_("Solar Hijri year"), help_text=_("For example 1405."))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Publish a progress page that anyone may read without logging in.")
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised on every change, so stale edits can be refused.")
    )

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

    def save(self, *args, **kwargs):
        _raise_version(self, kwargs)
        super().save(*args, **kwargs)


def _raise_version(instance, kwargs):
    """Every saved change raises the version; the plan editor's services compare it under a row lock."""
    if instance.pk is not None and not kwargs.get("force_insert"):
        instance.version += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}


class GoalQuerySet(models.QuerySet):
    # --- progress views ---------------------------------------------------------------
    def with_figures(self, scope=None, today=None):
        """Per goal: weighted progress (`progress`, rounded, in SQL), milestone, done and overdue counts.

        `scope` is a Q on milestones written with the "milestones__" prefix.
        """
        today = today or timezone.localdate()
        scope = scope or Q()
        figures = weighted_figures("milestones__", scope)
        return self.annotate(
            **figures,
            progress=Coalesce(percent(figures["weighted_sum"], figures["weight_sum"]), 0),
            milestone_count=Count("milestones", filter=counted("milestones__") & scope),
            done_count=Count("milestones", filter=Q(milestones__status=Status.DONE) & scope),
            cancelled_count=Count("milestones", filter=Q(milestones__status=Status.CANCELLED) & scope),
            overdue_count=Count(
                "milestones",
                filter=Q(milestones__due_date__lt=today)
                & ~Q(milestones__status__in=[Status.DONE, Status.CANCELLED])
                & scope,
            ),
        )

    def for_dashboard(self, plan, scope=None, today=None):
        """The plan's goals with their figures, in plan order (one query)."""
        return self.filter(plan=plan).with_figures(scope, today).order_by("number")

    def for_agency_page(self, plan, agency):
        """The plan's goals with the agency's progress on each and the goal's progress overall."""
        mine = Q(milestones__agency=agency)
        agency_figures = weighted_figures("milestones__", mine)
        return (
            self.filter(plan=plan)
            .with_figures()
            .annotate(
                agency_progress=percent(agency_figures["weighted_sum"], agency_figures["weight_sum"]),
                agency_milestone_count=Count("milestones", filter=mine),
            )
            .order_by("number")
        )

    def for_public_page(self, plan, today=None):
        return self.for_dashboard(plan, today=today)

    # --- the same figures, read from the progress summary (issue 15) ------------------------
    def with_summary_figures(self, filters=None, today=None, overdue_now=None):
        """As with_figures(), from the summary rows: `filters` are the dashboard's (county, category, quarter).

        `overdue_count` here counts the open milestones of the rows whose due quarter has ended; those
        due earlier in the current quarter are added by the caller (add_overdue_now(), one query for
        all goals), or in this query when `overdue_now` is a milestone queryset that names its goal
        by constants (the goal page): an uncorrelated subquery, evaluated once.
        """
        filters = filters or {}
        today = today or timezone.localdate()
        scope = summary_scope("summaries__", **filters)
        weighted_sum = Coalesce(Sum("summaries__weighted_sum", filter=scope), 0)
        weight_sum = Coalesce(Sum("summaries__weight_sum", filter=scope), 0)
        ended = scope & Q(summaries__due_quarter__lt=quarter_code(_quarter_containing(today)))
        open_ = F("summaries__not_started_count") + F("summaries__in_progress_count") + F("summaries__delayed_count")
        overdue = Coalesce(Sum(open_, filter=ended), 0)
        if overdue_now is not None:
            lately = (
                overdue_now.overdue_this_quarter(today).order_by().values("goal").annotate(n=Count("*"))
            )  # COUNT(*): an index-only scan
            overdue = overdue + Coalesce(Subquery(lately.values("n")[:1]), 0)
        return self.annotate(
            weighted_sum=weighted_sum,
            weight_sum=weight_sum,
            progress=Coalesce(percent(weighted_sum, weight_sum), 0),
            milestone_count=Coalesce(Sum("summaries__counted_count", filter=scope), 0),
            done_count=Coalesce(Sum("summaries__done_count", filter=scope), 0),
            cancelled_count=Coalesce(Sum("summaries__cancelled_count", filter=scope), 0),
            overdue_count=overdue,
        )

    def summary_dashboard(self, plan, filters=None, today=None):
        """The plan's goals with their figures and status counts, from the summary (one query):
        the plan's progress and counts add up from these rows (plan_figures)."""
        scope = summary_scope("summaries__", **(filters or {}))
        counts = {
            f"count_{value}": Coalesce(Sum(f"summaries__{value}_count", filter=scope), 0) for value in Status.values
        }
        return (
            self.filter(plan=plan)
            .with_summary_figures(filters, today)
            .annotate(
                **counts,
                count_total=Coalesce(Sum("summaries__milestone_count", filter=scope), 0),
                count_awaiting=Coalesce(Sum("summaries__awaiting_count", filter=scope), 0),
            )
            .order_by("number")
        )

    def summary_agency_page(self, plan, agency):
        """As for_agency_page(), from the summary rows."""
        mine = Q(summaries__agency=agency)
        weighted_sum = Sum("summaries__weighted_sum", filter=mine)
        weight_sum = Sum("summaries__weight_sum", filter=mine)
        return (
            self.filter(plan=plan)
            .with_summary_figures()
            .annotate(
                agency_progress=percent(weighted_sum, weight_sum),
                agency_milestone_count=Coalesce(Sum("summaries__milestone_count", filter=mine), 0),
            )
            .order_by("number")
        )


def add_overdue_now(items, plan, filters=None, today=None, by="goal"):
    """Add to each goal's (or, `by="agency"`, each agency's) overdue_count, read from the summary's
    ended quarters, its milestones due earlier in the current quarter and still open: one query over
    an indexed due-date range. Returns `items` as a list."""
    items = list(items)
    # goal IN (the plan's goals): each goal is then one index-only range of milestone_goal_due_status.
    lately = dict(
        Milestone.objects.filter(goal__in=Goal.objects.filter(plan=plan).values("pk"))
        .filter(milestone_scope(**(filters or {})))
        .overdue_this_quarter(today)
        .order_by()
        .values_list(by)
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan
    )
    for item in items:
        item.overdue_count += lately.get(item.pk, 0)
    return items


def plan_figures(goals):
    """(the plan's progress, its status counts) from goals read with summary_dashboard(), no query:
    Σ weight(g) × progress(g) / Σ weight(g) over the goals with counted milestones, as plan_progress()."""
    weighed = [(goal.weight, goal.weighted_sum, goal.weight_sum) for goal in goals if goal.weight_sum]
    weights = sum(weight for weight, _weighted, _sum in weighed)
    overall = (
        round(sum(weight * weighted / weight_sum for weight, weighted, weight_sum in weighed) / weights, 1)
        if weights
        else None
    )
    counts = {value: sum(getattr(goal, f"count_{value}") for goal in goals) for value in Status.values}
    counts["total"] = sum(goal.count_total for goal in goals)
    counts["overdue"] = sum(goal.overdue_count for goal in goals)
    counts["awaiting_review"] = sum(getattr(goal, "count_awaiting", 0) for goal in goals)  # reports
    return overall, counts


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
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised on every change, so stale edits can be refused.")
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

    def save(self, *args, **kwargs):
        _raise_version(self, kwargs)
        super().save(*args, **kwargs)


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

    def overdue_this_quarter(self, today=None):
        """Overdue milestones due earlier in today's quarter: the part of "overdue" the summary's
        due-quarter rows cannot tell (an indexed range on the due date, at most one quarter)."""
        today = today or timezone.localdate()
        first, _last = _quarter_containing(today).bounds()
        return self.filter(due_date__gte=first).overdue(today)

    # --- progress views ---------------------------------------------------------------
    def counted(self):
        return self.filter(counted())

    def returned_count(self):
        """How many of these counted milestones take their progress from a latest report that was
        returned for revision (docs/progress.md). Read from the returned reports (an index on the
        review state), so its cost follows the few returned reports, not the plan's size."""
        newer = ProgressUpdate.objects.filter(milestone=OuterRef("milestone")).filter(
            Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        return (
            # EXISTS, not milestone IN (…): SQLite then starts from the few returned reports (the partial
            # index update_returned) instead of probing them once per milestone of the plan.
            ProgressUpdate.objects.filter(
                Exists(self.counted().filter(pk=OuterRef("milestone"))),
                review_state=ProgressUpdate.ReviewState.RETURNED,
            )
            .filter(~Exists(newer))
            .aggregate(n=Count("milestone", distinct=True))["n"]
        )

    def plan_progress(self):
        """The plan-level weighted progress of these milestones (one query; None if none count).

        Per goal sum(progress × weight) / sum(weight), then the goals' mean weighted by goal weight.
        """
        return self._weighted_plan_progress({"now": F("progress")})["now"]

    def progress_trend(self, moments):
        """The plan-level weighted progress as the reports stood at each of `moments` (one query).

        A milestone's progress at a moment is that of its latest report on or before it (0 before
        its first report); the milestones weighed are today's counted ones.
        """
        expressions = {}
        for index, moment in enumerate(moments):
            # Ordered by the index (milestone, -created_at, progress) alone, so each look-up is one index probe.
            latest = ProgressUpdate.objects.filter(milestone=OuterRef("pk"), created_at__lte=moment)
            expressions[f"at_{index}"] = Coalesce(Subquery(latest.order_by("-created_at").values("progress")[:1]), 0)
        if not expressions:
            return []
        result = self._weighted_plan_progress(expressions)
        return [result[f"at_{index}"] for index in range(len(moments))]

    def _weighted_plan_progress(self, expressions):
        per_goal = (
            self.counted()
            .annotate(**{f"{name}_progress": expression for name, expression in expressions.items()})
            .values("goal")
            .annotate(
                **{f"{name}_sum": Sum(F(f"{name}_progress") * F("weight")) for name in expressions},
                goal_weight_sum=Sum("weight"),
                goal_weight=Max("goal__weight"),
            )
        )
        result = per_goal.aggregate(
            **{
                name: Sum(Cast(F(f"{name}_sum"), FloatField()) * F("goal_weight") / F("goal_weight_sum"))
                for name in expressions
            },
            weights=Sum("goal_weight"),
        )
        weights = result.pop("weights")
        return {name: round(value / weights, 1) if weights else None for name, value in result.items()}

    def status_counts(self, today=None):
        """Counts by status, overdue count and total, in one query.

        Also how many counted milestones take their progress from a report not yet accepted:
        `awaiting_review` (latest report submitted) and `returned` (latest report returned). The
        figures count every report as soon as it is sent (docs/progress.md); the page says how much
        of them awaits review.
        """
        today = today or timezone.localdate()
        counts = {value: Count("pk", filter=Q(status=value)) for value in Status.values}
        latest = ProgressUpdate.objects.filter(milestone=OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(latest_review_state=Subquery(latest.values("review_state")[:1])).aggregate(
            **counts,
            total=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status__in=[Status.DONE, Status.CANCELLED])),
            awaiting_review=Count("pk", filter=counted() & Q(latest_review_state=ProgressUpdate.ReviewState.SUBMITTED)),
            returned=Count("pk", filter=counted() & Q(latest_review_state=ProgressUpdate.ReviewState.RETURNED)),
        )

    def for_heatmap(self, plan):
        """One row per (goal, agency) cell that has milestones: its weighted progress and counts."""
        return (
            self.in_plan(plan)
            .values("goal_id", "agency_id")
            .annotate(
                **weighted_figures(),
                progress=percent(
                    Coalesce(Sum(F("progress") * F("weight"), filter=counted()), 0),
                    Sum("weight", filter=counted()),
                ),
                milestone_count=Count("pk"),
            )
            .order_by()
        )

    def for_goal_agencies(self, goal):
        """Per agency with milestones under `goal`: its weighted progress and counts (one query)."""
        return (
            self.filter(goal=goal)
            .values("agency__code", "agency__name")
            .annotate(
                progress=Coalesce(
                    percent(Sum(F("progress") * F("weight"), filter=counted()), Sum("weight", filter=counted())), 0
                ),
                milestone_count=Count("pk"),
                done_count=Count("pk", filter=Q(status=Status.DONE)),
            )
            .order_by("agency__name")
        )

    def for_goal_page(self, goal):
        return (
            self.filter(goal=goal)
            .select_related("agency")
            .with_latest_update()
            .order_by("agency__name", "due_date", "pk")
        )

    def for_overdue_page(self, plan, today=None):
        return (
            self.in_plan(plan)
            .overdue(today)
            .select_related("goal", "agency")
            .order_by("goal__number", "due_date", "pk")
        )

    def with_latest_update(self):
        """Annotate the latest report's date and review state, one subquery each."""
        latest = ProgressUpdate.objects.filter(milestone=OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(
            last_reported_at=Subquery(latest.values("created_at")[:1]),
            last_review_state=Subquery(latest.values("review_state")[:1]),
        )

    def with_last_plan_change(self):
        """Annotate the director-general's latest reasoned change (due date, weight, agency, cancelling):
        `plan_change_at`, `plan_change_reason` and `plan_change_old_due` (the due date before it), one
        subquery each over the milestone's history."""
        changes = Milestone.history.model.objects.filter(id=OuterRef("pk"), history_change_reason__gt="").order_by(
            "-history_date", "-history_id"
        )
        before = Milestone.history.model.objects.filter(
            id=OuterRef("pk"), history_date__lt=OuterRef("plan_change_at")
        ).order_by("-history_date", "-history_id")
        return self.annotate(
            plan_change_at=Subquery(changes.values("history_date")[:1]),
            plan_change_reason=Subquery(changes.values("history_change_reason")[:1]),
            # The due date before that change, so the agency's page can say it moved.
            plan_change_old_due=Subquery(before.values("due_date")[:1]),
        )

    def for_agency_page(self, today=None):
        """The "my agency" screen: goal, latest report (date, review, reason) and how urgent each one is.

        `urgency` is 0 for overdue, 1 for due by the end of this Jalali month, 2 otherwise (done and
        cancelled ones are never urgent); the page lists returned reports first, then the most urgent.
        """
        today = today or timezone.localdate()
        latest = ProgressUpdate.objects.filter(milestone=OuterRef("pk")).order_by("-created_at", "-pk")
        open_ = ~Q(status__in=[Status.DONE, Status.CANCELLED])
        # The latest *reviewed* report: a return stays visible (with its reason) after the officer
        # has sent a newer report, until that one is reviewed.
        reviewed = latest.exclude(review_state=ProgressUpdate.ReviewState.SUBMITTED)
        return (
            self.with_latest_update()
            .with_last_plan_change()
            .select_related("goal")
            .annotate(
                last_review_reason=Subquery(latest.values("review_reason")[:1]),
                last_reviewed_state=Subquery(reviewed.values("review_state")[:1]),
                last_reviewed_reason=Subquery(reviewed.values("review_reason")[:1]),
                urgency=Case(
                    When(open_ & Q(due_date__lt=today), then=Value(0)),
                    When(open_ & Q(due_date__lte=_jalali_month_end(today)), then=Value(1)),
                    default=Value(2),
                ),
                # Returned reports lead the page, then overdue, then due this month.
                attention=Case(
                    When(last_review_state=ProgressUpdate.ReviewState.RETURNED, then=Value(0)),
                    default=Value(1),
                ),
            )
            .order_by("attention", "urgency", "due_date", "goal__number", "pk")
        )

    def urgency_counts(self, today=None):
        """How many of these milestones are overdue and how many are due by the end of this Jalali
        month (for_agency_page's urgency 0 and 1), in one query over the milestones' own columns."""
        today = today or timezone.localdate()
        open_ = ~Q(status__in=[Status.DONE, Status.CANCELLED])
        return self.order_by().aggregate(
            overdue=Count("pk", filter=open_ & Q(due_date__lt=today)),
            due_soon=Count("pk", filter=open_ & Q(due_date__gte=today, due_date__lte=_jalali_month_end(today))),
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


def _jalali_month_end(day):
    """The last (Gregorian) day of the Jalali month that contains `day`."""
    import jdatetime

    jday = jdatetime.date.fromgregorian(date=day)
    first_of_next = jdatetime.date(jday.year + jday.month // 12, jday.month % 12 + 1, 1)
    return first_of_next.togregorian() - datetime.timedelta(days=1)


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
            # Progress views: a goal's or an agency's milestones with what the figures read.
            models.Index(
                fields=["goal", "agency", "status", "progress", "weight", "due_date"], name="milestone_goal_figures"
            ),
            models.Index(fields=["agency", "goal"], name="milestone_agency_goal"),
            # By goal and due date, with the status: this quarter's overdue milestones and the overdue page
            # count the open ones of a due-date range from the index alone. (It was a partial index of the
            # open milestones, but Django sends the statuses as parameters and SQLite only uses a partial
            # index whose condition it can match against literal values: it read the table, 40–90 ms.)
            models.Index(fields=["goal", "due_date", "status"], name="milestone_goal_due_status"),
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
        return reverse("reporting:milestone", args=[self.pk])

    @property
    def is_overdue(self):
        return self.due_date < timezone.localdate() and self.status not in (Status.DONE, Status.CANCELLED)


# PostgreSQL: a pg_trgm index on persian_search_text(title) (migration 0005) serves the Persian-aware title search.
search.indexed(Milestone, "title")


class ProgressUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency_filter(user, prefix="milestone__"))

    def awaiting_review(self):
        return self.filter(review_state=ProgressUpdate.ReviewState.SUBMITTED)

    def for_review_queue(self):
        """The review queue: reports awaiting review, oldest first, with what the reviewer reads
        (and the progress of the report before, so a jump from 20 to 90 % is seen)."""
        return (
            self.awaiting_review()
            .with_previous_progress()
            .select_related("milestone__goal", "milestone__agency", "author")
            .prefetch_related("evidence")
            .order_by("created_at", "pk")
        )

    def with_previous_progress(self):
        """`previous_progress`: the progress of the milestone's report before this one (None for the first)."""
        earlier = ProgressUpdate.objects.filter(
            milestone=OuterRef("milestone"), created_at__lt=OuterRef("created_at")
        ).order_by("-created_at", "-pk")
        return self.annotate(previous_progress=Subquery(earlier.values("progress")[:1]))

    def returned_unanswered(self):
        """Returned reports that no newer report on the same milestone has answered yet."""
        newer = ProgressUpdate.objects.filter(milestone=OuterRef("milestone"), created_at__gt=OuterRef("created_at"))
        return self.filter(review_state=ProgressUpdate.ReviewState.RETURNED).exclude(Exists(newer))

    # --- progress views ---------------------------------------------------------------
    def latest_for_dashboard(self, plan, user, count=10):
        """The plan's latest reports that this person may open, newest first (one query)."""
        from agencies.rules import reads_everything

        reports = self.visible_to(user).select_related("milestone__agency", "milestone__goal")
        if reads_everything(user) and plan.status == StrategicPlan.Status.ACTIVE:
            # Reports go to the active plan, so walking every report newest first finds its latest at once.
            # The walk is a subquery of ids with no join: given the joins, SQLite started from the agencies
            # or the plan's goals and sorted the plan's 375,000 reports (254 ms at full scale).
            in_plan = Milestone.objects.filter(pk=OuterRef("milestone"), goal__plan=plan)
            latest = self.filter(Exists(in_plan)).order_by("-created_at", "-pk").values("pk")[:count]
            return reports.filter(pk__in=latest).order_by("-created_at", "-pk")
        reports = reports.filter(milestone__goal__plan=plan)
        return reports.order_by(Coalesce("created_at", "created_at").desc(), "-pk")[:count]


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
            # Progress views: the latest reports, and who reported since a date.
            models.Index(fields=["-created_at"], name="update_latest"),
            models.Index(fields=["milestone", "-created_at", "progress"], name="update_progress_as_of"),
            # The navbar's review count leaves out one's own awaiting reports (issue 15): without it SQLite
            # walks every submitted report by the review-queue index.
            models.Index(fields=["author", "review_state"], name="update_author_review"),
            # The dashboard's "returned" count starts from the returned reports: a partial index tells
            # SQLite's planner there are few (its statistics average the three review states).
            models.Index(
                fields=["milestone", "-created_at"],
                name="update_returned",
                condition=Q(review_state="returned"),
            ),
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


class AgencyFiguresQuerySet(AgencyQuerySet):
    """Agencies read with their progress in a plan: reads about milestones belong to plans, and
    agencies (below plans) never import it. Reached through agency_figures()."""

    def with_plan_progress(self, plan, scope=None):
        """Per agency, over its counted milestones in `plan`: weighted progress and counts (one query).

        `scope` is a Q on milestones written with the "milestones__" prefix (the dashboard filters).
        Only agencies with at least one milestone in the plan are kept.
        """
        # Filtering the join first keeps the aggregates to this plan's rows (and drops agencies with none).
        figures = weighted_figures("milestones__")
        return self.filter(Q(milestones__goal__plan=plan) & (scope or Q())).annotate(
            **figures,
            progress=percent(figures["weighted_sum"], figures["weight_sum"]),
            milestone_count=models.Count("milestones"),
        )

    def with_last_report(self, plan):
        """Annotate `last_reported_at`: the agency's latest report on any milestone of `plan`."""
        # A grouped Max, not ORDER BY … LIMIT 1: the latter lets PostgreSQL walk every report newest
        # first looking for the agency's, which reads the whole table for an agency that never reported.
        latest = (
            ProgressUpdate.objects.filter(milestone__agency=models.OuterRef("pk"), milestone__goal__plan=plan)
            .order_by()
            .values("milestone__agency")
            .annotate(last=models.Max("created_at"))
            .values("last")
        )
        return self.annotate(last_reported_at=models.Subquery(latest))

    def not_reporting(self, plan, since):
        """Agencies with milestones in `plan` and no report on them at or after `since`."""
        recent = ProgressUpdate.objects.filter(created_at__gte=since, milestone__goal__plan=plan)
        return (
            self.filter(pk__in=Milestone.objects.in_plan(plan).values("agency"))
            .exclude(pk__in=recent.values("milestone__agency"))
            .with_last_report(plan)
        )

    # --- the same figures, read from the progress summary (issue 15) ------------------------
    def with_summary_progress(self, plan, filters=None):
        """As with_plan_progress(), from the summary rows."""
        rows = Q(summaries__goal__plan=plan) & summary_scope("summaries__", **(filters or {}))
        weighted_sum = Coalesce(Sum("summaries__weighted_sum"), 0)
        weight_sum = Coalesce(Sum("summaries__weight_sum"), 0)
        return self.filter(rows).annotate(
            weighted_sum=weighted_sum,
            weight_sum=weight_sum,
            progress=percent(weighted_sum, weight_sum),
            milestone_count=Sum("summaries__milestone_count"),
        )

    def with_summary_counts(self, plan, filters=None, today=None):
        """with_summary_progress() and, per agency, its done and delayed milestones and the open ones of
        its ended due quarters as `overdue_count` (add_overdue_now(by="agency") adds this quarter's)."""
        today = today or timezone.localdate()
        ended = Q(summaries__due_quarter__lt=quarter_code(_quarter_containing(today)))
        open_ = F("summaries__not_started_count") + F("summaries__in_progress_count") + F("summaries__delayed_count")
        return self.with_summary_progress(plan, filters).annotate(
            done_count=Sum("summaries__done_count"),
            delayed_count=Sum("summaries__delayed_count"),
            overdue_count=Coalesce(Sum(open_, filter=ended), 0),
        )

    def with_summary_last_report(self, plan):
        """As with_last_report(), from the summary rows (their latest report date)."""
        latest = (
            ProgressSummary.objects.filter(agency=models.OuterRef("pk"), goal__plan=plan)
            .order_by()
            .values("agency")
            .annotate(last=models.Max("last_report_at"))
            .values("last")
        )
        return self.annotate(last_reported_at=models.Subquery(latest))

    def summary_not_reporting(self, plan, since):
        """As not_reporting(), from the summary rows: no row of the agency in the plan reported since."""
        rows = ProgressSummary.objects.filter(goal__plan=plan)
        return (
            self.filter(pk__in=rows.values("agency"))
            .exclude(pk__in=rows.filter(last_report_at__gte=since).values("agency"))
            .with_summary_last_report(plan)
        )


def agency_figures():
    """Every agency, as a queryset that can add its plan figures (with_plan_progress, with_last_report, ...)."""
    return AgencyFiguresQuerySet(model=Agency)


# --- figures kept ready (issue 15, docs/progress.md "Figures kept ready") ----------------------


class QuarterCalendar(models.Model):
    """The Solar Hijri quarters of 1300–1500 as Gregorian day ranges (seeded by a migration).

    The summary's triggers run in the database and cannot call Python: they find a due date's
    quarter by joining this table. `code` is year × 10 + quarter (14053 = 1405 Autumn).
    """

    code = models.PositiveIntegerField(_("quarter"), primary_key=True)
    first_day = models.DateField(_("first day"), unique=True)
    last_day = models.DateField(_("last day"), unique=True)

    class Meta:
        verbose_name = _("quarter")
        verbose_name_plural = _("quarters")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code // 10}-{self.code % 10}"


def quarter_code(quarter):
    """The summary's integer code of a persian.jalali.Quarter (1405-3 → 14053)."""
    return quarter.year * 10 + quarter.number


class ProgressSummaryQuerySet(models.QuerySet):
    def in_plan(self, plan):
        return self.filter(goal__plan=plan)

    def scoped(self, *, county=None, category=None, quarter=None):
        """The dashboard filters, on summary rows (the quarter is the due quarter, as on milestones)."""
        q = Q()
        if county is not None:
            q &= Q(agency__county=county)
        if category:
            q &= Q(agency__category=category)
        if quarter is not None:
            q &= Q(due_quarter=quarter_code(quarter))
        return self.filter(q)

    def plan_progress(self):
        """The plan-level weighted progress of these rows (as Milestone.objects.plan_progress)."""
        per_goal = (
            self.filter(weight_sum__gt=0)
            .values("goal")
            .annotate(goal_sum=Sum("weighted_sum"), goal_weight_sum=Sum("weight_sum"), goal_weight=Max("goal__weight"))
        )
        result = per_goal.aggregate(
            now=Sum(Cast(F("goal_sum"), FloatField()) * F("goal_weight") / F("goal_weight_sum")),
            weights=Sum("goal_weight"),
        )
        return round(result["now"] / result["weights"], 1) if result["weights"] else None

    def goal_agencies(self, goal):
        """As Milestone.objects.for_goal_agencies(): per agency under `goal`, its progress and counts."""
        return (
            self.filter(goal=goal)
            .values("agency__code", "agency__name")
            .annotate(
                progress=Coalesce(percent(Sum("weighted_sum"), Sum("weight_sum")), 0),
                milestone_count=Sum("milestone_count"),
                done_count=Sum("done_count"),
            )
            .order_by("agency__name")
        )

    def awaiting_review_count(self, user):
        """Reports awaiting review in plans that take reports (not archived), leaving out `user`'s own:
        the sum of the rows' counters less an indexed count of the user's reports, in one query of two
        scalar subqueries (each evaluated once)."""
        from django.contrib.auth import get_user_model

        archived = StrategicPlan.Status.ARCHIVED
        total = (
            self.exclude(goal__plan__status=archived)
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(n=Sum("awaiting_count"))
            .values("n")
        )
        own = (
            ProgressUpdate.objects.awaiting_review()
            .filter(author=user)
            .exclude(milestone__goal__plan__status=archived)
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(n=Count("*"))
            .values("n")
        )
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list(Coalesce(Subquery(total), 0) - Coalesce(Subquery(own), 0))
            .first()
        )
        return row[0] if row else 0

    def last_report_at(self):
        """When the latest report on these rows' milestones was made (one query; None without reports)."""
        return self.aggregate(latest=Max("last_report_at"))["latest"]

    def heatmap_cells(self):
        """As Milestone.objects.for_heatmap(): one row per (goal, agency) cell with milestones."""
        return (
            self.values("goal_id", "agency_id")
            .annotate(
                progress=percent(Coalesce(Sum("weighted_sum"), 0), Sum("weight_sum")),
                milestone_count=Sum("milestone_count"),
            )
            .order_by()
        )

    def status_counts(self):
        """Counts by status and the total (as Milestone.objects.status_counts without "overdue", which
        depends on today: Goal.objects.with_summary_figures() counts it per goal)."""
        return self.aggregate(
            **{value: Coalesce(Sum(f"{value}_count"), 0) for value in Status.values},
            total=Coalesce(Sum("milestone_count"), 0),
        )


def _quarter_containing(day):
    from persian.jalali import Quarter

    return Quarter.containing(day)


class ProgressSummary(models.Model):
    """Figures of one (goal, agency, due quarter) cell, kept right by database triggers.

    Never written by Python except by rebuild_progress_summary: triggers on plans_milestone and
    plans_progressupdate (plans/summary.py, created by a migration) keep every row equal to a fresh
    aggregation on every write path, raw SQL included. A row exists while its cell has milestones.
    """

    # No database constraint and no Django cascade: rows come and go with their milestones, by trigger.
    goal = models.ForeignKey(
        Goal, on_delete=models.DO_NOTHING, db_constraint=False, related_name="summaries", verbose_name=_("goal")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, db_constraint=False, related_name="summaries", verbose_name=_("agency")
    )
    due_quarter = models.PositiveIntegerField(_("due quarter"), help_text=_("year × 10 + quarter; 0 outside 1300–1500"))
    milestone_count = models.PositiveIntegerField(default=0)
    counted_count = models.PositiveIntegerField(default=0)
    weight_sum = models.PositiveBigIntegerField(default=0)
    weighted_sum = models.PositiveBigIntegerField(default=0)
    not_started_count = models.PositiveIntegerField(default=0)
    in_progress_count = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    delayed_count = models.PositiveIntegerField(default=0)
    cancelled_count = models.PositiveIntegerField(default=0)
    awaiting_count = models.PositiveIntegerField(default=0, help_text=_("reports awaiting review"))
    last_report_at = models.DateTimeField(null=True, blank=True)

    objects = ProgressSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress summary")
        verbose_name_plural = _("progress summaries")
        constraints = [
            models.UniqueConstraint(fields=["goal", "agency", "due_quarter"], name="summary_cell_unique"),
        ]
        indexes = [models.Index(fields=["agency", "goal"], name="summary_agency_goal")]

    def __str__(self):
        return f"{self.goal_id}/{self.agency_id}/{self.due_quarter}"


class TrendSnapshot(models.Model):
    """The plan's figures as the reports stood at the end of one of its quarters (the dashboard trend).

    Written once the quarter has ended (plans.trend.take_snapshots: a daily task, or
    `manage.py snapshot_progress`), one row per (goal, agency, due quarter) cell, so the dashboard's
    filters apply to it as to the summary.
    """

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("plan"))
    quarter = models.PositiveIntegerField(_("quarter"), help_text=_("year × 10 + quarter"))
    # The unfiltered plan figure, kept with the rows so the plain dashboard reads one number per quarter.
    progress = models.FloatField(_("progress (%)"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        verbose_name = _("trend snapshot")
        verbose_name_plural = _("trend snapshots")
        constraints = [models.UniqueConstraint(fields=["plan", "quarter"], name="snapshot_once_per_plan_quarter")]

    def __str__(self):
        return f"{self.plan} {self.quarter // 10}-{self.quarter % 10}"


class TrendSnapshotRow(models.Model):
    snapshot = models.ForeignKey(TrendSnapshot, on_delete=models.CASCADE, related_name="rows")
    goal = models.ForeignKey(Goal, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    due_quarter = models.PositiveIntegerField()
    weight_sum = models.PositiveBigIntegerField(default=0)
    weighted_sum = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("trend snapshot row")
        verbose_name_plural = _("trend snapshot rows")

    def __str__(self):
        return f"{self.snapshot} {self.goal_id}/{self.agency_id}/{self.due_quarter}"
