"""The progress pages: plan dashboard, goal, agency, heatmap, overdue and the public page.

Every figure comes from a QuerySet method named for its screen (plans/models.py,
agency_figures() there too), computed in the database; the views only choose and arrange.
The weighting is documented in docs/progress.md.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, F
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import panels, trend
from .forms import GoalNumberForm, HeatmapOrderForm, OverdueForm, PlanChoiceForm, ProgressFilterForm
from .models import (
    Goal,
    Milestone,
    ProgressSummary,
    ProgressUpdate,
    StrategicPlan,
    add_overdue_now,
    agency_figures,
    plan_figures,
)

PAGE_SIZE = 50
TOP_AGENCIES = 5
LATEST_REPORTS = 10
NOT_REPORTING_DAYS = 30
WEIGHTING_HELP = _(
    "Overall progress is weighted twice. A goal's progress is the mean of its milestones' progress weighted by "
    "milestone weight; cancelled milestones are left out. The plan's progress is the mean of its goals' progress "
    "weighted by goal weight, over the goals that have at least one milestone. An agency's progress is the mean "
    "of its milestones' progress weighted by milestone weight."
)


def _plan_for(request, plan_id):
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    if not request.user.has_perm("plans.view_strategicplan", plan):
        raise PermissionDenied
    return plan


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
@require_safe
def home(request):
    """The plan dashboard: the active plan, or the one chosen with ?plan=<id>."""
    if not request.user.has_perm("plans.view_strategicplan"):
        raise PermissionDenied
    plans = list(StrategicPlan.objects.all())
    plan = PlanChoiceForm(request.GET).chosen(plans) or next(
        (p for p in plans if p.status == StrategicPlan.Status.ACTIVE), None
    )
    if plan is None:
        return render(request, "plans/dashboard.html", {"plan": None, "plans": plans})
    form = ProgressFilterForm(request.GET or None, plan=plan)
    filters = form.filters()
    milestones = Milestone.objects.in_plan(plan).filter(form.scope())
    # Every figure is read from the progress summary (docs/progress.md, "Figures kept ready").
    # Every agency with milestones, ranked in the database; the page shows both ends of the ranking.
    # (An agency whose only milestones are cancelled has no progress and is not ranked.)
    ranked = list(
        agency_figures().with_summary_progress(plan, filters).exclude(progress=None).order_by("-progress", "name")
    )
    # The plan's progress and counts add up from its goals' rows (every milestone is under one goal).
    goals = add_overdue_now(Goal.objects.summary_dashboard(plan, filters), plan, filters)
    overall, counts = plan_figures(goals)
    context = {
        "plan": plan,
        "plans": plans,
        "form": form,
        "weighting_help": WEIGHTING_HELP,
        "overall": overall,
        "counts": counts,
        "goals": goals,
        "top_agencies": ranked[:TOP_AGENCIES],
        "bottom_agencies": ranked[::-1][:TOP_AGENCIES],
        "agency_count": len(ranked),
        "trend": trend.trend(plan, milestones, filters, overall),
        "latest_reports": ProgressUpdate.objects.latest_for_dashboard(plan, request.user, LATEST_REPORTS),
        "panels": panels.collect("dashboard", request, plan=plan),
    }
    return render(request, "plans/dashboard.html", context)


@login_required
@require_safe
def goal_detail(request, plan_id, number):
    plan = _plan_for(request, plan_id)
    in_goal = Milestone.objects.filter(goal__plan=plan, goal__number=number)
    goal = get_object_or_404(
        Goal.objects.filter(plan=plan).with_summary_figures(overdue_now=in_goal).select_related("owner"), number=number
    )
    context = {
        "plan": plan,
        "goal": goal,
        "weighting_help": WEIGHTING_HELP,
        "agency_rows": ProgressSummary.objects.goal_agencies(goal),
        # Figures are plan-wide; the milestone rows are an agency's own (as on the agency page).
        "milestones": _page(request, Milestone.objects.visible_to(request.user).for_goal_page(goal)),
    }
    return render(request, "plans/goal_detail.html", context)


@login_required
@require_safe
def agency_detail(request, plan_id, code):
    """An agency's progress: plan-wide figures for every member; its milestones only to who may open them."""
    plan = _plan_for(request, plan_id)
    agency = get_object_or_404(
        agency_figures().with_summary_progress(plan).with_summary_last_report(plan).select_related("county"),
        code=code,
    )
    goal_number = GoalNumberForm(request.GET).number()
    milestones = (
        Milestone.objects.in_plan(plan)
        .for_agency(agency)
        .visible_to(request.user)
        .select_related("goal")
        .with_latest_update()
        .order_by("goal__number", "due_date", "pk")
    )
    if goal_number is not None:
        milestones = milestones.filter(goal__number=goal_number)
    last = agency.last_reported_at
    context = {
        "plan": plan,
        "agency": agency,
        "weighting_help": WEIGHTING_HELP,
        "days_since_report": (timezone.localdate() - timezone.localdate(last)).days if last else None,
        "average": agency_figures().with_summary_progress(plan).aggregate(average=Avg("progress"))["average"],
        "goals": Goal.objects.summary_agency_page(plan, agency),
        "may_open": request.user.has_perm("plans.view_milestone", agency),
        "goal_number": "" if goal_number is None else str(goal_number),
        "pagination_query": "" if goal_number is None else f"goal={goal_number}&",
        "milestones": _page(request, milestones),
        "panels": panels.collect("agency", request, plan=plan, agency=agency),
    }
    return render(request, "plans/agency_detail.html", context)


