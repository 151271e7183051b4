"""The arithmetic of the evaluation, as small pure functions (each with hand-computed tests).

Council score (0–100) of an agency:
  1. for each sub-criterion, the mean of the evaluators' scores, N/A left out;
     as a percentage of the sub-criterion's maximum score;
  2. a criterion's percentage is the weighted mean of its sub-criteria that have a score;
  3. the council score is the weighted mean of the criteria that have a percentage.
N/A is never counted as zero: it drops out, and the weights of what remains are re-normalised.

Execution score (0–100) from the agency's milestones relevant to the quarter (not cancelled,
started on or before the quarter's last day and due on or after its first day), weighted by
milestone weight:
  execution = Σ w · (0.7 · completion + 0.3 · reported) / Σ w × 100
  completion = min(1, progress at the quarter's end ÷ progress expected by then), where the
               progress at the quarter's end is the latest report's (not returned) up to that day,
               and the expected progress is the share of the milestone's span elapsed by then
               (100 % for a milestone due within the quarter);
  reported   = 1 if the agency reported on the milestone within the quarter, else 0.

Final score = (1 − a) · council + a · execution, a = the round's execution weight. An agency without
milestones in the quarter is judged on its council score alone; an agency nobody has scored has no
final score and is not ranked (the council's evaluation is what a rank rests on).

Ranking: by final score, highest first; equal scores (to two decimals) share a rank and the next
rank is skipped (1, 2, 2, 4). Tier: the cut-off belongs to the tier it opens.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from persian.collation import sort_key

COMPLETION_SHARE = Decimal("0.7")
REPORTING_SHARE = Decimal("0.3")
TWO_PLACES = Decimal("0.01")


def quantize(value):
    if value is None:
        return None
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_mean(pairs):
    """The weighted mean of (value, weight) pairs, values that are None left out; None if nothing remains."""
    counted = [(Decimal(value), Decimal(weight)) for value, weight in pairs if value is not None]
    total_weight = sum(weight for _, weight in counted)
    if not total_weight:
        return None
    return sum(value * weight for value, weight in counted) / total_weight


@dataclass(frozen=True)
class Sub:
    pk: int
    weight: int
    max_score: int
    measure: str = ""  # a measured sub-criterion: its value comes from evaluations.measures, not evaluators
    measure_zero: Decimal | None = None
    measure_full: Decimal | None = None


@dataclass(frozen=True)
class Crit:
    pk: int
    weight: int
    subs: tuple


def criterion_percents(rubric, means):
    """{criterion pk: percent or None} from {sub-criterion pk: mean score} (missing = N/A)."""
    percents = {}
    for criterion in rubric:
        pairs = []
        for sub in criterion.subs:
            mean = means.get(sub.pk)
            pairs.append((None if mean is None else Decimal(mean) * 100 / sub.max_score, sub.weight))
        percents[criterion.pk] = weighted_mean(pairs)
    return percents


def council_score(rubric, means):
    """The council score of one agency: criteria weighted, N/A dropped at every level."""
    percents = criterion_percents(rubric, means)
    return weighted_mean((percents[criterion.pk], criterion.weight) for criterion in rubric)


@dataclass(frozen=True)
class MilestoneInQuarter:
    weight: int
    start_date: object
    due_date: object
    progress_at_end: int | None
    reported_in_quarter: bool


def expected_progress(milestone, quarter_end):
    """The share (0–1) of the milestone's span elapsed by the quarter's end."""
    if milestone.due_date <= quarter_end:
        return Decimal(1)
    span = (milestone.due_date - milestone.start_date).days + 1
    elapsed = (quarter_end - milestone.start_date).days + 1
    return Decimal(max(1, min(elapsed, span))) / Decimal(span)


def execution_score(milestones, quarter_end):
    """The execution score of one agency from its milestones in the quarter; None without milestones."""
    pairs = []
    for milestone in milestones:
        progress = Decimal(milestone.progress_at_end or 0) / 100
        completion = min(Decimal(1), progress / expected_progress(milestone, quarter_end))
        reported = Decimal(1 if milestone.reported_in_quarter else 0)
        pairs.append((COMPLETION_SHARE * completion + REPORTING_SHARE * reported, milestone.weight))
    mean = weighted_mean(pairs)
    return None if mean is None else mean * 100


def final_score(council, execution, execution_weight):
    """Council and execution combined with the round's execution weight (percent)."""
    if council is None:
        return None
    if execution is None:
        return Decimal(council)
    share = Decimal(execution_weight) / 100
    return (1 - share) * Decimal(council) + share * Decimal(execution)


def competition_ranks(scores):
    """Ranks for a list of scores (None = unranked): ties share a rank, the next rank is skipped."""
    ranked = sorted((score for score in scores if score is not None), reverse=True)
    first_position = {}
    for position, score in enumerate(ranked, start=1):
        first_position.setdefault(score, position)
    return [None if score is None else first_position[score] for score in scores]


@dataclass
class ResultRow:
    """An agency's result in a round (live, or read back from the frozen snapshot)."""

    agency: object
    council_score: Decimal | None
    execution_score: Decimal | None
    final_score: Decimal | None
    rank: int | None = None
    tier: str = ""
    criteria: dict = field(default_factory=dict)
    previous_rank: int | None = None

    @property
    def agency_id(self):
        return self.agency.pk

    @property
    def rank_change(self):
        """Places gained (positive) or lost (negative) since the last quarter; None if not comparable."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def rank_change_abs(self):
        change = self.rank_change
        return None if change is None else abs(change)


def rank_and_tier(rows, round):
    """Set rank and tier on each row (scores rounded to two decimals first, so ties are real ties)."""
    for row in rows:
        row.council_score = quantize(row.council_score)
        row.execution_score = quantize(row.execution_score)
        row.final_score = quantize(row.final_score)
    for row, rank in zip(rows, competition_ranks([row.final_score for row in rows]), strict=True):
        row.rank = rank
        row.tier = round.tier_for(row.final_score)
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, sort_key(row.agency.name)))  # ties: Persian order
    return rows
