"""The state changes of an evaluation round: the one way each is written. Permission is the caller's."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import scoring
from .models import (
    Correction,
    Criterion,
    Measurement,
    MeasureOverride,
    Round,
    RoundCriterion,
    RoundResult,
    RoundSubCriterion,
    Score,
    ScoreSheet,
)
from .results import compute_results, measured_scores, rubric_of

ROUND_EXISTS = _("This quarter already has an evaluation round.")
NO_RUBRIC = _("The rubric has no active criteria with sub-criteria; add them in the administration first.")
NOT_OPEN = _("This round is not open for scoring.")
NOT_CLOSED = _("Only a closed round can be locked.")
NOT_LOCKED = _("Only a locked round's results are corrected; an open or closed round is simply re-scored.")
REASON_REQUIRED = _("A correction after locking needs a written reason.")
SCORE_OUT_OF_RANGE = _("A score must be between %(min)s and %(max)s, or N/A.")
SCORE_INVALID = _("A corrected score must be a number from 0 to 100, or empty.")
MEASURED_NOT_SCORED = _("“%(name)s” is measured by the app; evaluators do not score it.")
OVERRIDE_REASON_REQUIRED = _("Overriding a measured score needs a written reason.")
OVERRIDE_LOCKED = _("A locked round keeps its measured scores; change its result with a correction.")
NOT_MEASURED = _("This sub-criterion is not measured.")


def _locked_round(round):
    return Round.objects.select_for_update().get(pk=round.pk)


@transaction.atomic
def open_round(*, quarter, deadline, opened_by, execution_weight=None):
    """Open the quarter's round and copy the rubric into it (old rounds keep the rubric they were scored with)."""
    if Round.objects.for_quarter(quarter).exists():
        raise ValidationError(ROUND_EXISTS, code="round_exists")
    criteria = list(Criterion.objects.filter(is_active=True).prefetch_related("sub_criteria"))
    if not any(criterion.sub_criteria.all() for criterion in criteria):
        raise ValidationError(NO_RUBRIC, code="no_rubric")
    round = Round(year=quarter.year, quarter=quarter.number, deadline=deadline, opened_by=opened_by)
    if execution_weight is not None:
        round.execution_weight = execution_weight
    round.full_clean()
    try:
        with transaction.atomic():
            round.save()
    except IntegrityError as exc:
        raise ValidationError(ROUND_EXISTS, code="round_exists") from exc
    for criterion in criteria:
        subs = list(criterion.sub_criteria.all())
        if not subs:
            continue
        copy = RoundCriterion.objects.create(
            round=round, name=criterion.name, weight=criterion.weight, order=criterion.order
        )
        RoundSubCriterion.objects.bulk_create(
            RoundSubCriterion(
                criterion=copy,
                name=sub.name,
                weight=sub.weight,
                min_score=sub.min_score,
                max_score=sub.max_score,
                order=sub.order,
                measure=sub.measure,
                measure_zero=sub.measure_zero,
                measure_full=sub.measure_full,
            )
            for sub in subs
        )
    return round


UNSCORED = object()  # in save_sheet's values: take back a score given earlier


@transaction.atomic
def save_sheet(*, round, evaluator, agency, values, private_note="", public_comment=""):
    """Write an evaluator's scores for an agency: {round sub-criterion pk: score, None (N/A) or UNSCORED}.

    Sub-criteria left out of `values` keep what they had; None is an explicit N/A; UNSCORED takes
    back a score given earlier (the sub-criterion is not scored yet).
    """
    round = _locked_round(round)
    if not round.is_open:
        raise ValidationError(NOT_OPEN, code="not_open")
    subs = {sub.pk: sub for sub in RoundSubCriterion.objects.filter(criterion__round=round)}
    for pk, value in values.items():
        sub = subs.get(int(pk))
        if sub is None:
            raise ValidationError(NOT_OPEN, code="unknown_sub_criterion")
        if sub.is_measured and value is not UNSCORED:
            raise ValidationError(MEASURED_NOT_SCORED, code="measured", params={"name": sub.name})
        if value is not None and value is not UNSCORED and not sub.min_score <= int(value) <= sub.max_score:
            raise ValidationError(
                SCORE_OUT_OF_RANGE, code="out_of_range", params={"min": sub.min_score, "max": sub.max_score}
            )
    sheet, _created = ScoreSheet.objects.update_or_create(
        round=round,
        evaluator=evaluator,
        agency=agency,
        defaults={"private_note": private_note.strip(), "public_comment": public_comment.strip()},
    )
    existing = {score.sub_criterion_id: score for score in sheet.scores.all()}
    for pk, value in values.items():
        sub = subs[int(pk)]
        score = existing.get(sub.pk)
        if value is UNSCORED:
            if score is not None:
                score.delete()
            continue
        if score is None:
            Score.objects.create(
                sheet=sheet, sub_criterion=sub, value=value, min_score=sub.min_score, max_score=sub.max_score
            )
        elif score.value != value:
            score.value = value
            score.save(update_fields=["value"])
    return sheet


