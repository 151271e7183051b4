"""Progress spreadsheets on the web: the workbook download and the per-agency round trip.

Downloads are written to an anonymous temporary file (by the streaming writer in writer.py,
rows from a queryset iterator) and sent with FileResponse, which streams the file in chunks and
closes (so deletes) it afterwards: memory stays flat however big the plan is. An uploaded
sheet's preview waits in the session, capped by roundtrip.Preview.check_size.
"""

import secrets
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies.models import Agency
from agencies.rules import agency_id_of
from fileformats.models import FileJob
from fileformats.uploads import UploadRefused
from persian.jalali import Quarter
from plans.models import Status, StrategicPlan

from . import roundtrip
from .export import export_filename, scoped_milestones, write_progress
from .forms import ExportFilterForm, SheetQuarterForm, UploadForm
from .tasks import WORKBOOK, write_workbook

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SESSION_KEY = "spreadsheets.agency_sheet"


def _bad_request(request, errors):
    return render(request, "spreadsheets/bad_request.html", {"errors": errors}, status=400)


@login_required
@require_safe
def export_progress(request):
    """The progress workbook (or the milestones as CSV), narrowed by the dashboard's filters."""
    if not request.user.has_perm("spreadsheets.export_progress"):
        raise PermissionDenied
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, [error for errors in form.errors.values() for error in errors])
    plan = form.cleaned_data["plan"] or StrategicPlan.objects.active().first()
    if plan is None:
        return _bad_request(request, [_("There is no active strategic plan to export.")])
    fmt = form.cleaned_data["format"] or "xlsx"
    filters = form.filters()
    rows = scoped_milestones(plan, filters=filters, user=request.user).count()
    if rows > settings.PROGRESS_EXPORT_BACKGROUND_ROWS:
        return _export_in_background(request, form, plan, rows)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    try:
        write_progress(plan, handle, fmt=fmt, filters=filters, user=request.user)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(
        handle, as_attachment=True, filename=export_filename(plan, fmt, filters), content_type=CONTENT_TYPES[fmt]
    )


def _export_in_background(request, form, plan, rows):
    """A big workbook: the worker writes it; the job page shows the rows written, then offers the file."""
    query = {name: request.GET[name] for name in form.fields if request.GET.get(name)}
    query["plan"] = str(plan.pk)
    job = FileJob.objects.create(
        user=request.user,
        kind=FileJob.Kind.EXPORT,
        target=WORKBOOK,
        params={"query": query, "language": get_language()},
        rows_total=rows,
    )
    write_workbook.enqueue(job.pk)
    return redirect("spreadsheets:export_job", job.pk)


def _own_export_job(request, job_id):
    """The person's own download job; anyone else's is a 404 (and the right to download is asked again)."""
    if not request.user.has_perm("spreadsheets.export_progress"):
        raise PermissionDenied
    return get_object_or_404(FileJob, pk=job_id, user=request.user, target=WORKBOOK, kind=FileJob.Kind.EXPORT)


@login_required
@require_safe
def export_job(request, job_id):
    """A background download's page: rows written out of total (an htmx poll), then the file's link."""
    job = _own_export_job(request, job_id)
    done, total = job.progress()
    context = {"job": job, "done": done, "total": total, "percent": job.percent()}
    template = "spreadsheets/export_job.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@login_required
@require_safe
def export_job_download(request, job_id):
    job = _own_export_job(request, job_id)
    if job.state != FileJob.State.DONE or not job.file:
        raise Http404
    fmt = job.result.get("format", "xlsx")
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.original_name, content_type=CONTENT_TYPES[fmt]
    )


# --- the per-agency round trip -------------------------------------------------------------


def _agency_for(request):
    """The agency whose sheet this is: ?agency=<code> (director) or the officer's own."""
    code = request.GET.get("agency") or request.POST.get("agency")
    if code:
        agency = get_object_or_404(Agency, code=code)
        if not request.user.has_perm("spreadsheets.report_by_sheet", agency):
            raise Http404
        return agency
    agency = Agency.objects.filter(pk=agency_id_of(request.user)).first()
    if agency is None or not request.user.has_perm("spreadsheets.report_by_sheet", agency):
        raise PermissionDenied
    return agency


class BadQuarter(Exception):
    def __init__(self, errors):
        super().__init__("bad quarter")
        self.errors = errors


