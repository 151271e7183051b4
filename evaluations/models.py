"""The quarterly evaluation: a rubric, rounds per Solar Hijri quarter, evaluators' scores and frozen results."""

from django.conf import settings
from django.db import models
from django.db.models import Avg, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from persian.jalali import Quarter

# --- the rubric (the template every new round copies) ---------------------------------


class Criterion(models.Model):
    """A criterion of the rubric (شاخص); its weight is its share of the council score."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), help_text=_("The criteria's weights usually sum to 100."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Only active criteria go into new rounds."))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive")]

    def __str__(self):
        return self.name


SCORE_RANGE = Q(min_score__gte=0) & Q(max_score__gt=F("min_score")) & Q(max_score__lte=100)


# A measured sub-criterion names its measure and both points of its scale, and they differ.
MEASURE_SCALE = Q(measure="") | (
    Q(measure_zero__isnull=False) & Q(measure_full__isnull=False) & ~Q(measure_zero=F("measure_full"))
)
MEASURE_SCALE_MESSAGE = _("A measured sub-criterion needs the value that scores 0% and the value that scores 100%.")


class ScaledItem(models.Model):
    """What a sub-criterion is, in the rubric and in a round's copy of it: a weighted item on a score scale.

    A measured sub-criterion (measure set) is not scored by evaluators: its value comes from the app's
    records (evaluations.measures) and maps linearly to 0–100 % between measure_zero and measure_full.
    """

    name = models.CharField(_("name"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    min_score = models.PositiveSmallIntegerField(_("minimum score"), default=1)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=5)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    measure = models.CharField(
        _("measured by"),
        max_length=40,
        blank=True,
        help_text=_(
            "Leave empty for a sub-criterion the evaluators score; choose a measure to fill it from the app's records."
        ),
    )
    measure_zero = models.DecimalField(_("value scoring 0%"), max_digits=9, decimal_places=2, null=True, blank=True)
    measure_full = models.DecimalField(
        _("value scoring 100%"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Between the two values the score is linear; beyond them it stays at 0% or 100%. "
            "Put it below the 0% value when fewer is better (days since an update)."
        ),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def is_measured(self):
        return bool(self.measure)

    @property
    def measure_label(self):
        from .measures import get

        measure = get(self.measure)
        return measure.label if measure else self.measure

    @property
    def measure_unit(self):
        from .measures import get

        measure = get(self.measure)
        return measure.unit if measure else ""

    def clean(self):
        from django.core.exceptions import ValidationError

        from .measures import get

        if self.measure and get(self.measure) is None:
            raise ValidationError({"measure": _("No such measure.")})
        if self.measure and (
            self.measure_zero is None or self.measure_full is None or self.measure_zero == self.measure_full
        ):
            raise ValidationError(MEASURE_SCALE_MESSAGE)


class SubCriterion(ScaledItem):
    """A sub-criterion (زیرشاخص), scored from min_score to max_score, or N/A."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="sub_criteria"
    )

    class Meta:
        verbose_name = _("sub-criterion")
        verbose_name_plural = _("sub-criteria")
        ordering = ["criterion__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="subcriterion_weight_positive"),
            models.CheckConstraint(
                condition=SCORE_RANGE,
                name="subcriterion_score_range",
                violation_error_message=_("The maximum score must be above the minimum (and at most 100)."),
            ),
            models.UniqueConstraint(fields=["criterion", "name"], name="subcriterion_name_unique"),
            models.CheckConstraint(
                condition=MEASURE_SCALE,
                name="subcriterion_measure_scale",
                violation_error_message=MEASURE_SCALE_MESSAGE,
            ),
        ]


# --- rounds ---------------------------------------------------------------------------------


def default_execution_weight():
    return settings.EVALUATION_EXECUTION_WEIGHT


def default_excellent():
    return settings.EVALUATION_TIER_CUTOFFS["excellent"]


def default_active():
    return settings.EVALUATION_TIER_CUTOFFS["active"]


def default_semi_active():
    return settings.EVALUATION_TIER_CUTOFFS["semi_active"]


