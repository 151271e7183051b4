"""What the API answers, field by field. The names are the API's contract (v1): add fields, never rename.

Dates come twice: ISO 8601 (`due_date`, `locked_at`) and a Jalali string with Latin digits
(`due_date_jalali`: "1405/09/06"; datetimes "1405/09/06 14:30", Tehran time). Numbers are JSON numbers.
Choices come as a stable code (`status`) and a label in the request's language (`status_label`).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Agency, County
from evaluations.models import Round, Tier
from persian.jalali import format_date, format_datetime, to_latin_digits
from plans.models import Goal, Milestone, ProgressUpdate, Status, StrategicPlan


@extend_schema_field(OpenApiTypes.STR)
class JalaliDateField(serializers.ReadOnlyField):
    """A date (or datetime) as Solar Hijri text with Latin digits; empty when there is none."""

    def to_representation(self, value):
        if value is None:
            return None
        if hasattr(value, "hour"):
            return to_latin_digits(format_datetime(value, persian=True))
        return to_latin_digits(format_date(value, persian=True))


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.ReadOnlyField):
    """A choice's label, in the request's language."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name"]


class AgencySerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.name", read_only=True)
    county_id = serializers.IntegerField(read_only=True)
    category_label = LabelField(Agency.Category.choices, source="category")

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "county_id", "county", "category", "category_label", "website", "is_active"]


class AgencyFiguresSerializer(AgencySerializer):
    progress = serializers.IntegerField(read_only=True, allow_null=True, help_text="Weighted progress, 0–100.")
    milestone_count = serializers.IntegerField(read_only=True)
    last_reported_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_reported_at_jalali = JalaliDateField(source="last_reported_at")

    class Meta(AgencySerializer.Meta):
        fields = [
            *AgencySerializer.Meta.fields,
            "progress",
            "milestone_count",
            "last_reported_at",
            "last_reported_at_jalali",
        ]


class PlanSerializer(serializers.ModelSerializer):
    status_label = LabelField(StrategicPlan.Status.choices, source="status")

    class Meta:
        model = StrategicPlan
        fields = ["id", "title", "year", "status", "status_label", "is_public", "description"]


class PlanDetailSerializer(PlanSerializer):
    progress = serializers.FloatField(
        read_only=True, allow_null=True, help_text="The plan's weighted progress, 0–100, one decimal."
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "progress"]


class GoalSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField(read_only=True)
    owner = AgencyRefSerializer(read_only=True, allow_null=True)
    progress = serializers.IntegerField(read_only=True, help_text="Weighted progress of its milestones, 0–100.")
    milestone_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan_id",
            "number",
            "title",
            "description",
            "weight",
            "owner",
            "progress",
            "milestone_count",
            "done_count",
            "overdue_count",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    goal = serializers.SerializerMethodField()
    agency = AgencyRefSerializer(read_only=True)
    status_label = LabelField(Status.choices, source="status")
    start_date_jalali = JalaliDateField(source="start_date")
    due_date_jalali = JalaliDateField(source="due_date")
    is_overdue = serializers.BooleanField(read_only=True)
    last_reported_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_reported_at_jalali = JalaliDateField(source="last_reported_at")
    last_review_state = serializers.CharField(read_only=True, allow_null=True)
    last_review_label = LabelField(ProgressUpdate.ReviewState.choices, source="last_review_state")

    class Meta:
        model = Milestone
        fields = [
            "id",
            "goal",
            "agency",
            "title",
            "description",
            "target",
            "start_date",
            "start_date_jalali",
            "due_date",
            "due_date_jalali",
            "weight",
            "status",
            "status_label",
            "progress",
            "is_overdue",
            "last_reported_at",
            "last_reported_at_jalali",
            "last_review_state",
            "last_review_label",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "plan_id": {"type": "integer"},
                "number": {"type": "integer"},
                "title": {"type": "string"},
            },
        }
    )
    def get_goal(self, milestone):
        goal = milestone.goal
        return {"id": goal.pk, "plan_id": goal.plan_id, "number": goal.number, "title": goal.title}


class RoundSerializer(serializers.ModelSerializer):
    quarter_code = serializers.SerializerMethodField(help_text='The Solar Hijri quarter, e.g. "1405-2".')
    label = serializers.SerializerMethodField()
    status_label = LabelField(Round.Status.choices, source="status")
    deadline_jalali = JalaliDateField(source="deadline")
    closed_at_jalali = JalaliDateField(source="closed_at")
    locked_at_jalali = JalaliDateField(source="locked_at")

    class Meta:
        model = Round
        fields = [
            "id",
            "year",
            "quarter",
            "quarter_code",
            "label",
            "status",
            "status_label",
            "deadline",
            "deadline_jalali",
            "closed_at",
            "closed_at_jalali",
            "locked_at",
            "locked_at_jalali",
            "execution_weight",
            "excellent_from",
            "active_from",
            "semi_active_from",
        ]

    def get_quarter_code(self, round) -> str:
        return round.period.code

    def get_label(self, round) -> str:
        return str(round.period.label)


class ResultSerializer(serializers.Serializer):
    """One agency's result: a frozen RoundResult (locked round) or a live row (the director-general, before locking)."""

    agency = AgencyRefSerializer(read_only=True)
    rank = serializers.IntegerField(read_only=True, allow_null=True)
    tier = serializers.CharField(read_only=True)
    tier_label = LabelField(Tier.choices, source="tier")
    council_score = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)
    execution_score = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)
    final_score = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)
    criteria = serializers.SerializerMethodField(help_text="Each criterion's score (0–100) by the criterion's id.")

    def get_criteria(self, row) -> dict[str, float | None]:
        return {key: None if value is None else float(value) for key, value in (row.criteria or {}).items()}


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    weight = serializers.IntegerField(read_only=True)


