"""The progress workbook of a plan: which sheets, which columns, which figures.

Figures come from the database (Milestone.objects.export_totals, for_export); the rows of the
long milestones sheet come from a queryset iterator, so nothing holds the whole plan in memory.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Agency, County
from persian.jalali import Quarter, persian_is_active, to_persian_digits
from plans.models import Goal, Milestone, Status, milestone_scope

from .writer import Sheet, write_csv, write_xlsx

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ExportFilters:
    """The dashboard's filters (plans.models.milestone_scope decides what they mean), plus one agency."""

    agency: Agency | None = None
    county: County | None = None
    category: str = ""
    quarter: Quarter | None = None

    def apply(self, milestones):
        if self.agency is not None:
            milestones = milestones.filter(agency=self.agency)
        return milestones.filter(milestone_scope(county=self.county, category=self.category, quarter=self.quarter))


def scoped_milestones(plan, *, filters=None, user=None):
    """The plan's milestones after the filters, and only those the user may open (if a user is given)."""
    milestones = Milestone.objects.in_plan(plan)
    if user is not None:
        milestones = milestones.visible_to(user)
    return (filters or ExportFilters()).apply(milestones)


def _digits(number):
    """A number inside text, in the reader's digits (numeric cells stay numbers)."""
    return to_persian_digits(number) if persian_is_active() else str(number)


def percent(weighted_sum, weight_sum):
    return round(weighted_sum / weight_sum, 1) if weight_sum else 0


def progress_sheets(plan, *, filters=None, user=None, today=None):
    """The five sheets of the progress workbook: summary, goals, agencies, milestones, heatmap."""
    today = today or timezone.localdate()
    milestones = scoped_milestones(plan, filters=filters, user=user)
    goals = list(Goal.objects.filter(plan=plan).select_related("owner").order_by("number"))
    # One aggregate query (goal × agency); the per-goal and per-agency figures are its sums.
    cells = {
        (row["goal_id"], row["agency_id"]): row for row in milestones.export_totals("goal_id", "agency_id", today=today)
    }
    by_goal, by_agency = _sum_by(cells, 0), _sum_by(cells, 1)
    agencies = list(Agency.objects.filter(pk__in=by_agency).select_related("county").order_by("name"))
    return [
        _summary_sheet(plan, goals, by_goal),
        _goals_sheet(goals, by_goal),
        _agencies_sheet(agencies, by_agency),
        milestones_sheet(milestones, plan),
        _heatmap_sheet(goals, agencies, cells),
    ]


TOTALS = ("milestone_count", "done_count", "delayed_count", "overdue_count", "weighted_sum", "weight_sum")


def _sum_by(cells, position):
    sums = {}
    for key, row in cells.items():
        total = sums.setdefault(key[position], dict.fromkeys(TOTALS, 0))
        for name in TOTALS:
            total[name] += row[name]
    return sums


def _summary_sheet(plan, goals, by_goal):
    empty = {"milestone_count": 0, "done_count": 0, "overdue_count": 0, "weighted_sum": 0, "weight_sum": 0}
    rows = []
    total_weight = sum(goal.weight for goal in goals if by_goal.get(goal.pk, empty)["weight_sum"])
    overall = (
        sum(
            goal.weight * percent(by_goal[goal.pk]["weighted_sum"], by_goal[goal.pk]["weight_sum"])
            for goal in goals
            if by_goal.get(goal.pk, empty)["weight_sum"]
        )
        / total_weight
        if total_weight
        else 0
    )
    totals = [sum(row[key] for row in by_goal.values()) for key in ("milestone_count", "done_count", "overdue_count")]
    rows.append(
        [
            None,
            _("Whole plan: %(title)s (%(year)s)") % {"title": plan.title, "year": _digits(plan.year)},
            *totals,
            round(overall, 1),
        ]
    )
    for goal in goals:
        row = by_goal.get(goal.pk, empty)
        rows.append(
            [
                goal.number,
                goal.title,
                row["milestone_count"],
                row["done_count"],
                row["overdue_count"],
                percent(row["weighted_sum"], row["weight_sum"]),
            ]
        )
    return Sheet(
        title=_("Summary"),
        headers=[_("Goal number"), _("Goal"), _("Milestones"), _("Done"), _("Overdue"), _("Progress")],
        rows=rows,
        column_widths=[10, 60, 12, 10, 10, 12],
        percent_columns=[5],
    )