class Tier(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    ACTIVE = "active", _("Active")
    SEMI_ACTIVE = "semi_active", _("Semi-active")
    INACTIVE = "inactive", _("Inactive")


class RoundQuerySet(models.QuerySet):
    def for_quarter(self, quarter):
        return self.filter(year=quarter.year, quarter=quarter.number)

    def open(self):
        return self.filter(status=Round.Status.OPEN)

    def locked(self):
        return self.filter(status=Round.Status.LOCKED)

    def visible_to(self, user):
        """The rounds this person may read about (the rules module decides)."""
        from .rules import round_filter  # the rules module reads this app's models

        return self.filter(round_filter(user))


class Round(models.Model):
    """One quarter's evaluation: open (evaluators score) → closed (results shown) → locked (frozen)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for scoring")
        CLOSED = "closed", _("Closed")
        LOCKED = "locked", _("Locked")

    year = models.PositiveSmallIntegerField(_("Solar Hijri year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(1, _("Spring")), (2, _("Summer")), (3, _("Autumn")), (4, _("Winter"))]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    deadline = models.DateField(_("scoring deadline"))
    execution_weight = models.PositiveSmallIntegerField(
        _("execution weight (%)"),
        default=default_execution_weight,
        help_text=_("The execution score's share of the final score; the council score has the rest."),
    )
    excellent_from = models.DecimalField(_("excellent from"), max_digits=5, decimal_places=2, default=default_excellent)
    active_from = models.DecimalField(_("active from"), max_digits=5, decimal_places=2, default=default_active)
    semi_active_from = models.DecimalField(
        _("semi-active from"), max_digits=5, decimal_places=2, default=default_semi_active
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"],
                name="one_round_per_quarter",
                violation_error_message=_("This quarter already has an evaluation round."),
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="round_quarter_1_4"),
            models.CheckConstraint(condition=Q(year__gte=1300) & Q(year__lte=1500), name="round_year_solar_hijri"),
            models.CheckConstraint(condition=Q(execution_weight__lte=100), name="round_execution_weight_0_100"),
            models.CheckConstraint(
                condition=Q(semi_active_from__gte=0)
                & Q(active_from__gt=F("semi_active_from"))
                & Q(excellent_from__gt=F("active_from"))
                & Q(excellent_from__lte=100),
                name="round_tier_cutoffs_ordered",
                violation_error_message=_("The tier cut-offs must rise: semi-active < active < excellent ≤ 100."),
            ),
            models.CheckConstraint(condition=Q(status__in=["open", "closed", "locked"]), name="round_status_valid"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="round_closed_is_stamped"
            ),
            models.CheckConstraint(
                condition=~Q(status="locked") | Q(locked_at__isnull=False), name="round_locked_is_stamped"
            ),
        ]

    def __str__(self):
        return str(self.period.label)

    def get_absolute_url(self):
        return reverse("evaluations:round", args=[self.pk])

    @property
    def period(self):
        return Quarter(self.year, self.quarter)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_locked(self):
        return self.status == self.Status.LOCKED

    def tier_for(self, score):
        """The tier of a final score; a cut-off belongs to the tier it opens."""
        if score is None:
            return ""
        if score >= self.excellent_from:
            return Tier.EXCELLENT
        if score >= self.active_from:
            return Tier.ACTIVE
        if score >= self.semi_active_from:
            return Tier.SEMI_ACTIVE
        return Tier.INACTIVE


class RoundCriterion(models.Model):
    """The round's own copy of a criterion: later edits to the rubric do not touch old rounds."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("round criterion")
        verbose_name_plural = _("round criteria")
        ordering = ["round", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="round_criterion_weight_positive"),
            models.UniqueConstraint(fields=["round", "name"], name="round_criterion_name_unique"),
        ]

    def __str__(self):
        return self.name


class RoundSubCriterion(ScaledItem):
    """The round's own copy of a sub-criterion."""

    criterion = models.ForeignKey(
        RoundCriterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="sub_criteria"
    )

    class Meta:
        verbose_name = _("round sub-criterion")
        verbose_name_plural = _("round sub-criteria")
        ordering = ["criterion__order", "criterion_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="round_subcriterion_weight_positive"),
            models.CheckConstraint(condition=SCORE_RANGE, name="round_subcriterion_score_range"),
            models.CheckConstraint(
                condition=MEASURE_SCALE,
                name="round_subcriterion_measure_scale",
                violation_error_message=MEASURE_SCALE_MESSAGE,
            ),
        ]


# --- scores ---------------------------------------------------------------------------------


class ScoreSheetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The score sheets this person may open: blind (own only) for evaluators while the round is open."""
        from .rules import sheet_filter  # the rules module reads this app's models

        return self.filter(sheet_filter(user))

    def for_round(self, round):
        return self.filter(round=round)


class ScoreSheet(models.Model):
    """One evaluator's scores for one agency in one round, with a private note and a public comment."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="sheets")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="score_sheets"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="score_sheets")
    private_note = models.TextField(
        _("private note"), blank=True, help_text=_("Seen by the council only, never by the agency.")
    )
    public_comment = models.TextField(
        _("public comment"), blank=True, help_text=_("Shown to the agency on its scorecard.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["round", "agency__name", "evaluator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "evaluator", "agency"],
                name="one_sheet_per_evaluator_agency_round",
                violation_error_message=_("This evaluator already has a score sheet for this agency in this round."),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.agency} · {self.evaluator}"

    def get_absolute_url(self):
        return reverse("evaluations:sheet", args=[self.round_id, self.pk])


