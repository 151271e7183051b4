from django.contrib import admin
from import_export import fields
from simple_history.admin import SimpleHistoryAdmin

from persian.admin import JalaliDatesAdminMixin
from spreadsheets.admin_import import (
    AgencyWidget,
    CouncilImportExportMixin,
    CouncilResource,
    JalaliDateWidget,
    PersianForeignKeyWidget,
    PersianIntegerWidget,
    PersianTextWidget,
    StatusWidget,
)

from .models import Evidence, Goal, Milestone, ProgressUpdate, StrategicPlan


class StrategicPlanResource(CouncilResource):
    title = fields.Field(attribute="title", column_name="title", widget=PersianTextWidget())
    year = fields.Field(attribute="year", column_name="year", widget=PersianIntegerWidget())
    description = fields.Field(attribute="description", column_name="description", widget=PersianTextWidget())

    class Meta(CouncilResource.Meta):
        model = StrategicPlan
        fields = ("id", "title", "year", "status", "is_public", "description")


class GoalResource(CouncilResource):
    plan = fields.Field(attribute="plan", column_name="plan", widget=PersianForeignKeyWidget(StrategicPlan))
    number = fields.Field(attribute="number", column_name="number", widget=PersianIntegerWidget())
    title = fields.Field(attribute="title", column_name="title", widget=PersianTextWidget())
    description = fields.Field(attribute="description", column_name="description", widget=PersianTextWidget())
    weight = fields.Field(attribute="weight", column_name="weight", widget=PersianIntegerWidget(default=1))
    owner = fields.Field(attribute="owner", column_name="owner", widget=AgencyWidget())

    class Meta(CouncilResource.Meta):
        model = Goal
        fields = ("id", "plan", "number", "title", "description", "weight", "owner")

    def get_queryset(self):
        return super().get_queryset().select_related("plan", "owner")


class MilestoneResource(CouncilResource):
    goal = fields.Field(attribute="goal", column_name="goal", widget=PersianForeignKeyWidget(Goal))
    agency = fields.Field(attribute="agency", column_name="agency", widget=AgencyWidget())
    title = fields.Field(attribute="title", column_name="title", widget=PersianTextWidget())
    target = fields.Field(attribute="target", column_name="target", widget=PersianTextWidget())
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=JalaliDateWidget())
    due_date = fields.Field(attribute="due_date", column_name="due_date", widget=JalaliDateWidget())
    weight = fields.Field(attribute="weight", column_name="weight", widget=PersianIntegerWidget(default=1))
    status = fields.Field(attribute="status", column_name="status", widget=StatusWidget())
    progress = fields.Field(attribute="progress", column_name="progress", widget=PersianIntegerWidget(default=0))

    class Meta(CouncilResource.Meta):
        model = Milestone
        fields = ("id", "goal", "agency", "title", "target", "start_date", "due_date", "weight", "status", "progress")

    def get_queryset(self):
        return super().get_queryset().select_related("goal", "agency")


class GoalInline(admin.TabularInline):
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
class StrategicPlanAdmin(CouncilImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [StrategicPlanResource]
    list_display = ["title", "year", "status", "is_public"]
    list_filter = ["status", "is_public", "year"]
    search_fields = ["title"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(CouncilImportExportMixin, SimpleHistoryAdmin):
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


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "content_type", "size", "url", "letter_number", "letter_date"]
    readonly_fields = ["original_name", "content_type", "size"]
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["milestone", "status", "progress", "author", "created_at", "review_state"]
    list_filter = ["review_state", "status", "milestone__agency__category"]
    search_fields = ["milestone__title", "note", "author__username"]
    list_select_related = ["milestone", "author"]
    autocomplete_fields = ["milestone", "author", "reviewed_by"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline]