def _quarter(request):
    """?quarter= (or the form's quarter): the current quarter when empty; a bad code is refused, never replaced."""
    form = SheetQuarterForm({"quarter": request.GET.get("quarter") or request.POST.get("quarter", "")})
    if not form.is_valid():
        raise BadQuarter(form.errors["quarter"])
    return form.cleaned_data["quarter"] or Quarter.containing(timezone.localdate())


def _plan_or_none():
    return StrategicPlan.objects.active().first()


@login_required
@require_http_methods(["GET", "POST"])
def agency_sheet(request):
    """Download the pre-filled sheet for a quarter, or upload the filled one (then preview)."""
    agency = _agency_for(request)
    plan = _plan_or_none()
    try:
        quarter = _quarter(request)
    except BadQuarter as exc:
        return _bad_request(request, exc.errors)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and plan is not None and form.is_valid():
        try:
            preview = roundtrip.read_upload(form.cleaned_data["file"], agency=agency, user=request.user)
        except UploadRefused as exc:
            form.add_error("file", exc)
        else:
            request.session[SESSION_KEY] = {
                "token": secrets.token_urlsafe(16),
                "agency_id": agency.pk,
                "quarter": quarter.code,
                "errors": preview.errors,
                "has_errors": preview.has_errors,
                **preview.as_session(),
            }
            return redirect(_with_agency(reverse("spreadsheets:agency_sheet_preview"), request, agency))
    quarters = [quarter.previous(), quarter, quarter.next()]
    context = {
        "agency": agency,
        "plan": plan,
        "quarter": quarter,
        "quarters": quarters,
        "form": form,
        "foreign_agency": agency.pk != agency_id_of(request.user),
    }
    return render(request, "spreadsheets/agency_sheet.html", context)


def _with_agency(url, request, agency):
    if agency.pk != agency_id_of(request.user):
        return f"{url}?agency={agency.code}"
    return url


@login_required
@require_safe
def agency_sheet_download(request):
    agency = _agency_for(request)
    plan = _plan_or_none()
    if plan is None:
        return _bad_request(request, [_("There is no active strategic plan.")])
    try:
        quarter = _quarter(request)
    except BadQuarter as exc:
        return _bad_request(request, exc.errors)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    try:
        roundtrip.write_agency_sheet(roundtrip.quarter_milestones(agency, quarter, plan), handle, user=request.user)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"progress-sheet-{agency.code}-{quarter.code}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
    )


@login_required
@require_safe
def agency_sheet_preview(request):
    agency = _agency_for(request)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored["agency_id"] != agency.pk:
        return redirect(_with_agency(reverse("spreadsheets:agency_sheet"), request, agency))
    labels = dict(Status.choices)
    rows = [
        {
            **row,
            "old_status_label": labels.get(row["old_status"], ""),
            "new_status_label": labels.get(row["new_status"], ""),
        }
        for row in stored["rows"]
    ]
    context = {
        "agency": agency,
        "rows": rows,
        "errors": stored["errors"],
        "unchanged": stored["unchanged"],
        "can_confirm": bool(rows) and not stored["has_errors"],
        "token": stored["token"],
        "foreign_agency": agency.pk != agency_id_of(request.user),
    }
    return render(request, "spreadsheets/agency_sheet_preview.html", context)


@login_required
@require_POST
def agency_sheet_confirm(request):
    """Post the previewed rows, read from the session (never from the form), all or nothing."""
    agency = _agency_for(request)
    stored = request.session.get(SESSION_KEY)
    back = _with_agency(reverse("spreadsheets:agency_sheet"), request, agency)
    if (
        not stored
        or stored["agency_id"] != agency.pk
        or not secrets.compare_digest(stored["token"], request.POST.get("token", ""))
        or stored["has_errors"]
    ):
        messages.error(request, _("This preview has expired; upload the sheet again."))
        return redirect(back)
    try:
        count = roundtrip.confirm(stored["rows"], agency=agency, user=request.user)
    except roundtrip.ConfirmFailed as exc:
        del request.session[SESSION_KEY]
        messages.error(request, _("Nothing was saved:") + " " + " ".join(exc.messages))
        return redirect(back)
    del request.session[SESSION_KEY]
    messages.success(request, _("%(count)s progress reports were posted.") % {"count": roundtrip.shown_number(count)})
    return redirect(back)