ROW_ORDER = {"number": ("number",), "progress": ("-progress", "number")}
COLUMN_ORDER = {"name": ("name",), "progress": (F("progress").desc(nulls_last=True), "name")}


@login_required
@require_safe
def heatmap(request, plan_id):
    """Goals × agencies; sortable rows (?rows=number|progress) and columns (?cols=name|progress)."""
    plan = _plan_for(request, plan_id)
    rows, cols = HeatmapOrderForm(request.GET).order()
    goals = list(Goal.objects.filter(plan=plan).with_summary_figures().order_by(*ROW_ORDER[rows]))
    agencies = list(agency_figures().with_summary_progress(plan).order_by(*COLUMN_ORDER[cols]))
    for agency in agencies:  # reversed once per column, not once per cell
        agency.page_url = reverse("plans:agency", args=[plan.pk, agency.code])
    cells = {
        (cell["goal_id"], cell["agency_id"]): cell for cell in ProgressSummary.objects.in_plan(plan).heatmap_cells()
    }
    grid = [(goal, [(agency, cells.get((goal.pk, agency.pk))) for agency in agencies]) for goal in goals]
    context = {
        "plan": plan,
        "agencies": agencies,
        "grid": grid,
        "rows": rows,
        "cols": cols,
        "weighting_help": WEIGHTING_HELP,
    }
    return render(request, "plans/heatmap.html", context)


@login_required
@require_safe
def overdue(request, plan_id):
    """Milestones past due and not done; agencies with no report in the last ?days=N days."""
    plan = _plan_for(request, plan_id)
    days = OverdueForm(request.GET).days_or(NOT_REPORTING_DAYS)
    since = timezone.now() - datetime.timedelta(days=days)
    context = {
        "plan": plan,
        "days": days,
        "pagination_query": f"days={days}&",
        "milestones": _page(request, Milestone.objects.visible_to(request.user).for_overdue_page(plan)),
        "silent_agencies": agency_figures()
        .summary_not_reporting(plan, since)
        .select_related("county")
        .order_by("name"),
    }
    return render(request, "plans/overdue.html", context)


@require_safe
def public_plan(request, plan_id):
    """The public progress page: no login, only when the plan is public and not a draft; no personal data."""
    plan = get_object_or_404(StrategicPlan.objects.public(), pk=plan_id)
    goals = add_overdue_now(Goal.objects.summary_dashboard(plan), plan)
    context = {"plan": plan, "weighting_help": WEIGHTING_HELP, "overall": plan_figures(goals)[0], "goals": goals}
    return render(request, "plans/public.html", context)
