"""The dashboard's trend: one point per quarter of the plan's year that has begun (docs/progress.md).

Ended quarters read their snapshot (TrendSnapshot, written once the quarter is over); a quarter
without one yet is computed from the reports as before (Milestone.objects.progress_trend). The
current quarter's point is the plan's progress now, from the summary.
"""

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from persian.jalali import quarters_of_year

from .models import (
    Milestone,
    ProgressUpdate,
    QuarterCalendar,
    StrategicPlan,
    TrendSnapshot,
    TrendSnapshotRow,
    quarter_code,
    summary_scope,
)


def quarter_end(quarter):
    return timezone.make_aware(datetime.datetime.combine(quarter.bounds()[1], datetime.time.max))


def plan_quarters(plan, today=None):
    """(the quarters of the plan's year that have begun, those of them that have ended)."""
    today = today or timezone.localdate()
    begun = [quarter for quarter in quarters_of_year(plan.year) if quarter.bounds()[0] <= today]
    return begun, [quarter for quarter in begun if quarter.bounds()[1] < today]


def weigh(goal_rows):
    """The plan's progress from [(goal weight, weighted sum, weight sum)] (goals with no weight left out)."""
    total = sum(goal_weight * weighted / weight for goal_weight, weighted, weight in goal_rows if weight)
    weights = sum(goal_weight for goal_weight, _weighted, weight in goal_rows if weight)
    return round(total / weights, 1) if weights else None


def trend(plan, milestones, filters, overall, today=None):
    """{"labels", "values"}: snapshots for ended quarters (one query), the live look-up only for a
    quarter that has no snapshot yet, and `overall` for the current quarter."""
    begun, ended = plan_quarters(plan, today)
    codes = {quarter_code(quarter): quarter for quarter in ended}
    values = {}
    if codes and not any(filters.values()):
        # The plain dashboard: one stored figure per snapshot.
        for code, progress in TrendSnapshot.objects.filter(plan=plan, quarter__in=codes).values_list(
            "quarter", "progress"
        ):
            values[code] = progress
        missing = [quarter for code, quarter in codes.items() if code not in values]
        if missing:
            live = milestones.progress_trend([quarter_end(quarter) for quarter in missing])
            values.update({quarter_code(quarter): value for quarter, value in zip(missing, live, strict=True)})
    elif codes:
        # Filtered: the matching rows of the snapshots, per quarter and goal. A quarter none of whose
        # rows match is looked up live (cheap then: few or no milestones match either).
        per_goal = defaultdict(list)
        for row in (
            TrendSnapshotRow.objects.filter(snapshot__plan=plan, snapshot__quarter__in=codes)
            .filter(summary_scope(**filters))
            .values("snapshot__quarter", "goal_id", "goal__weight")
            .annotate(weighted=Sum("weighted_sum"), weight=Sum("weight_sum"))
            .order_by()
        ):
            per_goal[row["snapshot__quarter"]].append((row["goal__weight"], row["weighted"], row["weight"]))
        values = {code: weigh(rows) for code, rows in per_goal.items()}
        missing = [quarter for code, quarter in codes.items() if code not in values]
        if missing:
            live = milestones.progress_trend([quarter_end(quarter) for quarter in missing])
            values.update({quarter_code(quarter): value for quarter, value in zip(missing, live, strict=True)})
    points = [values[quarter_code(quarter)] for quarter in ended]
    if len(begun) > len(ended):
        points.append(overall)
    return {"labels": [str(quarter.label) for quarter in begun], "values": points}


@transaction.atomic
def take_snapshot(plan, quarter):
    """Write the snapshot of `plan` at the end of `quarter` (replacing one already there)."""
    moment = quarter_end(quarter)
    latest = ProgressUpdate.objects.filter(milestone=OuterRef("pk"), created_at__lte=moment)
    due = QuarterCalendar.objects.filter(first_day__lte=OuterRef("due_date"), last_day__gte=OuterRef("due_date"))
    cells = (
        Milestone.objects.in_plan(plan)
        .counted()
        .order_by()
        .annotate(
            at=Coalesce(Subquery(latest.order_by("-created_at").values("progress")[:1]), 0),
            cell_quarter=Coalesce(Subquery(due.values("code")[:1]), Value(0), output_field=IntegerField()),
        )
        .values("goal_id", "agency_id", "cell_quarter")
        .annotate(weighted=Sum(F("at") * F("weight")), weight=Sum("weight"))
    )
    TrendSnapshot.objects.filter(plan=plan, quarter=quarter_code(quarter)).delete()
    snapshot = TrendSnapshot.objects.create(plan=plan, quarter=quarter_code(quarter))
    TrendSnapshotRow.objects.bulk_create(
        (
            TrendSnapshotRow(
                snapshot=snapshot,
                goal_id=cell["goal_id"],
                agency_id=cell["agency_id"],
                due_quarter=cell["cell_quarter"],
                weighted_sum=cell["weighted"],
                weight_sum=cell["weight"],
            )
            for cell in cells
        ),
        batch_size=2000,
    )
    snapshot.progress = snapshot_progress(snapshot)
    snapshot.save(update_fields=["progress"])
    return snapshot


def snapshot_progress(snapshot, rows_model=TrendSnapshotRow):
    """The plan's figure of a snapshot, unfiltered, from its rows (one query)."""
    per_goal = (
        rows_model.objects.filter(snapshot=snapshot.pk, weight_sum__gt=0)
        .values("goal_id", "goal__weight")
        .annotate(weighted=Sum("weighted_sum"), weight=Sum("weight_sum"))
        .order_by()
    )
    return weigh([(row["goal__weight"], row["weighted"], row["weight"]) for row in per_goal])


def take_snapshots(today=None, plans=None):
    """Snapshot every ended quarter of every plan (not drafts) that has none yet; returns how many."""
    plans = plans if plans is not None else StrategicPlan.objects.exclude(status=StrategicPlan.Status.DRAFT)
    written = 0
    for plan in plans:
        _begun, ended = plan_quarters(plan, today)
        have = set(plan.snapshots.values_list("quarter", flat=True))
        for quarter in ended:
            if quarter_code(quarter) not in have:
                take_snapshot(plan, quarter)
                written += 1
    if written and connection.vendor == "postgresql":
        # Fresh statistics at once: planned as an empty table, the filtered trend took 200 ms at full scale.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE plans_trendsnapshotrow")
    return written
