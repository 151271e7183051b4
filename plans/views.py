"""The progress pages: plan dashboard, goal, agency, heatmap, overdue and the public page.

Every figure comes from a QuerySet method named for its screen (plans/models.py,
agency_figures() there too), computed in the database; the views only choose and arrange.
The weighting is documented in docs/progress.md.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from persian.jalali import format_date
from persian.templatetags.persian import digits

from . import panels, services, trend
from .forms import (
    AssignMilestoneForm,
    CancelMilestoneForm,
    CopyPlanForm,
    GoalForm,
    GoalNumberForm,
    HeatmapOrderForm,
    MilestoneEditForm,
    OverdueForm,
    PlanChoiceForm,
    PlanForm,
    ProgressFilterForm,
    ReorderForm,
    VersionForm,
)
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
    counts["returned"] = milestones.returned_count()
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
    context = {
        "plan": plan,
        "weighting_help": WEIGHTING_HELP,
        "overall": plan_figures(goals)[0],
        "goals": goals,
        "last_updated": ProgressSummary.objects.filter(goal__plan=plan).last_report_at(),
        # Feature apps' panels (the quarterly bulletins): shown to anonymous visitors, so nothing personal.
        "panels": panels.collect("public", request, plan=plan),
    }
    return render(request, "plans/public.html", context)


# --- the plan editor (issue 11): the director-general and the secretariat set up and change the plan ---
# Every write goes through plans.services (locked, versioned); who may edit is plans/rules.py's
# (plans.add_/change_*, plans.cancel_milestone). A reader of the plan who may not edit gets 403;
# an officer asking for another agency's milestone gets 404. docs/plan-editor.md.

EDITOR_PAGE_SIZE = 50
PLAN_SAVED = _("The plan was saved.")
PLAN_CREATED = _("The plan was created as a draft.")
PLAN_PUBLISHED = _("The plan was published: it is now the active plan.")
PLAN_COPIED = _("The plan was copied to %(year)s as a draft.")
GOAL_SAVED = _("The goal was saved.")
GOAL_CREATED = _("The goal was added.")
MILESTONE_SAVED = _("The milestone was saved.")
MILESTONE_CANCELLED = _("The milestone was cancelled.")
ASSIGNED = _("Milestones created: %(count)s.")
ASSIGN_SKIPPED = _("Already had this milestone under the goal, so skipped: %(names)s.")
EDITOR_STALE = _(
    "Someone else changed this after you opened the form, so your changes were not saved and nothing was "
    "overwritten. The form now shows the current values; make your change again if it still holds."
)


def _require(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _editable_plan(request, plan_id, permission="plans.change_strategicplan"):
    plan = _plan_for(request, plan_id)
    _require(request, permission, plan)
    return plan


def _editable_milestone(request, plan, pk):
    # Another agency's milestone is a 404 for an officer, as everywhere; then the rules decide.
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related("goal", "agency"), pk=pk, goal__plan=plan
    )
    _require(request, "plans.change_milestone", milestone)
    return milestone


def _shown(model, name, value):
    """A value of a changed field as the page shows it (Jalali dates, Persian digits, names)."""
    field = model._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return digits(value) if isinstance(value, int) else value


def _stale_context(exc):
    model = type(exc.current)
    by_label = {str(field.verbose_name): field.name for field in model._meta.fields}
    changes = [
        (label, _shown(model, by_label[str(label)], old), _shown(model, by_label[str(label)], now))
        for label, old, now in exc.changes
    ]
    return {
        "message": EDITOR_STALE,
        "changes": changes,
        "by": exc.current.history.select_related("history_user").first(),
    }


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_safe
def editor(request):
    """The plans the director-general can edit, newest first, and a button for a new one."""
    _require(request, "plans.change_strategicplan")
    plans = StrategicPlan.objects.annotate(goal_count=Count("goals")).order_by("-year", "title")
    return render(request, "plans/editor/plans.html", {"plans": plans})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    _require(request, "plans.add_strategicplan")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                by=request.user,
                title=data["title"],
                year=data["year"],
                description=data["description"],
                is_public=data["is_public"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, PLAN_CREATED)
            return redirect("plans:edit", plan_id=plan.pk)
    return render(request, "plans/editor/plan_form.html", {"form": form, "plan": None})


def _goals_context(plan):
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("owner")
        .annotate(milestone_count=Count("milestones"))
        .order_by("number")
    )
    return {"goals": goals, "goal_order": ",".join(str(goal.pk) for goal in goals)}


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_id):
    """The plan's editor page: its fields, its goals (reorder, edit, assign), copy and publish."""
    plan = _editable_plan(request, plan_id)
    form = PlanForm(request.POST or None, plan=plan)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_plan(
                plan=plan,
                by=request.user,
                expected_version=data["version"],
                **{name: data[name] for name in services.PLAN_FIELDS},
            )
        except services.StaleEdit as exc:
            stale = _stale_context(exc)
            plan = exc.current
            form = PlanForm(plan=plan)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, PLAN_SAVED)
            return redirect("plans:edit", plan_id=plan.pk)
    context = {"plan": plan, "form": form, "stale": stale, **_goals_context(plan)}
    return render(request, "plans/editor/plan_edit.html", context)