def _goals_sheet(goals, by_goal):
    rows = []
    for goal in goals:
        row = by_goal.get(goal.pk, {})
        rows.append(
            [
                goal.number,
                goal.title,
                goal.owner.name if goal.owner else "",
                goal.weight,
                row.get("milestone_count", 0),
                percent(row.get("weighted_sum", 0), row.get("weight_sum", 0)),
                goal.description,
            ]
        )
    return Sheet(
        title=_("Goals"),
        headers=[
            _("Goal number"),
            _("Goal"),
            _("Lead agency"),
            _("Weight"),
            _("Milestones"),
            _("Progress"),
            _("Description"),
        ],
        rows=rows,
        column_widths=[10, 60, 28, 8, 12, 12, 60],
        percent_columns=[5],
    )


def _agencies_sheet(agencies, by_agency):
    categories = {value: str(label) for value, label in Agency.Category.choices}
    rows = []
    for agency in agencies:
        row = by_agency[agency.pk]
        rows.append(
            [
                agency.name,
                agency.code,
                agency.county.name,
                categories.get(agency.category, agency.category),
                row["milestone_count"],
                row["done_count"],
                row["delayed_count"],
                row["overdue_count"],
                percent(row["weighted_sum"], row["weight_sum"]),
            ]
        )
    return Sheet(
        title=_("Agencies"),
        headers=[
            _("Agency"),
            _("Code"),
            _("County"),
            _("Category"),
            _("Milestones"),
            _("Done"),
            _("Delayed"),
            _("Overdue"),
            _("Progress"),
        ],
        rows=rows,
        column_widths=[32, 16, 16, 28, 12, 10, 10, 10, 12],
        percent_columns=[8],
    )


MILESTONE_HEADERS = (
    (gettext_noop("Goal number"), 10),
    (gettext_noop("Goal"), 40),
    (gettext_noop("Agency"), 28),
    (gettext_noop("Milestone"), 48),
    (gettext_noop("Target"), 28),
    (gettext_noop("Status"), 16),
    (gettext_noop("Progress"), 10),
    (gettext_noop("Start date"), 13),
    (gettext_noop("Due date"), 13),
    (gettext_noop("Last report"), 13),
    (gettext_noop("Last note"), 60),
)


def milestones_sheet(milestones, plan):
    """One row per milestone, streamed from the database."""
    statuses = {value: str(label) for value, label in Status.choices}
    # Plain tuples, not model instances: a third of the time at 100k rows went into building models.
    values = milestones.for_export(plan).values_list(
        "goal__number",
        "goal__title",
        "agency__name",
        "title",
        "target",
        "status",
        "progress",
        "start_date",
        "due_date",
        "export_last_reported_at",
        "export_last_note",
    )
    rows = ((*row[:5], statuses.get(row[5], row[5]), *row[6:]) for row in values.iterator(chunk_size=CHUNK_SIZE))
    return Sheet(
        title=_("Milestones"),
        headers=[_(name) for name, _width in MILESTONE_HEADERS],
        rows=rows,
        column_widths=[width for _name, width in MILESTONE_HEADERS],
        percent_columns=[6],
        date_columns=[7, 8, 9],
    )


def _heatmap_sheet(goals, agencies, cells):
    rows = []
    for goal in goals:
        row = [f"{_digits(goal.number)}. {goal.title}"]
        for agency in agencies:
            cell = cells.get((goal.pk, agency.pk))
            row.append(percent(cell["weighted_sum"], cell["weight_sum"]) if cell and cell["weight_sum"] else None)
        rows.append(row)
    return Sheet(
        title=_("Heatmap"),
        headers=[_("Goal"), *(agency.name for agency in agencies)],
        rows=rows,
        column_widths=[48, *([14] * len(agencies))],
        percent_columns=list(range(1, len(agencies) + 1)),
        color_scale=True,
    )


def write_progress(plan, output, *, fmt="xlsx", filters=None, user=None):
    """The whole workbook as xlsx, or the milestones sheet as CSV."""
    if fmt == "csv":
        write_csv(milestones_sheet(scoped_milestones(plan, filters=filters, user=user), plan), output)
    else:
        write_xlsx(progress_sheets(plan, filters=filters, user=user), output, rtl=persian_is_active())


def export_filename(plan, fmt, filters=None):
    parts = ["progress", str(plan.year), f"plan{plan.pk}"]
    if filters is not None and filters.agency is not None:
        parts.append(filters.agency.code)
    if filters is not None and filters.quarter is not None:
        parts.append(filters.quarter.code)
    return "-".join(parts) + f".{fmt}"
