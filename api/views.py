"""The read-only API (v1). Every queryset is a screen's QuerySet method narrowed by visible_to(user), and every
permission is asked of the rules, exactly as the pages do: there is no second permission system.

Who sees what (docs/api.md):
- anonymous: the public plans (StrategicPlan.objects.public()) and their goals' progress, as the public page;
- anyone with a role: every plan, its goals and agencies' figures, the agencies (as the plan pages);
- milestones: Milestone.objects.visible_to(user): an officer their own agency's only, the council all;
- reports: ProgressUpdate.objects.visible_to(user) (as milestones), without notes, people or evidence; the
  return reason only to the officer of the report's agency;
- counties: anyone (the filters' ids); published bulletins: anyone (Bulletin.objects.published(), never a draft);
- rounds: Round.objects.visible_to(user); results follow evaluations' rules (view_results, view_scorecard),
  and only frozen (locked) results for anyone but the director-general.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions
from rest_framework.response import Response

from agencies.models import Agency, County
from agencies.rules import own_agency_id
from evaluations.models import Round, RoundCriterion, RoundResult
from evaluations.results import round_results
from plans.models import Goal, Milestone, ProgressUpdate, StrategicPlan, agency_figures
from publishing import opendata
from publishing import public as published
from publishing.models import Bulletin

from . import serializers
from .forms import AgencyFilterForm, MilestoneFilterForm, NoFilterForm, ReportFilterForm, ScopeFilterForm

READ_METHODS = ("GET", "HEAD", "OPTIONS")
THROTTLED = _("Too many requests: this client has used up its rate limit. Try again in %(seconds)d seconds.")


class RulePermission(permissions.BasePermission):
    """Asks the rules for the view's `required_perm` (None: the queryset alone decides what is shown)."""

    def has_permission(self, request, view):
        perm = getattr(view, "required_perm", None)
        return perm is None or request.user.has_perm(perm)


class ReadOnlyApiView(generics.GenericAPIView):
    required_perm = None
    filter_form = None
    permission_classes = [RulePermission]

    def initial(self, request, *args, **kwargs):
        # A write is refused before anyone is authenticated: every role, and anonymous, gets 405.
        if request.method not in READ_METHODS:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def throttled(self, request, wait):
        exc = exceptions.Throttled(detail=THROTTLED % {"seconds": round(wait or 0)})
        exc.wait = wait
        raise exc

    def filters(self):
        """The filter form, bound to the query string and valid; a bad value is a 400 with its Persian message."""
        form = self.filter_form(self.request.query_params)
        if not form.is_valid():
            errors = {
                ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
                for field, messages in form.errors.items()
            }
            raise exceptions.ValidationError(errors)
        return form


def scope_parameters():
    return [
        OpenApiParameter("county", int, description="A county's id."),
        OpenApiParameter("category", str, description="An agency category (code or label)."),
        OpenApiParameter("quarter", str, description="A Solar Hijri quarter, 1405-3: milestones due in it."),
    ]


class PlanList(ReadOnlyApiView, generics.ListAPIView):
    """Strategic plans: every plan for anyone with a role, the public ones for anyone else."""

    serializer_class = serializers.PlanSerializer

    def get_queryset(self):
        return StrategicPlan.objects.visible_to(self.request.user)


class PlanDetail(ReadOnlyApiView, generics.RetrieveAPIView):
    """A plan with its overall weighted progress."""

    serializer_class = serializers.PlanDetailSerializer

    def get_queryset(self):
        return StrategicPlan.objects.visible_to(self.request.user)

    def get_object(self):
        plan = super().get_object()
        plan.progress = Milestone.objects.in_plan(plan).plan_progress()
        return plan


def visible_plan(request, plan_id):
    return get_object_or_404(StrategicPlan.objects.visible_to(request.user), pk=plan_id)


@extend_schema(parameters=scope_parameters())
class GoalList(ReadOnlyApiView, generics.ListAPIView):
    """A plan's goals with their progress (the dashboard's figures; the public page's for a public plan)."""

    serializer_class = serializers.GoalSerializer
    filter_form = ScopeFilterForm
    ordering = "number"

    def get_queryset(self):
        plan = visible_plan(self.request, self.kwargs["plan_id"])
        scope = self.filters().scope("milestones__")
        return Goal.objects.for_dashboard(plan, scope).select_related("owner")


