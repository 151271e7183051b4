"""Officer reporting: the agency page, the report form, the milestone page, the review queue, downloads.

Who may do what is decided in agencies/rules.py; these views only ask (has_perm, visible_to).
Another agency's object is a 404, a read-only role's write a 403.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies.models import Agency
from agencies.rules import own_agency_id
from persian.jalali import format_date
from persian.templatetags.persian import digits
from plans.forms import ProgressReportForm
from plans.models import Evidence, Goal, Milestone, ProgressUpdate, StrategicPlan
from plans.services import SELF_REVIEW, StaleEdit, report_progress, review_progress_update

from .forms import AgencyPageFilter, ReviewForm, ReviewQueueFilter

REPORT_SAVED = _("Your report was saved and is awaiting review.")
STALE_EDIT = _(
    "Someone else changed this milestone after you opened the form, so your report was not saved "
    "and nothing was overwritten. Check what changed and submit again if your report still holds."
)
ACCEPTED = _("The report was accepted.")
RETURNED = _("The report was returned to the agency.")
# Rows on one page of an agency's milestones: an agency may hold hundreds in a plan; 25 keep the page
# near 60 ms at national scale (docs/progress.md, "The officer's agency page").
AGENCY_PAGE_SIZE = 25
# Fields of a milestone's history not worth showing as a change.
HISTORY_HIDDEN_FIELDS = {"version"}


def _agency_for_page(request):
    """The agency whose page is asked for: ?agency=<code>, or the officer's own; None lets a reader pick."""
    code = request.GET.get("agency", "").strip()
    if code:
        agency = get_object_or_404(Agency, code=code)
    elif own_agency_id(request.user) is not None:
        agency = Agency.objects.get(pk=own_agency_id(request.user))
    else:
        if not request.user.has_perm("reporting.view_agency_page"):
            raise PermissionDenied
        return None
    if not request.user.has_perm("reporting.view_agency_page", agency):
        raise Http404
    return agency


def _decorate(milestone, user, today):
    """What a row shows beyond the queryset's annotations."""
    milestone.days_left = (milestone.due_date - today).days
    milestone.days_overdue = -milestone.days_left
    milestone.can_report = user.has_perm("plans.report_milestone", milestone)
    return milestone


def _row(milestone_pk, user):
    today = timezone.localdate()
    return _decorate(Milestone.objects.filter(pk=milestone_pk).for_agency_page(today).get(), user, today)


@login_required
@require_safe
def my_agency(request):
    """An agency's milestones in the active plan, grouped by goal, the most urgent first."""
    agency = _agency_for_page(request)
    plan = StrategicPlan.objects.active().first()
    context = {"agency": agency, "plan": plan, "groups": [], "returned": [], "agencies": []}
    if agency is None:
        context["agencies"] = Agency.objects.active().only("code", "name")
        return render(request, "reporting/my_agency.html", context)
    if plan is None:
        return render(request, "reporting/my_agency.html", context)

    today = timezone.localdate()
    goals = Goal.objects.filter(plan=plan, milestones__agency=agency).distinct().order_by("number")
    filter_form = AgencyPageFilter(request.GET or None, goals=goals)
    chosen = Milestone.objects.for_agency(agency).in_plan(plan)
    wanted = None
    if filter_form.is_valid():
        if filter_form.cleaned_data["status"]:
            chosen = chosen.filter(status=filter_form.cleaned_data["status"])
        if filter_form.cleaned_data["goal"]:
            chosen = chosen.filter(goal_id=filter_form.cleaned_data["goal"])
        wanted = filter_form.cleaned_data["milestone"]
    milestones = chosen.for_agency_page(today)
    page = Paginator(milestones, AGENCY_PAGE_SIZE).get_page(
        _page_holding(milestones, wanted) or request.GET.get("page")
    )
    groups = {}
    for milestone in page:
        groups.setdefault(milestone.goal, []).append(_decorate(milestone, request.user, today))
    counts = chosen.urgency_counts(today)
    context.update(
        {
            "filter_form": filter_form,
            "page": page,
            "pagination_query": _filters_query(request),
            "groups": list(groups.items()),
            "returned": _returned(page, milestones),
            "overdue_count": counts["overdue"],
            "due_soon_count": counts["due_soon"],
        }
    )
    return render(request, "reporting/my_agency.html", context)


