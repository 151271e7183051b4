"""Reading a round's results: live from the scores and milestones while the round is open or closed,
from the frozen snapshot (RoundResult rows) once it is locked. A fixed number of queries either way."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery

from agencies.models import Agency
from plans.models import Milestone, ProgressUpdate, Status

from . import measures, scoring
from .models import Measurement, MeasureOverride, Round, RoundCriterion, RoundResult, Score


def rubric_of(round):
    """The round's own rubric as plain values (two queries)."""
    criteria = RoundCriterion.objects.filter(round=round).prefetch_related("sub_criteria").order_by("order", "pk")
    return [
        scoring.Crit(
            pk=criterion.pk,
            weight=criterion.weight,
            subs=tuple(
                scoring.Sub(sub.pk, sub.weight, sub.max_score, sub.measure, sub.measure_zero, sub.measure_full)
                for sub in criterion.sub_criteria.all()
            ),
        )
        for criterion in criteria
    ]


def milestones_in_quarter(quarter):
    """{agency id: [MilestoneInQuarter]} for the quarter (one query)."""
    start, end = quarter.bounds()
    reports = ProgressUpdate.objects.filter(milestone=OuterRef("pk")).exclude(
        review_state=ProgressUpdate.ReviewState.RETURNED
    )
    latest_by_end = reports.filter(created_at__date__lte=end).order_by("-created_at", "-pk")
    rows = (
        Milestone.objects.filter(start_date__lte=end, due_date__gte=start)
        .exclude(status=Status.CANCELLED)
        .annotate(
            progress_at_end=Subquery(latest_by_end.values("progress")[:1]),
            reported_in_quarter=Exists(reports.filter(created_at__date__gte=start, created_at__date__lte=end)),
        )
        .values_list("agency_id", "weight", "start_date", "due_date", "progress_at_end", "reported_in_quarter")
        .order_by()
    )
    by_agency = {}
    for agency_id, weight, start_date, due_date, progress, reported in rows:
        by_agency.setdefault(agency_id, []).append(
            scoring.MilestoneInQuarter(weight, start_date, due_date, progress, bool(reported))
        )
    return by_agency


@dataclass(frozen=True)
class MeasuredScore:
    """A measured sub-criterion for one agency: the value, the score it gives, and the score that counts
    (the director-general's override, when there is one)."""

    value: Decimal | None
    measured_percent: Decimal | None
    percent: Decimal | None
    override: object = None  # the MeasureOverride that counts (live rounds), or True (locked rounds)


def measured_subs(rubric):
    return [sub for criterion in rubric for sub in criterion.subs if sub.measure]


def measured_scores(round, rubric, agency_ids):
    """{(agency id, sub-criterion pk): MeasuredScore}. Live from the measures and the latest overrides while
    the round is open or closed (a query or two per measure, one for the overrides); the stored
    Measurement rows once it is locked (one query). Nothing at all without measured sub-criteria."""
    subs = measured_subs(rubric)
    if not subs:
        return {}
    if round.is_locked:
        return {
            (row.agency_id, row.sub_criterion_id): MeasuredScore(
                row.value, row.measured_percent, row.percent, row.overridden or None
            )
            for row in Measurement.objects.filter(round=round)
        }
    agency_ids = list(agency_ids)
    values = {key: measures.measure_values(key, round.period, agency_ids) for key in {sub.measure for sub in subs}}
    overrides = {}
    for override in MeasureOverride.objects.filter(round=round).order_by("-created_at", "-pk"):
        overrides.setdefault((override.agency_id, override.sub_criterion_id), override)
    scores = {}
    for sub in subs:
        for agency_id in agency_ids:
            value = values[sub.measure].get(agency_id)
            measured = scoring.quantize(measures.percent_for(value, sub.measure_zero, sub.measure_full))
            override = overrides.get((agency_id, sub.pk))
            percent = override.percent if override is not None else measured
            scores[agency_id, sub.pk] = MeasuredScore(scoring.quantize(value), measured, percent, override)
    return scores


def compute_results(round):
    """Live results for every active agency, ranked and tiered (five queries, and those of the measures
    when the rubric has measured sub-criteria)."""
    rubric = rubric_of(round)
    measured_pks = {sub.pk: sub for sub in measured_subs(rubric)}
    means = {}
    for row in Score.objects.for_round(round).means():
        if row["sub_criterion_id"] not in measured_pks:  # a measured item is never the evaluators' to score
            means.setdefault(row["sheet__agency_id"], {})[row["sub_criterion_id"]] = row["mean"]
    milestones = milestones_in_quarter(round.period)
    quarter_end = round.period.bounds()[1]
    agencies = list(Agency.objects.active().order_by("name"))
    measured = measured_scores(round, rubric, [agency.pk for agency in agencies])
    for (agency_id, sub_pk), score in measured.items():
        if score.percent is not None:  # as a mean on the sub-criterion's scale, so the arithmetic is one
            means.setdefault(agency_id, {})[sub_pk] = score.percent * measured_pks[sub_pk].max_score / 100
    rows = []
    for agency in agencies:
        agency_means = means.get(agency.pk, {})
        council = scoring.council_score(rubric, agency_means)
        execution = scoring.execution_score(milestones.get(agency.pk, []), quarter_end)
        percents = scoring.criterion_percents(rubric, agency_means)
        rows.append(
            scoring.ResultRow(
                agency=agency,
                council_score=council,
                execution_score=execution,
                final_score=scoring.final_score(council, execution, round.execution_weight),
                criteria={
                    str(pk): None if value is None else str(scoring.quantize(value)) for pk, value in percents.items()
                },
            )
        )
    return scoring.rank_and_tier(rows, round)


def stored_results(round):
    """The frozen snapshot of a locked round (one query)."""
    return [
        scoring.ResultRow(
            agency=result.agency,
            council_score=result.council_score,
            execution_score=result.execution_score,
            final_score=result.final_score,
            rank=result.rank,
            tier=result.tier,
            criteria=result.criteria,
        )
        for result in RoundResult.objects.filter(round=round).for_ranking()
    ]


def round_results(round, *, with_previous=True):
    """The round's ranking, with each agency's rank in the previous quarter's round (if there is one)."""
    rows = stored_results(round) if round.is_locked else compute_results(round)
    if with_previous:
        previous = Round.objects.for_quarter(round.period.previous()).filter(~Q(status=Round.Status.OPEN)).first()
        if previous is not None:
            earlier = {row.agency_id: row.rank for row in round_results(previous, with_previous=False)}
            for row in rows:
                row.previous_rank = earlier.get(row.agency_id)
    return rows


def trend_of(agency):
    """The agency's final score and rank in every locked round, oldest first (one query)."""
    return list(
        RoundResult.objects.filter(agency=agency, round__status=Round.Status.LOCKED)
        .select_related("round")
        .order_by("round__year", "round__quarter")
    )