class GoalDetail(ReadOnlyApiView, generics.RetrieveAPIView):
    serializer_class = serializers.GoalSerializer

    def get_queryset(self):
        plans = StrategicPlan.objects.visible_to(self.request.user)
        return Goal.objects.filter(plan__in=plans).with_figures().select_related("owner")


@extend_schema(parameters=scope_parameters())
class AgencyFiguresList(ReadOnlyApiView, generics.ListAPIView):
    """Agencies with milestones in the plan: weighted progress, milestone count, last report (the agency pages)."""

    serializer_class = serializers.AgencyFiguresSerializer
    required_perm = "plans.view_strategicplan"
    filter_form = ScopeFilterForm
    ordering = "name"

    def get_queryset(self):
        plan = visible_plan(self.request, self.kwargs["plan_id"])
        scope = self.filters().scope("milestones__")
        return agency_figures().with_plan_progress(plan, scope).with_last_report(plan).select_related("county")


@extend_schema(
    parameters=[
        OpenApiParameter("county", int, description="A county's id."),
        OpenApiParameter("category", str, description="An agency category (code or label)."),
    ]
)
class AgencyList(ReadOnlyApiView, generics.ListAPIView):
    """Every agency, for anyone with a role (as the plan pages' agency pages)."""

    serializer_class = serializers.AgencySerializer
    required_perm = "plans.view_strategicplan"
    filter_form = AgencyFilterForm
    ordering = "name"

    def get_queryset(self):
        return self.filters().filter(Agency.objects.select_related("county"))


class AgencyDetail(ReadOnlyApiView, generics.RetrieveAPIView):
    serializer_class = serializers.AgencySerializer
    required_perm = "plans.view_strategicplan"

    def get_queryset(self):
        return Agency.objects.select_related("county")


@extend_schema(
    parameters=[
        OpenApiParameter("plan", int, description="A plan's id."),
        OpenApiParameter("goal", int, description="A goal's id."),
        OpenApiParameter("agency", int, description="An agency's id."),
        OpenApiParameter("status", str, description="A status (code or label, Persian or English)."),
        OpenApiParameter("due_from", str, description="Due on or after this day: 1405/09/01 (any digits) or ISO."),
        OpenApiParameter("due_to", str, description="Due on or before this day."),
        *scope_parameters(),
    ]
)
class MilestoneList(ReadOnlyApiView, generics.ListAPIView):
    """Milestones with their status, progress and latest report: an officer sees their own agency's only."""

    serializer_class = serializers.MilestoneSerializer
    permission_classes = [permissions.IsAuthenticated, RulePermission]
    filter_form = MilestoneFilterForm

    def get_queryset(self):
        milestones = Milestone.objects.visible_to(self.request.user)
        return self.filters().filter(milestones).select_related("goal", "agency").with_latest_update()


class MilestoneDetail(ReadOnlyApiView, generics.RetrieveAPIView):
    """One milestone; another agency's is a 404, as on the pages."""

    serializer_class = serializers.MilestoneSerializer
    permission_classes = [permissions.IsAuthenticated, RulePermission]

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user).select_related("goal", "agency").with_latest_update()


class RoundList(ReadOnlyApiView, generics.ListAPIView):
    """Evaluation rounds: the council every round; an officer the closed and locked ones."""

    serializer_class = serializers.RoundSerializer
    permission_classes = [permissions.IsAuthenticated, RulePermission]
    ordering = "-pk"

    def get_queryset(self):
        return Round.objects.visible_to(self.request.user)


class RoundDetail(ReadOnlyApiView, generics.RetrieveAPIView):
    serializer_class = serializers.RoundSerializer
    permission_classes = [permissions.IsAuthenticated, RulePermission]

    def get_queryset(self):
        return Round.objects.visible_to(self.request.user)