def _returned(page, milestones):
    """The milestones whose latest report was returned, for the first page's alert. They lead the
    order, so they are the page's first rows; only when they fill the page are the rest looked up."""
    if page.number != 1:
        return []
    returned = [row for row in page if row.attention == 0]
    if len(returned) == len(page) and page.has_next():
        returned = list(milestones.filter(attention=0))
    return returned


def _page_holding(milestones, pk):
    """The page number of the agency page that lists milestone `pk`, or None if it is not listed."""
    if pk is None:
        return None
    order = list(milestones.values_list("pk", flat=True))
    return order.index(pk) // AGENCY_PAGE_SIZE + 1 if pk in order else None


def _filters_query(request):
    """The page's filters as a query string ending in "&", for the page links."""
    kept = request.GET.copy()
    for name in ("page", "milestone"):
        kept.pop(name, None)
    return f"{kept.urlencode()}&" if kept else ""


def _visible_milestone(request, pk):
    return get_object_or_404(Milestone.objects.visible_to(request.user).select_related("goal__plan", "agency"), pk=pk)


@login_required
@require_safe
def milestone_page(request, pk):
    """One milestone: its reports and reviews, evidence, and every change to its fields."""
    milestone = _visible_milestone(request, pk)
    updates = (
        milestone.updates.select_related("author", "reviewed_by").prefetch_related("evidence").order_by("-created_at")
    )
    return render(
        request,
        "reporting/milestone.html",
        {
            "milestone": milestone,
            "updates": updates,
            "changes": _field_changes(milestone),
            "can_report": request.user.has_perm("plans.report_milestone", milestone),
        },
    )


def _field_changes(milestone):
    """The milestone's history, newest first: who changed which field from what to what."""
    records = list(milestone.history.select_related("history_user").order_by("history_date", "history_id"))
    entries, previous = [], None
    for record in records:
        if previous is None:
            changes = []
        else:
            # record.diff_against(record.prev_record), with the previous record taken from the list
            # already read rather than one query per record.
            delta = record.diff_against(previous, excluded_fields=HISTORY_HIDDEN_FIELDS)
            changes = [
                (
                    Milestone._meta.get_field(change.field).verbose_name,
                    _display(milestone, change.field, change.old),
                    _display(milestone, change.field, change.new),
                )
                for change in delta.changes
            ]
        entries.append({"record": record, "created": previous is None, "changes": changes})
        previous = record
    return [entry for entry in reversed(entries) if entry["created"] or entry["changes"]]


def _display(milestone, name, value):
    field = Milestone._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if field.is_relation:
        # A moved milestone (the director-general's edit) is rare: one look-up per such change.
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return digits(value) if isinstance(value, int) else value


