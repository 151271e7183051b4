# ruff: noqa: S608 -- the SQL is built from this module's own constants, never from input.
"""The progress summary's upkeep: database triggers, a fresh aggregation, rebuild and drift check.

Why triggers (docs/progress.md, "Figures kept ready"): the summary must stay right on every write
path — the reporting service, reviews, admin, imports, the plan editor, bulk_create, queryset
.update(), deletes, and paths nobody has written yet. A trigger runs inside the same statement as
the write, so no path can forget it. PostgreSQL and SQLite get the same statements (PostgreSQL in
PL/pgSQL functions, SQLite in trigger bodies); a due date's Solar Hijri quarter is found by
joining plans_quartercalendar, since a trigger cannot call Python.
"""

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

SUMMARY = "plans_progresssummary"
CALENDAR = "plans_quartercalendar"
MILESTONE = "plans_milestone"
UPDATE = "plans_progressupdate"
STATUSES = ("not_started", "in_progress", "done", "delayed", "cancelled")
FIGURES = (
    "milestone_count",
    "counted_count",
    "weight_sum",
    "weighted_sum",
    *(f"{status}_count" for status in STATUSES),
    "awaiting_count",
    "last_report_at",
)


def quarter_of(day):
    """SQL: the quarter code of the date expression `day` (0 outside the calendar).

    The first quarter ending on or after `day` (one probe of the unique index on last_day) is the one
    that holds it if it also starts by then; without the ORDER BY … LIMIT the range scan visited every
    later quarter (≈400 rows per call for 1405), which made a rebuild at 300,000 milestones take
    over 17 minutes."""
    return (
        f"COALESCE((SELECT c.code FROM {CALENDAR} c WHERE c.last_day >= {day} AND c.first_day <= {day} "
        "ORDER BY c.last_day LIMIT 1), 0)"
    )


def _cell(ref):
    return (
        f"{SUMMARY}.goal_id = {ref}.goal_id AND {SUMMARY}.agency_id = {ref}.agency_id "
        f"AND {SUMMARY}.due_quarter = {quarter_of(f'{ref}.due_date')}"
    )


def _milestone_cell(milestone_id):
    """The summary row of the milestone `milestone_id` (a row-value comparison)."""
    return (
        f"({SUMMARY}.goal_id, {SUMMARY}.agency_id, {SUMMARY}.due_quarter) = "
        f"(SELECT m.goal_id, m.agency_id, {quarter_of('m.due_date')} FROM {MILESTONE} m WHERE m.id = {milestone_id})"
    )


def _when(condition, then):
    return f"CASE WHEN {condition} THEN {then} ELSE 0 END"


def _ensure_row(vendor, ref):
    zeros = ", ".join("0" for _ in FIGURES[:-1])
    columns = ", ".join(FIGURES[:-1])
    values = f"{ref}.goal_id, {ref}.agency_id, {quarter_of(f'{ref}.due_date')}, {zeros}"
    if vendor == "postgresql":
        return (
            f"INSERT INTO {SUMMARY} (goal_id, agency_id, due_quarter, {columns}) VALUES ({values}) "
            "ON CONFLICT (goal_id, agency_id, due_quarter) DO NOTHING"
        )
    return f"INSERT OR IGNORE INTO {SUMMARY} (goal_id, agency_id, due_quarter, {columns}) VALUES ({values})"


def _move_milestone(ref, sign):
    """Add (sign "+") or take away ("-") the milestone `ref` (NEW or OLD) from its cell's figures."""
    counted = f"{ref}.status <> 'cancelled'"
    awaiting = f"(SELECT COUNT(*) FROM {UPDATE} u WHERE u.milestone_id = {ref}.id AND u.review_state = 'submitted')"
    changes = [
        f"milestone_count = milestone_count {sign} 1",
        f"counted_count = counted_count {sign} {_when(counted, 1)}",
        f"weight_sum = weight_sum {sign} {_when(counted, f'{ref}.weight')}",
        f"weighted_sum = weighted_sum {sign} {_when(counted, f'{ref}.weight * {ref}.progress')}",
        *(f"{status}_count = {status}_count {sign} {_when(f"{ref}.status = '{status}'", 1)}" for status in STATUSES),
        f"awaiting_count = awaiting_count {sign} {awaiting}",
    ]
    return f"UPDATE {SUMMARY} SET {', '.join(changes)} WHERE {_cell(ref)}"


def _drop_empty(ref):
    return f"DELETE FROM {SUMMARY} WHERE {_cell(ref)} AND milestone_count = 0"