class RoundResults(ReadOnlyApiView):
    """A round's ranking and tiers. Frozen results (a locked round) for the council, and for an officer their own
    agency's row; the director-general also reads a round's live results before it is locked."""

    serializer_class = serializers.RoundResultsSerializer
    permission_classes = [permissions.IsAuthenticated, RulePermission]
    pagination_class = None

    def get(self, request, pk):
        round = get_object_or_404(Round.objects.visible_to(request.user), pk=pk)
        user = request.user
        if round.is_locked:
            rows = []
            for result in RoundResult.objects.filter(round=round).for_ranking():
                result.round = round  # the rules read result.round: no query per row
                if user.has_perm("evaluations.view_results", round) or user.has_perm(
                    "evaluations.view_scorecard", result
                ):
                    rows.append(result)
        elif user.has_perm("evaluations.manage_round", round) and user.has_perm("evaluations.view_results", round):
            rows = round_results(round, with_previous=False)
        else:
            raise exceptions.NotFound
        if not rows:
            raise exceptions.NotFound
        criteria = RoundCriterion.objects.filter(round=round).order_by("order", "pk")
        data = {"round": round, "frozen": round.is_locked, "criteria": criteria, "results": rows}
        return Response(self.get_serializer(data).data)


class CountyList(ReadOnlyApiView, generics.ListAPIView):
    """The province's counties: the ids the `county` filters take. Public, as the public page's filters."""

    serializer_class = serializers.CountySerializer
    filter_form = NoFilterForm
    ordering = "pk"

    def get_queryset(self):
        self.filters()
        return County.objects.all()


class CountyDetail(ReadOnlyApiView, generics.RetrieveAPIView):
    serializer_class = serializers.CountySerializer
    queryset = County.objects.all()


@extend_schema(
    parameters=[
        OpenApiParameter("plan", int, description="A plan's id."),
        OpenApiParameter("goal", int, description="A goal's id."),
        OpenApiParameter("milestone", int, description="A milestone's id."),
        OpenApiParameter("agency", int, description="An agency's id."),
        OpenApiParameter("status", str, description="The reported status (code or label)."),
        OpenApiParameter("review_state", str, description="submitted, accepted or returned (or the label)."),
        OpenApiParameter("reported_from", str, description="Reported on or after this day: 1405/09/01 or ISO."),
        OpenApiParameter("reported_to", str, description="Reported on or before this day."),
    ]
)
class ReportList(ReadOnlyApiView, generics.ListAPIView):
    """Progress reports, newest first: an officer their own agency's only, the council all (as the pages)."""

    serializer_class = serializers.ReportSerializer
    permission_classes = [permissions.IsAuthenticated, RulePermission]
    filter_form = ReportFilterForm
    ordering = "-pk"

    def get_queryset(self):
        reports = ProgressUpdate.objects.visible_to(self.request.user)
        return self.filters().filter(reports).select_related("milestone__goal", "milestone__agency")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "own_agency_id": own_agency_id(self.request.user)}


class ReportDetail(ReadOnlyApiView, generics.RetrieveAPIView):
    """One report; another agency's is a 404, as on the pages."""

    serializer_class = serializers.ReportSerializer
    permission_classes = [permissions.IsAuthenticated, RulePermission]

    def get_queryset(self):
        return ProgressUpdate.objects.visible_to(self.request.user).select_related(
            "milestone__goal", "milestone__agency"
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "own_agency_id": own_agency_id(self.request.user)}


class BulletinList(ReadOnlyApiView, generics.ListAPIView):
    """Published bulletins, newest first, for anyone (no token needed). A draft is never listed."""

    serializer_class = serializers.BulletinSerializer
    filter_form = NoFilterForm
    ordering = "-pk"

    def get_queryset(self):
        self.filters()
        return Bulletin.objects.published().select_related("round", "plan").defer("figures")


class BulletinDetail(ReadOnlyApiView):
    """A published bulletin's frozen figures (the open data's JSON) and its dated errata; a draft is a 404."""

    serializer_class = serializers.BulletinDetailSerializer
    pagination_class = None

    @extend_schema(responses=serializers.BulletinDetailSerializer)
    def get(self, request, pk):
        found = published.published_bulletin(pk)
        if found is None:
            raise exceptions.NotFound
        bulletin, errata = found
        data = opendata.as_json(bulletin, errata, bulletin.figures)
        data["quarter_end_jalali"] = serializers.JalaliDateField().to_representation(
            datetime.date.fromisoformat(data["quarter_end"])
        )
        return Response({"id": bulletin.pk, **data})