class RoundResultsSerializer(serializers.Serializer):
    round = RoundSerializer(read_only=True)
    frozen = serializers.BooleanField(
        read_only=True, help_text="True once the round is locked: the figures never move."
    )
    criteria = CriterionSerializer(many=True, read_only=True)
    results = ResultSerializer(many=True, read_only=True)


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = County
        fields = ["id", "name"]


class ReportSerializer(serializers.ModelSerializer):
    """A progress report: milestone, status, progress, dates and review state. Never its note, its author or
    reviewer, its evidence files; the return reason only to the officer of the report's agency, while the
    report stands returned (`return_reason`, null for everyone else), as their "my agency" page shows it."""

    milestone = serializers.SerializerMethodField()
    agency = AgencyRefSerializer(source="milestone.agency", read_only=True)
    status_label = LabelField(Status.choices, source="status")
    created_at_jalali = JalaliDateField(source="created_at")
    review_label = LabelField(ProgressUpdate.ReviewState.choices, source="review_state")
    reviewed_at_jalali = JalaliDateField(source="reviewed_at")
    return_reason = serializers.SerializerMethodField(
        help_text="Why the report was returned: only for the officer of its agency, while it is returned."
    )

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "milestone",
            "agency",
            "status",
            "status_label",
            "progress",
            "created_at",
            "created_at_jalali",
            "review_state",
            "review_label",
            "reviewed_at",
            "reviewed_at_jalali",
            "return_reason",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "goal_id": {"type": "integer"},
                "plan_id": {"type": "integer"},
                "due_date": {"type": "string", "format": "date"},
                "due_date_jalali": {"type": "string"},
            },
        }
    )
    def get_milestone(self, report):
        milestone = report.milestone
        return {
            "id": milestone.pk,
            "title": milestone.title,
            "goal_id": milestone.goal_id,
            "plan_id": milestone.goal.plan_id,
            "due_date": milestone.due_date.isoformat() if milestone.due_date else None,
            "due_date_jalali": JalaliDateField().to_representation(milestone.due_date),
        }

    def get_return_reason(self, report) -> str | None:
        own_agency = self.context.get("own_agency_id")
        if (
            own_agency is not None
            and report.milestone.agency_id == own_agency
            and report.review_state == ProgressUpdate.ReviewState.RETURNED
        ):
            return report.review_reason
        return None


class QuarterSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    code = serializers.CharField(help_text='The Solar Hijri quarter, e.g. "1405-2".')


class BulletinSerializer(serializers.Serializer):
    """A published bulletin in the list: which quarter and plan, when it was published, and where its data is."""

    id = serializers.IntegerField(source="pk")
    quarter = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    plan_id = serializers.IntegerField()
    plan = serializers.CharField(source="plan.title")
    published_on = serializers.DateField()
    published_on_jalali = JalaliDateField(source="published_on")
    url = serializers.SerializerMethodField(help_text="The bulletin's public page.")

    @extend_schema_field(QuarterSerializer)
    def get_quarter(self, bulletin):
        period = bulletin.round.period
        return {"year": period.year, "quarter": period.number, "code": period.code}

    def get_label(self, bulletin) -> str:
        return str(bulletin.round.period.label)

    def get_url(self, bulletin) -> str:
        request = self.context.get("request")
        path = bulletin.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class BulletinGoalSerializer(serializers.Serializer):
    goal_number = serializers.IntegerField()
    goal_title = serializers.CharField()
    goal_weight = serializers.IntegerField()
    progress_at_quarter_end = serializers.IntegerField(allow_null=True)
    done = serializers.CharField()
    next = serializers.CharField()
    obstacles = serializers.CharField()


class BulletinAgencySerializer(serializers.Serializer):
    agency_code = serializers.CharField()
    agency = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    previous_rank = serializers.IntegerField(allow_null=True)
    final_score = serializers.FloatField(allow_null=True)
    council_score = serializers.FloatField(allow_null=True)
    execution_score = serializers.FloatField(allow_null=True)
    tier = serializers.CharField()


class ErratumSerializer(serializers.Serializer):
    date = serializers.DateField()
    date_jalali = serializers.CharField()
    text = serializers.CharField()


class BulletinPlanSerializer(serializers.Serializer):
    title = serializers.CharField()
    progress_at_quarter_end = serializers.FloatField(allow_null=True)


class BulletinDetailSerializer(serializers.Serializer):
    """A published bulletin's frozen figures: the open data's JSON (publishing/opendata.py, same keys), with its
    id, and its errata with their dates. Documentation of the answer; the view answers as_json() as it is."""

    id = serializers.IntegerField()
    schema_version = serializers.IntegerField()
    bulletin = serializers.IntegerField()
    quarter = QuarterSerializer()
    quarter_end = serializers.DateField()
    quarter_end_jalali = serializers.CharField()
    published_on = serializers.DateField()
    published_on_jalali = serializers.CharField()
    plan = BulletinPlanSerializer()
    tier_counts = serializers.DictField(child=serializers.IntegerField())
    goals = BulletinGoalSerializer(many=True)
    agencies = BulletinAgencySerializer(many=True)
    errata = ErratumSerializer(many=True)