class ScoreQuerySet(models.QuerySet):
    def for_round(self, round):
        return self.filter(sheet__round=round)

    def means(self):
        """Per (agency, sub-criterion): the mean of the evaluators' scores, N/A left out (never counted as zero)."""
        return (
            self.filter(value__isnull=False)
            .values("sheet__agency_id", "sub_criterion_id")
            .annotate(mean=Avg("value"))
            .order_by()
        )


class Score(models.Model):
    """A sub-criterion's score on a sheet; an empty value means N/A (not applicable)."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    sub_criterion = models.ForeignKey(
        RoundSubCriterion, verbose_name=_("sub-criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, help_text=_("Empty means N/A."))
    # The sub-criterion's range, copied so the database itself refuses a score outside it.
    min_score = models.PositiveSmallIntegerField(_("minimum score"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"))

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["sheet", "sub_criterion"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "sub_criterion"], name="one_score_per_sheet_subcriterion"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=F("min_score")) & Q(value__lte=F("max_score"))),
                name="score_within_range",
                violation_error_message=_("The score is outside the sub-criterion's range."),
            ),
            models.CheckConstraint(condition=SCORE_RANGE, name="score_range_valid"),
        ]

    def __str__(self):
        return f"{self.sub_criterion}: {self.value if self.value is not None else 'N/A'}"


# --- results: computed live while a round is open or closed, stored (frozen) when it is locked ---


class ResultQuerySet(models.QuerySet):
    def for_ranking(self):
        return self.select_related("agency").order_by("rank", "agency__name")


class RoundResult(models.Model):
    """An agency's frozen result in a locked round; only a recorded correction changes it."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="evaluation_results"
    )
    council_score = models.DecimalField(_("council score"), max_digits=5, decimal_places=2, null=True, blank=True)
    execution_score = models.DecimalField(_("execution score"), max_digits=5, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(_("final score"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier, blank=True)
    criteria = models.JSONField(_("criterion scores"), default=dict, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        ordering = ["round", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="one_result_per_agency_round"),
            models.CheckConstraint(
                condition=(Q(council_score__isnull=True) | (Q(council_score__gte=0) & Q(council_score__lte=100)))
                & (Q(execution_score__isnull=True) | (Q(execution_score__gte=0) & Q(execution_score__lte=100)))
                & (Q(final_score__isnull=True) | (Q(final_score__gte=0) & Q(final_score__lte=100))),
                name="result_scores_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.agency}"


class Correction(models.Model):
    """A change to a locked round's result, with the written reason the director-general gave."""

    result = models.ForeignKey(
        RoundResult, verbose_name=_("result"), on_delete=models.CASCADE, related_name="corrections"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    created_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="correction_has_reason",
                violation_error_message=_("A correction after locking needs a written reason."),
            ),
        ]

    def __str__(self):
        return f"{self.result} · {self.created_at:%Y-%m-%d}"


# --- measured sub-criteria: overrides with a reason, and the values a locked round keeps ------------


class MeasureOverride(models.Model):
    """The director-general's override of a measured score, with the reason (recorded like a correction:
    the latest one counts, every one is kept)."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="overrides")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    sub_criterion = models.ForeignKey(
        RoundSubCriterion, verbose_name=_("sub-criterion"), on_delete=models.CASCADE, related_name="overrides"
    )
    measured_value = models.DecimalField(_("measured value"), max_digits=9, decimal_places=2, null=True, blank=True)
    before = models.DecimalField(_("score before (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("overridden by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("overridden at"), auto_now_add=True)

    class Meta:
        verbose_name = _("measured score override")
        verbose_name_plural = _("measured score overrides")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="override_has_reason",
                violation_error_message=_("Overriding a measured score needs a written reason."),
            ),
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="override_percent_0_100"),
        ]

    def __str__(self):
        return f"{self.round} · {self.agency} · {self.sub_criterion}"


class Measurement(models.Model):
    """A measured sub-criterion's value and score for one agency, stored when the round is locked."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="measurements")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    sub_criterion = models.ForeignKey(
        RoundSubCriterion, verbose_name=_("sub-criterion"), on_delete=models.CASCADE, related_name="measurements"
    )
    value = models.DecimalField(_("measured value"), max_digits=9, decimal_places=2, null=True, blank=True)
    measured_percent = models.DecimalField(
        _("measured score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    overridden = models.BooleanField(_("overridden"), default=False)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["round", "agency", "sub_criterion"], name="one_measurement_per_item"),
        ]

    def __str__(self):
        return f"{self.round} · {self.agency} · {self.sub_criterion}"
