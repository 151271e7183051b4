from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import Agency
from fileformats.importexport import CouncilImportExportMixin, CouncilResource
from fileformats.widgets import (
    ChoiceWidget,
    ForeignKeyByIdWidget,
    IntegerWidget,
    JalaliDateWidget,
    PercentWidget,
    TextWidget,
    cached_lookup,
)
from persian import values
from persian.admin import CheckedInputAdminMixin, JalaliDatesAdminMixin
from persian.jalali import FIRST_YEAR, LAST_YEAR

from .forms import NOT_A_STATUS
from .models import Evidence, Goal, Milestone, ProgressUpdate, Status, StrategicPlan

WEIGHT = {"min_value": 1, "max_value": 32767}


def _max_length(model, name):
    return model._meta.get_field(name).max_length


class AgencyWidget(ForeignKeyByIdWidget):
    """An agency found by its code or its name, however its letters, spaces and digits were typed."""

    def __init__(self, **kwargs):
        super().__init__(Agency, field="code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return None
        raw = str(value).strip()
        agency = cached_lookup((AgencyWidget, raw), lambda: self._find(raw))
        if agency is None:
            raise ValueError(_("No agency has the code or name “%(value)s”.") % {"value": raw})
        return agency

    def _find(self, raw):
        agency = Agency.objects.filter(Q(code=raw) | Q(name=values.normalize_text(raw))).first()
        if agency is None:
            key = values.lookup_key(raw)
            agency = next(
                (item for item in Agency.objects.only("pk", "name", "code") if values.lookup_key(item.name) == key),
                None,
            )
        return agency

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class StrategicPlanResource(CouncilResource):
    title = fields.Field(
        attribute="title", column_name="title", widget=TextWidget(max_length=_max_length(StrategicPlan, "title"))
    )
    year = fields.Field(
        attribute="year", column_name="year", widget=IntegerWidget(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(StrategicPlan.Status.choices, default=StrategicPlan.Status.DRAFT),
    )
    description = fields.Field(attribute="description", column_name="description", widget=TextWidget())

    class Meta(CouncilResource.Meta):
        model = StrategicPlan
        fields = ("id", "title", "year", "status", "is_public", "description")


class GoalResource(CouncilResource):
    plan = fields.Field(attribute="plan", column_name="plan", widget=ForeignKeyByIdWidget(StrategicPlan))
    number = fields.Field(attribute="number", column_name="number", widget=IntegerWidget(**WEIGHT))
    title = fields.Field(
        attribute="title", column_name="title", widget=TextWidget(max_length=_max_length(Goal, "title"))
    )
    description = fields.Field(attribute="description", column_name="description", widget=TextWidget())
    weight = fields.Field(attribute="weight", column_name="weight", widget=IntegerWidget(default=1, **WEIGHT))
    owner = fields.Field(attribute="owner", column_name="owner", widget=AgencyWidget())

    class Meta(CouncilResource.Meta):
        model = Goal
        fields = ("id", "plan", "number", "title", "description", "weight", "owner")

    def get_queryset(self):
        return super().get_queryset().select_related("plan", "owner")


class MilestoneResource(CouncilResource):
    goal = fields.Field(attribute="goal", column_name="goal", widget=ForeignKeyByIdWidget(Goal))
    agency = fields.Field(attribute="agency", column_name="agency", widget=AgencyWidget())
    title = fields.Field(
        attribute="title", column_name="title", widget=TextWidget(max_length=_max_length(Milestone, "title"))
    )
    target = fields.Field(attribute="target", column_name="target", widget=TextWidget())
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=JalaliDateWidget())
    due_date = fields.Field(attribute="due_date", column_name="due_date", widget=JalaliDateWidget())
    weight = fields.Field(attribute="weight", column_name="weight", widget=IntegerWidget(default=1, **WEIGHT))
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(Status.choices, default=Status.NOT_STARTED, message=NOT_A_STATUS),
    )
    progress = fields.Field(attribute="progress", column_name="progress", widget=PercentWidget(default=0))

    class Meta(CouncilResource.Meta):
        model = Milestone
        fields = ("id", "goal", "agency", "title", "target", "start_date", "due_date", "weight", "status", "progress")

    def get_queryset(self):
        return super().get_queryset().select_related("goal", "agency")


class GoalInline(CheckedInputAdminMixin, admin.TabularInline):
    model = Goal
    fields = ["number", "title", "weight", "owner"]
    autocomplete_fields = ["owner"]
    extra = 0


class MilestoneInline(JalaliDatesAdminMixin, admin.TabularInline):
    model = Milestone
    fields = ["agency", "title", "start_date", "due_date", "weight", "status", "progress"]
    autocomplete_fields = ["agency"]
    extra = 0


@admin.register(StrategicPlan)
class StrategicPlanAdmin(JalaliDatesAdminMixin, CouncilImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [StrategicPlanResource]
    list_display = ["title", "year", "status", "is_public"]
    list_filter = ["status", "is_public", "year"]
    search_fields = ["title"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(JalaliDatesAdminMixin, CouncilImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [GoalResource]
    list_display = ["number", "title", "plan", "weight", "owner"]
    list_display_links = ["number", "title"]
    list_filter = ["plan"]
    search_fields = ["title", "description"]
    list_select_related = ["plan", "owner"]
    autocomplete_fields = ["owner"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(JalaliDatesAdminMixin, CouncilImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [MilestoneResource]
    list_display = ["title", "goal", "agency", "due_date", "status", "progress", "weight"]
    list_filter = ["status", "goal__plan", "agency__category", "agency__county", "goal"]
    search_fields = ["title", "agency__name", "agency__code", "goal__title"]
    list_select_related = ["goal", "agency"]
    autocomplete_fields = ["goal", "agency"]
    date_hierarchy = "due_date"
    readonly_fields = ["version"]


class EvidenceInline(JalaliDatesAdminMixin, admin.TabularInline):
    model = Evidence
    fields = ["original_name", "content_type", "size", "url", "letter_number", "letter_date"]
    readonly_fields = ["original_name", "content_type", "size"]
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = ["milestone", "status", "progress", "author", "created_at", "review_state"]
    list_filter = ["review_state", "status", "milestone__agency__category"]
    search_fields = ["milestone__title", "note", "author__username"]
    list_select_related = ["milestone", "author"]
    autocomplete_fields = ["milestone", "author", "reviewed_by"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline]
