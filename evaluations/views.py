"""Screens of the quarterly evaluation. Every view asks the rules (has_perm) or a queryset; none decides itself."""

import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies.models import Agency, Membership
from agencies.rules import agency_id_of

from . import services
from .exports import round_workbook
from .forms import SCALE, CorrectionForm, MeasureOverrideForm, OpenRoundForm, ScoreSheetForm
from .models import Correction, MeasureOverride, Round, RoundCriterion, RoundResult, RoundSubCriterion, ScoreSheet
from .results import measured_scores, round_results, rubric_of, trend_of


@dataclass(frozen=True)
class Scorecard:
    """What the scorecard permission is asked about: one agency in one round."""

    round: Round
    agency_id: int


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _criteria(round):
    return RoundCriterion.objects.filter(round=round).prefetch_related(
        Prefetch("sub_criteria", queryset=RoundSubCriterion.objects.order_by("order", "pk"))
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_list(request):
    user = request.user
    if agency_id_of(user) is not None and not user.has_perm("evaluations.view_round"):
        # An officer's way in: their own agency's scorecards.
        return redirect("evaluations:my_scorecards")
    _require(request, "evaluations.view_round")
    form = OpenRoundForm()
    if request.method == "POST":
        _require(request, "evaluations.manage_round")
        form = OpenRoundForm(request.POST)
        if form.is_valid():
            try:
                round = services.open_round(
                    quarter=form.period,
                    deadline=form.cleaned_data["deadline"],
                    execution_weight=form.cleaned_data["execution_weight"],
                    opened_by=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The round of %(quarter)s is open for scoring.") % {"quarter": round})
                return redirect(round)
    rounds = Round.objects.annotate(sheet_count=Count("sheets"))
    return render(request, "evaluations/round_list.html", {"rounds": rounds, "form": form})


@login_required
@require_safe
def round_detail(request, pk):
    round = get_object_or_404(Round, pk=pk)
    _require(request, "evaluations.view_round")
    user = request.user
    agencies = list(Agency.objects.active().order_by("name"))
    context = {"round": round, "agencies": agencies, "deadline_passed": round.deadline < timezone.localdate()}
    sheets = ScoreSheet.objects.for_round(round).visible_to(user).annotate(scored=Count("scores"))
    mine = {sheet.agency_id: sheet for sheet in sheets if sheet.evaluator_id == user.pk}
    context["my_sheets"] = [(agency, mine.get(agency.pk)) for agency in agencies]
    context["can_score"] = user.has_perm("evaluations.score_round", round)
    if context["can_score"]:
        # «۲۱ از ۲۴»: how many sub-criteria an evaluator scores (the measured ones are the app's).
        context["scorable"] = RoundSubCriterion.objects.filter(criterion__round=round, measure="").count()
    context["can_manage"] = user.has_perm("evaluations.manage_round", round)
    context["can_see_results"] = user.has_perm("evaluations.view_results", round)
    if context["can_manage"]:
        context["progress"] = scoring_progress(round, sheets, agencies)
    elif not round.is_open and user.has_perm("evaluations.view_private_note"):
        context["all_sheets"] = sheets.select_related("agency", "evaluator")
    return render(request, "evaluations/round_detail.html", context)


def scoring_progress(round, sheets, agencies):
    """Who has scored what: per evaluator, the agencies started and fully scored; and per agency, each
    evaluator's state (done / partial / none)."""
    total = RoundSubCriterion.objects.filter(criterion__round=round, measure="").count()
    evaluators = list(
        get_user_model().objects.filter(membership__role=Membership.Role.EVALUATOR, is_active=True).order_by("username")
    )
    state = {}
    for sheet in sheets:
        state[sheet.evaluator_id, sheet.agency_id] = "done" if sheet.scored >= total else "partial"
    count = len(agencies)
    summary = []
    for evaluator in evaluators:
        states = [state.get((evaluator.pk, agency.pk)) for agency in agencies]
        done = states.count("done")
        summary.append(
            {
                "evaluator": evaluator,
                "started": done + states.count("partial"),
                "done": done,
                "percent": round_percent(done, count),
            }
        )
    matrix = [
        (agency, [state.get((evaluator.pk, agency.pk), "none") for evaluator in evaluators]) for agency in agencies
    ]
    return {"evaluators": evaluators, "summary": summary, "matrix": matrix}


def round_percent(part, whole):
    return round(part * 100 / whole) if whole else 0


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def score_sheet(request, pk, agency_pk):
    """An evaluator's own sheet for one agency (plain POST; works without JavaScript)."""
    round = get_object_or_404(Round, pk=pk)
    _require(request, "evaluations.score_round", round)
    agency = get_object_or_404(Agency.objects.active(), pk=agency_pk)
    sheet = (
        ScoreSheet.objects.filter(round=round, agency=agency, evaluator=request.user).prefetch_related("scores").first()
    )
    criteria = _criteria(round)
    measured = {
        sub_pk: score for (_agency, sub_pk), score in measured_scores(round, rubric_of(round), [agency.pk]).items()
    }
    form = ScoreSheetForm(request.POST or None, criteria=criteria, sheet=sheet, measured=measured)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_sheet(
                round=round,
                evaluator=request.user,
                agency=agency,
                values=form.cleaned_data["values"],
                private_note=form.cleaned_data["private_note"],
                public_comment=form.cleaned_data["public_comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your scores for %(agency)s are saved.") % {"agency": agency})
            return redirect(round)
    return render(
        request,
        "evaluations/score_sheet.html",
        {"round": round, "agency": agency, "form": form, "scale": SCALE},
    )


@login_required
@require_safe
def sheet_detail(request, pk, sheet_pk):
    """One score sheet, read-only. Blind scoring: another evaluator's sheet is not found while the round is open."""
    round = get_object_or_404(Round, pk=pk)
    sheet = get_object_or_404(
        ScoreSheet.objects.visible_to(request.user).select_related("agency", "evaluator", "round"),
        round=round,
        pk=sheet_pk,
    )
    scores = {score.sub_criterion_id: score for score in sheet.scores.all()}
    criteria = [
        (criterion, [(sub, scores.get(sub.pk)) for sub in criterion.sub_criteria.all()])
        for criterion in _criteria(round)
    ]
    return render(
        request,
        "evaluations/sheet_detail.html",
        {
            "round": round,
            "sheet": sheet,
            "criteria": criteria,
            "show_private_note": request.user.has_perm("evaluations.view_private_note"),
        },
    )


@login_required
@require_safe
def results(request, pk):
    """The ranking: council, execution and final score, rank, change since last quarter, tier."""
    round = get_object_or_404(Round, pk=pk)
    _require(request, "evaluations.view_results", round)
    rows = round_results(round)
    context = {"round": round, "rows": rows, "can_manage": request.user.has_perm("evaluations.manage_round", round)}
    if round.is_locked and context["can_manage"]:
        context["correction_form"] = CorrectionForm(results=RoundResult.objects.filter(round=round).for_ranking())
        context["corrections"] = Correction.objects.filter(result__round=round).select_related(
            "result__agency", "author"
        )
    return render(request, "evaluations/results.html", context)


@login_required
@require_safe
def report(request, pk):
    """The board pack: the ranking and each agency's criterion scores, for printing."""
    round = get_object_or_404(Round, pk=pk)
    _require(request, "evaluations.view_results", round)
    rows = round_results(round)
    criteria = list(RoundCriterion.objects.filter(round=round).order_by("order", "pk"))
    for row in rows:
        row.criterion_cells = [row.criteria.get(str(criterion.pk)) for criterion in criteria]
    tiers = {}
    for row in rows:
        tiers[row.tier] = tiers.get(row.tier, 0) + 1
    return render(
        request,
        "evaluations/report.html",
        {"round": round, "rows": rows, "criteria": criteria, "tier_counts": tiers},
    )


@login_required
@require_safe
def export(request, pk):
    round = get_object_or_404(Round, pk=pk)
    _require(request, "evaluations.view_results", round)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{round.period.code}.xlsx"'
    buffer = io.BytesIO()
    round_workbook(round, buffer)
    response.write(buffer.getvalue())
    return response


@login_required
@require_safe
def scorecard(request, pk, agency_pk):
    """An agency's own scorecard: its scores, rank, tier, public comments and trend; never private notes."""
    round = get_object_or_404(Round, pk=pk)
    agency = get_object_or_404(Agency, pk=agency_pk)
    if not request.user.has_perm("evaluations.view_scorecard", Scorecard(round, agency.pk)):
        raise Http404
    row = next((row for row in round_results(round) if row.agency_id == agency.pk), None)
    if row is None:
        raise Http404
    criteria = list(RoundCriterion.objects.filter(round=round).order_by("order", "pk"))
    criterion_rows = [(criterion, row.criteria.get(str(criterion.pk))) for criterion in criteria]
    comments = [
        comment
        for comment in ScoreSheet.objects.filter(round=round, agency=agency)
        .exclude(public_comment="")
        .order_by("pk")
        .values_list("public_comment", flat=True)
    ]
    trend = [
        {
            "label": str(result.round.period.label),
            "final": float(result.final_score) if result.final_score is not None else None,
            "rank": result.rank,
        }
        for result in trend_of(agency)
    ]
    return render(
        request,
        "evaluations/scorecard.html",
        {
            "round": round,
            "agency": agency,
            "row": row,
            "criteria": criterion_rows,
            "comments": comments,
            "trend": trend,
        },
    )


@login_required
@require_safe
def my_scorecards(request):
    """An officer's list of their agency's published scorecards."""
    agency_id = agency_id_of(request.user)
    if agency_id is None:
        raise Http404
    agency = get_object_or_404(Agency, pk=agency_id)
    rounds = [
        round
        for round in Round.objects.exclude(status=Round.Status.OPEN)
        if request.user.has_perm("evaluations.view_scorecard", Scorecard(round, agency.pk))
    ]
    return render(request, "evaluations/my_scorecards.html", {"agency": agency, "rounds": rounds})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def measured(request, pk):
    """Measured sub-criteria: each agency's value and the score it gives, for the whole council; the
    director-general overrides a score with a reason (not once the round is locked)."""
    round = get_object_or_404(Round, pk=pk)
    _require(request, "evaluations.view_round", round)
    subs = (
        RoundSubCriterion.objects.filter(criterion__round=round)
        .exclude(measure="")
        .order_by("criterion__order", "criterion_id", "order", "pk")
    )
    can_override = request.user.has_perm("evaluations.override_measure", round)
    agencies = Agency.objects.active().order_by("name")
    form = None
    if can_override:
        form = MeasureOverrideForm(request.POST or None, agencies=agencies, sub_criteria=subs)
    if request.method == "POST":
        _require(request, "evaluations.override_measure", round)
        if form.is_valid():
            try:
                services.override_measure(
                    round=round,
                    agency=form.cleaned_data["agency"],
                    sub_criterion=form.cleaned_data["sub_criterion"],
                    percent=form.cleaned_data["percent"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The override is recorded."))
                return redirect("evaluations:measured", round.pk)
    subs = list(subs)
    agencies = list(agencies)
    scores = measured_scores(round, rubric_of(round), [agency.pk for agency in agencies]) if subs else {}
    rows = [(agency, [(sub, scores.get((agency.pk, sub.pk))) for sub in subs]) for agency in agencies]
    context = {
        "round": round,
        "subs": subs,
        "rows": rows,
        "form": form,
        "overrides": MeasureOverride.objects.filter(round=round).select_related("agency", "sub_criterion", "author"),
    }
    return render(request, "evaluations/measured.html", context)


def _state_change(request, pk, action, message):
    round = get_object_or_404(Round, pk=pk)
    _require(request, "evaluations.manage_round", round)
    try:
        action(round=round, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect(round)


@login_required
@require_POST
def close_round(request, pk):
    return _state_change(
        request, pk, services.close_round, _("The round is closed; the results are visible to the council.")
    )


@login_required
@require_POST
def lock_round(request, pk):
    return _state_change(request, pk, services.lock_round, _("The round is locked; its results are frozen."))


@login_required
@require_POST
def correct_result(request, pk):
    round = get_object_or_404(Round, pk=pk)
    _require(request, "evaluations.manage_round", round)
    form = CorrectionForm(request.POST, results=RoundResult.objects.filter(round=round).for_ranking())
    if form.is_valid():
        try:
            services.correct_result(
                result=form.cleaned_data["result"],
                council_score=form.cleaned_data["council_score"],
                execution_score=form.cleaned_data["execution_score"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The correction is recorded."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("evaluations:results", round.pk)