# The latest report of a row's cell, looked up again (after a delete, or a milestone that moved).
LAST_REPORT_OF_ROW = (
    f"(SELECT MAX(u.created_at) FROM {UPDATE} u JOIN {MILESTONE} m ON m.id = u.milestone_id "
    f"WHERE m.goal_id = {SUMMARY}.goal_id AND m.agency_id = {SUMMARY}.agency_id "
    f"AND {quarter_of('m.due_date')} = {SUMMARY}.due_quarter)"
)


def _recount_last(where):
    return f"UPDATE {SUMMARY} SET last_report_at = {LAST_REPORT_OF_ROW} WHERE {where}"


CELL_CHANGED = (
    f"(OLD.goal_id <> NEW.goal_id OR OLD.agency_id <> NEW.agency_id "
    f"OR {quarter_of('OLD.due_date')} <> {quarter_of('NEW.due_date')})"
)
MILESTONE_FIGURE_COLUMNS = "goal_id, agency_id, due_date, weight, status, progress"
UPDATE_FIGURE_COLUMNS = "milestone_id, created_at, review_state"


def trigger_bodies(vendor):
    """{(table, event): [statements]} — what each trigger does, in order."""
    awaiting = "CASE WHEN {ref}.review_state = 'submitted' THEN 1 ELSE 0 END"
    return {
        (MILESTONE, "INSERT"): [_ensure_row(vendor, "NEW"), _move_milestone("NEW", "+")],
        (MILESTONE, f"UPDATE OF {MILESTONE_FIGURE_COLUMNS}"): [
            # Add to the new cell first: when the cell stays the same, its row never drops to 0 and goes.
            _ensure_row(vendor, "NEW"),
            _move_milestone("NEW", "+"),
            _move_milestone("OLD", "-"),
            _drop_empty("OLD"),
            _recount_last(f"{_cell('OLD')} AND {CELL_CHANGED}"),
            _recount_last(f"{_cell('NEW')} AND {CELL_CHANGED}"),
        ],
        (MILESTONE, "DELETE"): [_move_milestone("OLD", "-"), _drop_empty("OLD"), _recount_last(_cell("OLD"))],
        (UPDATE, "INSERT"): [
            f"UPDATE {SUMMARY} SET awaiting_count = awaiting_count + {awaiting.format(ref='NEW')}, "
            "last_report_at = CASE WHEN last_report_at IS NULL OR last_report_at < NEW.created_at "
            f"THEN NEW.created_at ELSE last_report_at END WHERE {_milestone_cell('NEW.milestone_id')}"
        ],
        (UPDATE, f"UPDATE OF {UPDATE_FIGURE_COLUMNS}"): [
            f"UPDATE {SUMMARY} SET awaiting_count = awaiting_count - {awaiting.format(ref='OLD')} "
            f"WHERE {_milestone_cell('OLD.milestone_id')}",
            f"UPDATE {SUMMARY} SET awaiting_count = awaiting_count + {awaiting.format(ref='NEW')} "
            f"WHERE {_milestone_cell('NEW.milestone_id')}",
            _recount_last(
                f"{_milestone_cell('OLD.milestone_id')} "
                "AND (OLD.milestone_id <> NEW.milestone_id OR OLD.created_at <> NEW.created_at)"
            ),
            _recount_last(
                f"{_milestone_cell('NEW.milestone_id')} "
                "AND (OLD.milestone_id <> NEW.milestone_id OR OLD.created_at <> NEW.created_at)"
            ),
        ],
        (UPDATE, "DELETE"): [
            f"UPDATE {SUMMARY} SET awaiting_count = awaiting_count - {awaiting.format(ref='OLD')} "
            f"WHERE {_milestone_cell('OLD.milestone_id')}",
            _recount_last(_milestone_cell("OLD.milestone_id")),
        ],
    }


def _name(table, event):
    return f"{table}_summary_{event.split()[0].lower()}"


def create_triggers(connection=default_connection):
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for (table, event), statements in trigger_bodies(vendor).items():
            name = _name(table, event)
            if vendor == "postgresql":
                body = ";\n".join(statements)
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    f"BEGIN\n{body};\nRETURN NULL;\nEND $$"
                )
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
            elif vendor == "sqlite":
                body = ";\n".join(statements)
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN\n{body};\nEND")
            else:  # pragma: no cover - the project runs on these two
                raise NotImplementedError(vendor)


