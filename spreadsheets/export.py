"""The progress workbook of a plan: which sheets, which columns, which figures.

Every figure comes from the progress summary, through the querysets the progress pages use
(Goal.objects.summary_dashboard, agency_figures().with_summary_counts, plan_figures and
ProgressSummary.objects.heatmap_cells), with the same filters, so the workbook shows exactly the
pages' numbers, rounded the same way (docs/progress.md). The rows of the long milestones sheet come
from a queryset iterator (for_export), so nothing holds the whole plan in memory. A fixed number of
queries, whatever the size of the plan.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Agency, County
from agencies.rules import agency_filter
from fileformats.writer import Sheet, write_csv, write_xlsx
from persian.jalali import Quarter, persian_is_active, to_persian_digits
from plans.models import (
    Goal,
    Milestone,
    ProgressSummary,
    Status,
    add_overdue_now,
    agency_figures,
    milestone_scope,
    plan_figures,
    summary_scope,
)

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ExportFilters:
    """The dashboard's filters (plans.models.milestone_scope decides what they mean), plus one agency."""

    agency: Agency | None = None
    county: County | None = None
    category: str = ""
    quarter: Quarter | None = None

    def as_dict(self):
        """The filters as the summary querysets take them (plans.models.summary_scope)."""
        return {"county": self.county, "category": self.category, "quarter": self.quarter, "agency": self.agency}

    def scope(self, prefix="", user=None):
        """A Q on milestones (through `prefix`): the filters, and only what `user` may open if given."""
        q = milestone_scope(prefix, **self.as_dict())
        if user is not None:
            q &= agency_filter(user, prefix)  # the rules decide, as Milestone.objects.visible_to does
        return q

    def apply(self, milestones, user=None):
        return milestones.filter(self.scope(user=user))


def scoped_milestones(plan, *, filters=None, user=None):
    """The plan's milestones after the filters, and only those the user may open (if a user is given)."""
    return (filters or ExportFilters()).apply(Milestone.objects.in_plan(plan), user=user)


def _digits(number):
    """A number inside text, in the reader's digits (numeric cells stay numbers)."""
    return to_persian_digits(number) if persian_is_active() else str(number)


def progress_sheets(plan, *, filters=None, user=None, today=None, progress=None):
    """The five sheets of the progress workbook: summary, goals, agencies, milestones, heatmap."""
    today = today or timezone.localdate()
    filters = filters or ExportFilters()
    # Figures are plan-wide for everyone, as on the pages (docs/progress.md, "Who sees what"): the
    # summary, goals, agencies and heatmap weigh every milestone the filters keep. Only the
    # milestone rows are narrowed to what `user` may open.
    kept = filters.as_dict()
    milestones = scoped_milestones(plan, filters=filters, user=user)
    goals = add_overdue_now(
        Goal.objects.summary_dashboard(plan, kept, today).select_related("owner"), plan, kept, today
    )
    overall, _counts = plan_figures(goals)
    agencies = add_overdue_now(
        agency_figures().with_summary_counts(plan, kept, today).select_related("county").order_by("name"),
        plan,
        kept,
        today,
        by="agency",
    )
    rows = ProgressSummary.objects.filter(goal__plan=plan).filter(summary_scope(**kept))
    cells = {(cell["goal_id"], cell["agency_id"]): cell for cell in rows.heatmap_cells()}
    return [
        _summary_sheet(plan, goals, overall, filters),
        _goals_sheet(goals),
        _agencies_sheet(agencies),
        milestones_sheet(milestones, plan, progress=progress),
        _heatmap_sheet(goals, agencies, cells),
    ]


def filter_labels(filters):
    """The filters that made a workbook, as the dashboard names them ("" when none)."""
    labels = []
    if filters.agency is not None:
        labels.append(filters.agency.name)
    if filters.county is not None:
        labels.append(str(filters.county))
    if filters.category:
        labels.append(str(dict(Agency.Category.choices).get(filters.category, filters.category)))
    if filters.quarter is not None:
        labels.append(str(filters.quarter.label))
    return " · ".join(labels)