@transaction.atomic
def close_round(*, round, by):
    """Scoring ends; the results (and everyone's scores) become visible to the council."""
    round = _locked_round(round)
    if not round.is_open:
        raise ValidationError(NOT_OPEN, code="not_open")
    round.status = Round.Status.CLOSED
    round.closed_at = timezone.now()
    round.save(update_fields=["status", "closed_at"])
    return round


@transaction.atomic
def lock_round(*, round, by):
    """Freeze the round: its results are stored, so later edits to milestones or scores change nothing."""
    round = _locked_round(round)
    if round.status != Round.Status.CLOSED:
        raise ValidationError(NOT_CLOSED, code="not_closed")
    rows = compute_results(round)
    # The measured values and scores the results were computed with, kept with the frozen results.
    Measurement.objects.bulk_create(
        Measurement(
            round=round,
            agency_id=agency_id,
            sub_criterion_id=sub_pk,
            value=score.value,
            measured_percent=score.measured_percent,
            percent=score.percent,
            overridden=score.override is not None,
        )
        for (agency_id, sub_pk), score in measured_scores(
            round, rubric_of(round), [row.agency_id for row in rows]
        ).items()
    )
    RoundResult.objects.bulk_create(
        RoundResult(
            round=round,
            agency=row.agency,
            council_score=row.council_score,
            execution_score=row.execution_score,
            final_score=row.final_score,
            rank=row.rank,
            tier=row.tier,
            criteria=row.criteria,
        )
        for row in rows
    )
    round.status = Round.Status.LOCKED
    round.locked_at = timezone.now()
    round.save(update_fields=["status", "locked_at"])
    return round


def _score_or_none(value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(SCORE_INVALID, code="invalid_score") from exc
    if not Decimal(0) <= number <= Decimal(100):
        raise ValidationError(SCORE_INVALID, code="invalid_score")
    return scoring.quantize(number)


def _snapshot(result):
    def text(value):
        return None if value is None else str(value)

    return {
        "council_score": text(result.council_score),
        "execution_score": text(result.execution_score),
        "final_score": text(result.final_score),
        "rank": result.rank,
        "tier": result.tier,
    }


@transaction.atomic
def correct_result(*, result, council_score, execution_score, reason, by):
    """Correct a locked round's result for one agency, with a written reason; the round is re-ranked
    from its stored rows and every changed row's before/after is recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason_required")
    round = _locked_round(result.round)
    if not round.is_locked:
        raise ValidationError(NOT_LOCKED, code="not_locked")
    council_score = _score_or_none(council_score)
    execution_score = _score_or_none(execution_score)
    results = list(RoundResult.objects.select_for_update().filter(round=round).select_related("agency"))
    before = {row.pk: _snapshot(row) for row in results}
    target = next(row for row in results if row.pk == result.pk)
    target.council_score = council_score
    target.execution_score = execution_score
    target.final_score = scoring.quantize(scoring.final_score(council_score, execution_score, round.execution_weight))
    for row, rank in zip(results, scoring.competition_ranks([row.final_score for row in results]), strict=True):
        row.rank = rank
        row.tier = round.tier_for(row.final_score)
    changed = [row for row in results if _snapshot(row) != before[row.pk] or row.pk == target.pk]
    for row in changed:
        row.save(update_fields=["council_score", "execution_score", "final_score", "rank", "tier"])
        Correction.objects.create(result=row, author=by, reason=reason, before=before[row.pk], after=_snapshot(row))
    target.refresh_from_db()
    return target


@transaction.atomic
def override_measure(*, round, agency, sub_criterion, percent, reason, by):
    """The director-general replaces a measured score (0–100 %) for one agency, with a written reason; the
    measured value and the score it gave are recorded beside it. Not on a locked round (use a correction)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(OVERRIDE_REASON_REQUIRED, code="reason_required")
    round = _locked_round(round)
    if round.is_locked:
        raise ValidationError(OVERRIDE_LOCKED, code="locked")
    if sub_criterion.criterion.round_id != round.pk or not sub_criterion.is_measured:
        raise ValidationError(NOT_MEASURED, code="not_measured")
    percent = _score_or_none(percent)
    if percent is None:
        raise ValidationError(SCORE_INVALID, code="invalid_score")
    current = measured_scores(round, rubric_of(round), [agency.pk])[agency.pk, sub_criterion.pk]
    return MeasureOverride.objects.create(
        round=round,
        agency=agency,
        sub_criterion=sub_criterion,
        measured_value=current.value,
        before=current.percent,
        percent=percent,
        reason=reason,
        author=by,
    )