def _stale_changes(exc):
    by_label = {str(field.verbose_name): field.name for field in Milestone._meta.fields}
    return [
        (label, _display(exc.current, by_label[str(label)], old), _display(exc.current, by_label[str(label)], now))
        for label, old, now in exc.changes
    ]


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """Report progress on a milestone: a plain page, or (with htmx) a form inside the agency page's row."""
    milestone = _visible_milestone(request, pk)
    if not request.user.has_perm("plans.report_milestone", milestone):
        raise PermissionDenied
    in_row = bool(request.htmx) and request.htmx.target == f"milestone-{milestone.pk}"
    stale = None
    if request.method == "POST":
        form = ProgressReportForm(
            request.POST,
            request.FILES,
            milestone=milestone,
            user=request.user,
            upload_names=getattr(request, "upload_names_as_sent", ()),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                report_progress(
                    milestone=milestone,
                    author=request.user,
                    status=data["status"],
                    progress=data["progress"],
                    note=data["note"],
                    expected_version=data["version"],
                    files=data["files"],
                    links=form.evidence_links(),
                )
            except StaleEdit as exc:
                stale = {"changes": _stale_changes(exc), "by": exc.current.history.first()}
                fresh = request.POST.copy()
                fresh["version"] = exc.current.version
                milestone = exc.current
                form = ProgressReportForm(
                    fresh,
                    request.FILES,
                    milestone=milestone,
                    user=request.user,
                    upload_names=getattr(request, "upload_names_as_sent", ()),
                )
                form.is_valid()
                form.add_error(None, ValidationError(STALE_EDIT, code="stale"))
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if in_row:
                    row = _row(milestone.pk, request.user)
                    return render(request, "reporting/my_agency.html#row", {"milestone": row, "just_reported": True})
                messages.success(request, REPORT_SAVED)
                return redirect("reporting:milestone", pk=milestone.pk)
    else:
        form = ProgressReportForm(milestone=milestone, user=request.user)
    context = {"milestone": milestone, "report_form": form, "stale": stale, "agency": milestone.agency}
    if in_row:
        context["milestone"] = _row(milestone.pk, request.user)
        return render(request, "reporting/my_agency.html#row", context)
    return render(request, "reporting/report.html", context)


@login_required
@require_safe
def review_queue(request):
    """Reports awaiting review, oldest first; filter by agency and goal."""
    if not request.user.has_perm("reporting.view_review_queue"):
        raise PermissionDenied
    plan = StrategicPlan.objects.active().first()
    filter_form = ReviewQueueFilter(request.GET or None, plan=plan)
    updates = ProgressUpdate.objects.visible_to(request.user).for_review_queue()
    if filter_form.is_valid():
        if filter_form.cleaned_data["agency"]:
            updates = updates.filter(milestone__agency=filter_form.cleaned_data["agency"])
        if filter_form.cleaned_data["goal"]:
            updates = updates.filter(milestone__goal=filter_form.cleaned_data["goal"])
    return render(
        request,
        "reporting/review_queue.html",
        {"updates": updates, "filter_form": filter_form, "review_form": ReviewForm()},
    )


@login_required
@require_POST
def review(request, pk):
    """Accept or return one report (htmx replaces its card; without JavaScript, back to the queue)."""
    update = get_object_or_404(
        ProgressUpdate.objects.visible_to(request.user)
        .with_previous_progress()
        .select_related("milestone__goal", "milestone__agency"),
        pk=pk,
    )
    if not request.user.has_perm("reporting.view_review_queue"):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    error = None
    if not request.user.has_perm("plans.review_progressupdate", update):
        error = str(SELF_REVIEW)
    elif form.is_valid():
        try:
            review_progress_update(
                update=update,
                reviewer=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = next(iter(form.errors.values()))[0]
    if request.htmx:
        return render(
            request,
            "reporting/review_queue.html#item",
            {"update": update, "review_form": form, "error": error, "decided": error is None},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, ACCEPTED if update.review_state == ProgressUpdate.ReviewState.ACCEPTED else RETURNED)
    return redirect(reverse("reporting:review_queue") + _keep_filters(request))


def _keep_filters(request):
    query = request.POST.get("next_query", "")
    return f"?{query}" if query and not query.startswith(("/", "?")) and "//" not in query else ""


@login_required
@require_safe
def evidence(request, pk):
    """Download an evidence file, only for those who may read its milestone."""
    item = get_object_or_404(Evidence.objects.select_related("update__milestone").exclude(file=""), pk=pk)
    if not request.user.has_perm("plans.view_milestone", item.update.milestone):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name or "evidence",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