def missing_triggers(connection=default_connection):
    """The names of the summary's triggers that the database lacks."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return [
        _name(table, event) for table, event in trigger_bodies(connection.vendor) if _name(table, event) not in present
    ]


def ensure_triggers(connection=default_connection):
    """Create the triggers if any is missing; True if some were (the summary may have drifted then)."""
    if not missing_triggers(connection):
        return False
    create_triggers(connection)
    return True


def drop_triggers(connection=default_connection):
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for table, event in trigger_bodies(vendor):
            name = _name(table, event)
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


# --- a fresh aggregation, for rebuild and the drift check --------------------------------------


def fresh_rows():
    """{(goal_id, agency_id, due_quarter): {figure: value}} computed from the milestones and reports now."""
    from .models import Milestone, ProgressUpdate, QuarterCalendar

    # The first quarter ending on or after the due date, if it has begun by then (one index probe).
    quarter = QuarterCalendar.objects.filter(
        last_day__gte=OuterRef("due_date"), first_day__lte=OuterRef("due_date")
    ).order_by("last_day")
    reports = ProgressUpdate.objects.filter(milestone=OuterRef("pk")).order_by().values("milestone")
    counted = ~Q(status="cancelled")
    rows = (
        Milestone.objects.order_by()
        .annotate(
            quarter=Coalesce(Subquery(quarter.values("code")[:1]), Value(0), output_field=IntegerField()),
            last=Subquery(reports.annotate(last=Max("created_at")).values("last")),
            awaiting=Coalesce(
                Subquery(reports.filter(review_state="submitted").annotate(n=Count("pk")).values("n")), Value(0)
            ),
        )
        .values("goal_id", "agency_id", "quarter")
        .annotate(
            milestone_count=Count("pk"),
            counted_count=Count("pk", filter=counted),
            weight_sum=Coalesce(Sum("weight", filter=counted), 0),
            weighted_sum=Coalesce(Sum(F("progress") * F("weight"), filter=counted), 0),
            **{f"{status}_count": Count("pk", filter=Q(status=status)) for status in STATUSES},
            awaiting_count=Sum("awaiting"),
            last_report_at=Max("last"),
        )
    )
    return {(row.pop("goal_id"), row.pop("agency_id"), row.pop("quarter")): row for row in rows}


def stored_rows():
    from .models import ProgressSummary

    return {
        (row.pop("goal_id"), row.pop("agency_id"), row.pop("due_quarter")): row
        for row in ProgressSummary.objects.values("goal_id", "agency_id", "due_quarter", *FIGURES)
    }


def differences():
    """[(cell, stored figures or None, fresh figures or None)] where the summary has drifted."""
    stored, fresh = stored_rows(), fresh_rows()
    return [
        (key, stored.get(key), fresh.get(key))
        for key in sorted(stored.keys() | fresh.keys())
        if stored.get(key) != fresh.get(key)
    ]


def _when_sum(condition, then):
    return f"SUM({_when(condition, then)})"


def fill_from_scratch(connection=default_connection):
    """Empty the summary and fill it with one INSERT … SELECT over milestones and reports (plain SQL,
    so the migration can run it too). Returns the number of rows."""
    counted = "m.status <> 'cancelled'"
    columns = ", ".join(FIGURES)
    figures = ", ".join(
        [
            "COUNT(*)",
            _when_sum(counted, 1),
            _when_sum(counted, "m.weight"),
            _when_sum(counted, "m.weight * m.progress"),
            *(_when_sum(f"m.status = '{status}'", 1) for status in STATUSES),
            "COALESCE(SUM(r.awaiting), 0)",
            "MAX(r.last)",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(
            f"INSERT INTO {SUMMARY} (goal_id, agency_id, due_quarter, {columns}) "
            f"SELECT m.goal_id, m.agency_id, m.due_quarter, {figures} "
            f"FROM (SELECT id, goal_id, agency_id, status, weight, progress, {quarter_of('due_date')} AS due_quarter "
            f"FROM {MILESTONE}) m "
            f"LEFT JOIN (SELECT milestone_id, {_when_sum("review_state = 'submitted'", 1)} AS awaiting, "
            f"MAX(created_at) AS last FROM {UPDATE} GROUP BY milestone_id) r ON r.milestone_id = m.id "
            "GROUP BY m.goal_id, m.agency_id, m.due_quarter"
        )
        return cursor.rowcount


def rebuild():
    """Recompute every summary row from scratch; returns the number of rows."""
    with transaction.atomic():
        return fill_from_scratch()
