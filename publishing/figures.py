"""The figures a bulletin shows, read once from the locked round and the plan and stored as plain values
(JSON) when the bulletin is published: the published page, the feed and the open data read that snapshot,
so later reports or result corrections change nothing until an erratum re-reads them.

Only public figures go in: agencies by code and name, scores, ranks, tiers and the council's public
comments; never a person, a private note, a returned report's reason or an evidence file.
"""

import datetime
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from evaluations.models import ScoreSheet, Tier
from evaluations.results import round_results
from plans import panels
from plans.models import Goal, Milestone, ProgressUpdate

TIERS = [tier.value for tier in Tier]
MOVERS = 2  # risers and fallers named in the press text


def _number(value):
    return None if value is None else str(value)


def quarter_end_moment(round):
    end = round.period.bounds()[1]
    return timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))


def goals_at(plan, moment):
    """Each goal of the plan with its weighted progress as the reports stood at `moment` (two queries)."""
    latest = ProgressUpdate.objects.filter(milestone=OuterRef("pk"), created_at__lte=moment).order_by("-created_at")
    per_goal = {
        row["goal"]: row
        for row in Milestone.objects.in_plan(plan)
        .counted()
        .annotate(at_end=Coalesce(Subquery(latest.values("progress")[:1]), 0))
        .values("goal")
        .annotate(weighted=Sum(F("at_end") * F("weight")), weights=Sum("weight"))
        .order_by()
    }
    goals = []
    for goal in Goal.objects.filter(plan=plan).order_by("number"):
        row = per_goal.get(goal.pk)
        progress = round(row["weighted"] / row["weights"]) if row and row["weights"] else None
        goals.append(
            {"id": goal.pk, "number": goal.number, "title": goal.title, "weight": goal.weight, "progress": progress}
        )
    return goals


def plan_progress_at(plan, moment):
    """The plan's weighted progress at `moment`, the same figure as the dashboard's trend (one query)."""
    return Milestone.objects.in_plan(plan).progress_trend([moment])[0]


def build(*, round, plan, narratives=None):
    """The bulletin's figures as plain values (a fixed number of queries whatever the number of agencies)."""
    moment = quarter_end_moment(round)
    rows = round_results(round)
    comments = {}
    for agency_id, comment in (
        ScoreSheet.objects.filter(round=round)
        .exclude(public_comment="")
        .order_by("pk")
        .values_list("agency_id", "public_comment")
    ):
        comments.setdefault(agency_id, []).append(comment)
    ranking = [
        {
            "agency": row.agency.code,
            "name": row.agency.name,
            "rank": row.rank,
            "previous_rank": row.previous_rank,
            "rank_change": row.rank_change,
            "rank_change_abs": row.rank_change_abs,  # for evaluations/_rank_change.html
            "final_score": _number(row.final_score),
            "council_score": _number(row.council_score),
            "execution_score": _number(row.execution_score),
            "tier": row.tier,
            "comments": comments.get(row.agency_id, []),
        }
        for row in rows
    ]
    narratives = narratives or {}
    goals = goals_at(plan, moment)
    for goal in goals:
        story = narratives.get(goal["id"], {})
        goal.update({key: story.get(key, "") for key in ("done", "next", "obstacles")})
    return {
        "quarter": {"year": round.year, "number": round.quarter, "end": round.period.bounds()[1].isoformat()},
        "plan": {"id": plan.pk, "title": plan.title, "progress": plan_progress_at(plan, moment)},
        "goals": goals,
        "ranking": ranking,
        "tier_counts": tier_counts(ranking),
        "cutoffs": {
            "excellent": str(round.excellent_from),
            "active": str(round.active_from),
            "semi_active": str(round.semi_active_from),
        },
        "movers": movers(ranking),
        "panels": frozen_panels(plan=plan, round=round),
    }


def tier_counts(ranking):
    counts = dict.fromkeys(TIERS, 0)
    for row in ranking:
        if row["tier"] in counts:
            counts[row["tier"]] += 1
    return counts


def movers(ranking):
    """The agencies that climbed or fell the most places since the previous quarter's round."""
    moved = [row for row in ranking if row["rank_change"]]
    risers = sorted(
        (row for row in moved if row["rank_change"] > 0), key=lambda row: (-row["rank_change"], row["rank"])
    )
    fallers = sorted(
        (row for row in moved if row["rank_change"] < 0), key=lambda row: (row["rank_change"], row["rank"])
    )
    pick = ("agency", "name", "rank", "previous_rank", "rank_change")
    return {
        "up": [{key: row[key] for key in pick} for row in risers[:MOVERS]],
        "down": [{key: row[key] for key in pick} for row in fallers[:MOVERS]],
    }


def frozen_panels(*, plan, round):
    """What other apps add to a bulletin (plans.panels, screen "bulletin"), frozen with the figures: each
    panel's context function is called without a request and must return plain (JSON) values."""
    return [
        {"template": panel.template, "context": panel.context}
        for panel in panels.collect("bulletin", None, plan=plan, quarter=round.period)
    ]


def top_agencies(ranking, count=3):
    return [row for row in ranking if row["rank"] is not None and row["rank"] <= count]


def score(value):
    return None if value in (None, "") else Decimal(value)