def plan_label(plan):
    """The plan's title, with its year only when the title does not already say it."""
    year = str(plan.year)
    if year in plan.title or to_persian_digits(year) in plan.title:
        return plan.title
    return f"{plan.title} ({_digits(plan.year)})"


def _summary_sheet(plan, goals, overall, filters):
    """The whole plan's row, then a row per goal. "Milestones" counts the milestones that count
    (not cancelled, as the dashboard's goal table); "Cancelled" says how many were left out, so
    Milestones + Cancelled is the dashboard's «همه»."""
    # Every milestone belongs to one goal: the goals' counts add up to the plan's (no extra query).
    keys = ("milestone_count", "done_count", "overdue_count", "cancelled_count")
    counted, done, overdue, cancelled = (sum(getattr(goal, key) for goal in goals) for key in keys)
    totals = [counted, done, overdue]
    title = _("Whole plan: %(title)s") % {"title": plan_label(plan)}
    labels = filter_labels(filters)
    if labels:
        title += " — " + _("filtered: %(filters)s") % {"filters": labels}
    rows = [[None, title, *totals, overall, cancelled]]
    rows.extend(
        [
            goal.number,
            goal.title,
            goal.milestone_count,
            goal.done_count,
            goal.overdue_count,
            goal.progress,
            goal.cancelled_count,
        ]
        for goal in goals
    )
    return Sheet(
        title=_("Summary"),
        headers=[
            _("Goal number"),
            _("Goal"),
            _("Milestones"),
            _("Done"),
            _("Overdue"),
            _("Progress"),
            _("Cancelled (not counted)"),
        ],
        rows=rows,
        column_widths=[10, 60, 12, 10, 10, 12, 14],
        percent_columns=[5],
    )


def _goals_sheet(goals):
    rows = [
        [
            goal.number,
            goal.title,
            goal.owner.name if goal.owner else "",
            goal.weight,
            goal.milestone_count,
            goal.progress,
            goal.description,
        ]
        for goal in goals
    ]
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


def _agencies_sheet(agencies):
    categories = {value: str(label) for value, label in Agency.Category.choices}
    rows = [
        [
            agency.name,
            agency.code,
            agency.county.name,
            categories.get(agency.category, agency.category),
            agency.milestone_count,
            agency.done_count,
            agency.delayed_count,
            agency.overdue_count,
            agency.progress,
        ]
        for agency in agencies
    ]
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


def _counted(rows, progress, every=CHUNK_SIZE):
    """The rows as they are, telling `progress` how many went by every `every` rows (a background download)."""
    for done, row in enumerate(rows, 1):
        yield row
        if done % every == 0:
            progress(done)


def milestones_sheet(milestones, plan, progress=None):
    """One row per milestone, streamed from the database; `progress(rows written)` is told as they go."""
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
    if progress is not None:
        rows = _counted(rows, progress)
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
            if cell is None:
                row.append(None)  # no milestone of the agency under the goal: blank, as on the page
            elif cell["progress"] is None:
                row.append("—")  # only cancelled milestones: "—", as on the page
            else:
                row.append(cell["progress"])
        rows.append(row)
    return Sheet(
        title=_("Heatmap"),
        headers=[_("Goal"), *(agency.name for agency in agencies)],
        rows=rows,
        column_widths=[48, *([14] * len(agencies))],
        percent_columns=list(range(1, len(agencies) + 1)),
        color_scale=True,
        landscape=True,
        title_columns=1,  # the goal labels on every printed page
    )


def write_progress(plan, output, *, fmt="xlsx", filters=None, user=None, progress=None):
    """The whole workbook as xlsx, or the milestones sheet as CSV; `progress` hears of the milestone rows written."""
    if fmt == "csv":
        write_csv(milestones_sheet(scoped_milestones(plan, filters=filters, user=user), plan, progress), output)
    else:
        write_xlsx(
            progress_sheets(plan, filters=filters, user=user, progress=progress), output, rtl=persian_is_active()
        )


def export_filename(plan, fmt, filters=None):
    parts = ["progress", str(plan.year), f"plan{plan.pk}"]
    if filters is not None and filters.agency is not None:
        parts.append(filters.agency.code)
    if filters is not None and filters.quarter is not None:
        parts.append(filters.quarter.code)
    return "-".join(parts) + f".{fmt}"
