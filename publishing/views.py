"""The bulletin's pages: the director-general's (draft, edit, preview, publish, erratum) and the public ones
(index, bulletin, agency history, open data, data dictionary; the feed is in feeds.py).

Public pages read only published bulletins (publishing/public.py, cached until the next publish or
erratum), answer with Last-Modified and honour If-Modified-Since, and show nothing personal.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_http_methods, require_POST, require_safe

from plans.models import Goal

from . import opendata, public, services
from .forms import BulletinForm, ErratumForm, NewBulletinForm, PublishForm
from .models import Bulletin

# --- the director-general's pages -------------------------------------------------------------


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request):
    """Every bulletin, drafts included; a new draft for a locked round."""
    _require(request, "publishing.manage_bulletins")
    form = NewBulletinForm()
    if request.method == "POST":
        form = NewBulletinForm(request.POST)
        if form.is_valid():
            try:
                bulletin = services.create_draft(
                    round=form.cleaned_data["round"], plan=form.cleaned_data["plan"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The draft is ready: write the goals' narratives and check the press text.")
                )
                return redirect("publishing:edit", bulletin.pk)
    bulletins = (
        Bulletin.objects.select_related("round", "plan").defer("figures").order_by("-round__year", "-round__quarter")
    )
    return render(request, "publishing/manage.html", {"form": form, "bulletins": bulletins})


def _managed(request, pk):
    _require(request, "publishing.manage_bulletins")
    return get_object_or_404(Bulletin.objects.select_related("round", "plan"), pk=pk)


def _goals(bulletin):
    return list(Goal.objects.filter(plan=bulletin.plan).order_by("number"))


def _edit_form(bulletin, data=None):
    goals = _goals(bulletin)
    initial = {"version": bulletin.version, "press_text": bulletin.press_text}
    for goal_id, story in services.narratives_of(bulletin).items():
        for field, value in story.items():
            initial[f"{field}_{goal_id}"] = value
    return BulletinForm(data, initial=initial, goals=goals)


def _edit_page(request, bulletin, *, form=None, publish_form=None, erratum_form=None, status=200):
    context = {"bulletin": bulletin, "errata": list(bulletin.errata.all())}
    if bulletin.is_published:
        context["erratum_form"] = erratum_form or ErratumForm(initial={"published_on": timezone.localdate()})
    else:
        context["form"] = form or _edit_form(bulletin)
        context["publish_form"] = publish_form or PublishForm(
            initial={"version": bulletin.version, "published_on": timezone.localdate()}
        )
    return render(request, "publishing/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    """A draft's press text and narratives; a published bulletin is frozen (its erratum form instead)."""
    bulletin = _managed(request, pk)
    if request.method != "POST":
        return _edit_page(request, bulletin)
    if bulletin.is_published:
        messages.error(request, services.FROZEN)
        return _edit_page(request, bulletin)
    form = _edit_form(bulletin, request.POST)
    if form.is_valid():
        try:
            services.save_draft(
                bulletin=bulletin,
                press_text=form.cleaned_data["press_text"],
                narratives=form.narratives(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
                redraft="redraft" in request.POST,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft is saved. Nothing is public until you publish it."))
            return redirect("publishing:edit", bulletin.pk)
    return _edit_page(request, bulletin, form=form)


@login_required
@require_safe
def preview(request, pk):
    """The bulletin as it would be published now (figures read live), for the director-general only."""
    bulletin = _managed(request, pk)
    figures = bulletin.figures if bulletin.is_published else services.live_figures(bulletin)
    errata = list(bulletin.errata.all())
    return render(request, "publishing/bulletin.html", _bulletin_context(bulletin, errata, figures, preview=True))


@login_required
@require_POST
def publish(request, pk):
    bulletin = _managed(request, pk)
    form = PublishForm(request.POST)
    if bulletin.is_published:
        messages.error(request, services.FROZEN)
        return redirect("publishing:edit", bulletin.pk)
    if form.is_valid():
        try:
            services.publish(
                bulletin=bulletin,
                published_on=form.cleaned_data["published_on"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The bulletin is published."))
            return redirect("publishing:bulletin", bulletin.pk)
    return _edit_page(request, bulletin, publish_form=form, status=400)


@login_required
@require_POST
def add_erratum(request, pk):
    bulletin = _managed(request, pk)
    if not bulletin.is_published:
        messages.error(request, services.NOT_PUBLISHED)
        return redirect("publishing:edit", bulletin.pk)
    form = ErratumForm(request.POST)
    if form.is_valid():
        try:
            erratum = services.add_erratum(
                bulletin=bulletin,
                text=form.cleaned_data["text"],
                published_on=form.cleaned_data["published_on"],
                refresh_figures=form.cleaned_data["refresh_figures"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The erratum is published on the bulletin."))
            return redirect(erratum.get_absolute_url())
    return _edit_page(request, bulletin, erratum_form=form, status=400)


# --- the public pages ------------------------------------------------------------------------


def _published_or_404(pk):
    found = public.published_bulletin(pk)
    if found is None:
        raise Http404
    return found


def _bulletin_modified(request, pk):
    found = public.published_bulletin(pk)
    return public.last_updated(*found) if found else None


def list_modified(request, *args, **kwargs):
    return public.everything_last_updated()


def _bulletin_context(bulletin, errata, figures, preview=False):
    return {
        "bulletin": bulletin,
        "errata": errata,
        "figures": figures,
        "quarter": bulletin.round.period,
        "last_updated": public.last_updated(bulletin, errata) if bulletin.is_published else None,
        "preview": preview,
        "cutoffs": figures.get("cutoffs", {}),
        "cache_generation": services.cache_generation(),
    }


@require_safe
@condition(last_modified_func=list_modified)
def bulletins(request):
    items = public.published_list()
    return render(
        request,
        "publishing/bulletins.html",
        {"bulletins": items, "last_updated": public.everything_last_updated()},
    )


@require_safe
def latest(request):
    """A stable address that always leads to the latest published bulletin."""
    items = public.published_list()
    if not items:
        raise Http404
    return redirect("publishing:bulletin", items[0].pk)


@require_safe
@condition(last_modified_func=_bulletin_modified)
def bulletin(request, pk):
    bulletin, errata = _published_or_404(pk)
    return render(request, "publishing/bulletin.html", _bulletin_context(bulletin, errata, bulletin.figures))


@require_safe
@condition(last_modified_func=list_modified)
def agency(request, code):
    """An agency's tiers and ranks in every published bulletin, newest first."""
    history = []
    name = None
    for item in public.published_with_figures():
        row = next((row for row in item.figures["ranking"] if row["agency"] == code), None)
        if row is not None:
            name = name or row["name"]
            history.append({"bulletin": item, "row": row})
    if not history:
        raise Http404
    last_updated = max(public.last_updated(entry["bulletin"], entry["bulletin"].public_errata) for entry in history)
    return render(
        request,
        "publishing/agency.html",
        {"code": code, "name": name, "history": history, "last_updated": last_updated},
    )


@require_safe
def data_dictionary(request):
    return render(
        request,
        "publishing/data_dictionary.html",
        {"goal_columns": opendata.GOAL_COLUMNS, "agency_columns": opendata.AGENCY_COLUMNS},
    )


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@condition(last_modified_func=lambda request, pk, table: _bulletin_modified(request, pk))
def data_csv(request, pk, table):
    if table not in opendata.TABLES:
        raise Http404
    bulletin, _errata = _published_or_404(pk)
    quarter = bulletin.round.period
    return _download(
        opendata.csv_bytes(bulletin.figures, table), "text/csv; charset=utf-8", f"bulletin-{quarter.code}-{table}.csv"
    )


@require_safe
@condition(last_modified_func=_bulletin_modified)
def data_json(request, pk):
    bulletin, errata = _published_or_404(pk)
    content = json.dumps(opendata.as_json(bulletin, errata, bulletin.figures), ensure_ascii=False, indent=1)
    return _download(content.encode(), "application/json; charset=utf-8", f"bulletin-{bulletin.round.period.code}.json")