@login_required
@require_POST
def plan_publish(request, plan_id):
    plan = _editable_plan(request, plan_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, EDITOR_STALE)
        return redirect("plans:edit", plan_id=plan.pk)
    try:
        services.publish_plan(plan=plan, by=request.user, expected_version=form.cleaned_data["version"])
    except services.StaleEdit:
        messages.error(request, EDITOR_STALE)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, PLAN_PUBLISHED)
    return redirect("plans:edit", plan_id=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_copy(request, plan_id):
    """Copy the plan to the next Jalali year as a draft (goals; unfinished milestones if asked)."""
    plan = _editable_plan(request, plan_id, "plans.add_strategicplan")
    form = CopyPlanForm(request.POST or None, initial={"title": services.next_year_title(plan)})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_plan_to_next_year(
                plan=plan,
                by=request.user,
                carry_over=form.cleaned_data["carry_over"],
                title=form.cleaned_data["title"] or None,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, PLAN_COPIED % {"year": digits(copy.year)})
            return redirect("plans:edit", plan_id=copy.pk)
    return render(request, "plans/editor/plan_copy.html", {"plan": plan, "form": form})


@login_required
@require_POST
def goals_reorder(request, plan_id):
    """Move a goal up or down (htmx swaps the goals table; without JavaScript, back to the editor)."""
    plan = _editable_plan(request, plan_id)
    form = ReorderForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.reorder_goals(
                plan=plan, by=request.user, expected_order=form.cleaned_data["order"], new_order=form.new_order()
            )
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = str(services.ORDER_CHANGED)
    if request.htmx:
        return render(
            request, "plans/editor/plan_edit.html#goals", {"plan": plan, "error": error, **_goals_context(plan)}
        )
    if error:
        messages.error(request, error)
    return redirect("plans:edit", plan_id=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request, plan_id):
    plan = _editable_plan(request, plan_id, "plans.add_goal")
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal = services.create_goal(
                plan=plan,
                by=request.user,
                number=data["number"],
                title=data["title"],
                description=data["description"],
                weight=data["weight"],
                owner=data["owner"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, GOAL_CREATED)
            return redirect("plans:goal_edit", plan_id=plan.pk, goal_id=goal.pk)
    return render(request, "plans/editor/goal_form.html", {"plan": plan, "goal": None, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, plan_id, goal_id):
    """A goal's fields, and its milestones with their edit links."""
    plan = _plan_for(request, plan_id)
    goal = get_object_or_404(Goal.objects.select_related("owner"), pk=goal_id, plan=plan)
    _require(request, "plans.change_goal", goal)
    form = GoalForm(request.POST or None, goal=goal)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_goal(
                goal=goal,
                by=request.user,
                expected_version=data["version"],
                **{name: data[name] for name in services.GOAL_FIELDS},
            )
        except services.StaleEdit as exc:
            stale = _stale_context(exc)
            goal = exc.current
            form = GoalForm(goal=goal)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, GOAL_SAVED)
            return redirect("plans:goal_edit", plan_id=plan.pk, goal_id=goal.pk)
    milestones = Milestone.objects.filter(goal=goal).select_related("agency").order_by("agency__name", "due_date", "pk")
    page = Paginator(milestones, EDITOR_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"plan": plan, "goal": goal, "form": form, "stale": stale, "milestones": page}
    return render(request, "plans/editor/goal_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_assign(request, plan_id, goal_id):
    """One milestone for many agencies at once: by hand, by category, by county, or every active agency."""
    plan = _plan_for(request, plan_id)
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan)
    _require(request, "plans.add_milestone", goal)
    form = AssignMilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.assign_milestone(
                goal=goal, agencies=form.chosen_agencies(), by=request.user, **form.milestone_values()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, ASSIGNED % {"count": digits(len(result.created))})
            if result.skipped:
                names = "، ".join(agency.name for agency in result.skipped)
                messages.warning(request, ASSIGN_SKIPPED % {"names": names})
            return redirect("plans:goal_edit", plan_id=plan.pk, goal_id=goal.pk)
    return render(request, "plans/editor/assign.html", {"plan": plan, "goal": goal, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, plan_id, pk):
    """A milestone's title, dates, weight, agency…; a new due date, weight or agency needs a reason."""
    plan = _plan_for(request, plan_id)
    milestone = _editable_milestone(request, plan, pk)
    form = MilestoneEditForm(request.POST or None, milestone=milestone)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_milestone(
                milestone=milestone,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                **form.milestone_values(),
            )
        except services.StaleEdit as exc:
            stale = _stale_context(exc)
            milestone = exc.current
            form = MilestoneEditForm(milestone=milestone)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, MILESTONE_SAVED)
            return redirect(milestone.get_absolute_url())
    context = {"plan": plan, "milestone": milestone, "form": form, "stale": stale}
    return render(request, "plans/editor/milestone_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_cancel(request, plan_id, pk):
    plan = _plan_for(request, plan_id)
    milestone = _editable_milestone(request, plan, pk)
    _require(request, "plans.cancel_milestone", milestone)
    form = CancelMilestoneForm(request.POST or None, initial={"version": milestone.version})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_milestone(
                milestone=milestone,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except services.StaleEdit as exc:
            stale = _stale_context(exc)
            milestone = exc.current
            form = CancelMilestoneForm(initial={"version": milestone.version})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, MILESTONE_CANCELLED)
            return redirect(milestone.get_absolute_url())
    context = {"plan": plan, "milestone": milestone, "form": form, "stale": stale}
    return render(request, "plans/editor/milestone_cancel.html", context)
