from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ImportExportMixin
from import_export.widgets import ForeignKeyWidget
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import Agency

from .models import Goal, Milestone, ProgressUpdate, StrategicPlan


class StrategicPlanResource(resources.ModelResource):
    class Meta:
        model = StrategicPlan
        fields = ("id", "title", "year", "status", "is_public", "description")
        clean_model_instances = True
        skip_unchanged = True


class GoalResource(resources.ModelResource):
    owner = fields.Field(attribute="owner", column_name="owner", widget=ForeignKeyWidget(Agency, field="code"))

    class Meta:
        model = Goal
        fields = ("id", "plan", "number", "title", "description", "weight", "owner")
        clean_model_instances = True
        skip_unchanged = True


class MilestoneResource(resources.ModelResource):
    agency = fields.Field(attribute="agency", column_name="agency", widget=ForeignKeyWidget(Agency, field="code"))

    class Meta:
        model = Milestone
        fields = ("id", "goal", "agency", "title", "target", "start_date", "due_date", "weight", "status", "progress")
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return super().get_queryset().select_related("goal", "agency")


class GoalInline(admin.TabularInline):
    model = Goal
    fields = ["number", "title", "weight", "owner"]
    autocomplete_fields = ["owner"]
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["agency", "title", "start_date", "due_date", "weight", "status", "progress"]
    autocomplete_fields = ["agency"]
    extra = 0


@admin.register(StrategicPlan)
class StrategicPlanAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [StrategicPlanResource]
    list_display = ["title", "year", "status", "is_public"]
    list_filter = ["status", "is_public", "year"]
    search_fields = ["title"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [GoalResource]
    list_display = ["number", "title", "plan", "weight", "owner"]
    list_display_links = ["number", "title"]
    list_filter = ["plan"]
    search_fields = ["title", "description"]
    list_select_related = ["plan", "owner"]
    autocomplete_fields = ["owner"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [MilestoneResource]
    list_display = ["title", "goal", "agency", "due_date", "status", "progress", "weight"]
    list_filter = ["status", "goal__plan", "agency__category", "agency__county", "goal"]
    search_fields = ["title", "agency__name", "agency__code", "goal__title"]
    list_select_related = ["goal", "agency"]
    autocomplete_fields = ["goal", "agency"]
    date_hierarchy = "due_date"
    readonly_fields = ["version"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["milestone", "status", "progress", "author", "created_at", "review_state"]
    list_filter = ["review_state", "status", "milestone__agency__category"]
    search_fields = ["milestone__title", "note", "author__username"]
    list_select_related = ["milestone", "author"]
    autocomplete_fields = ["milestone", "author", "reviewed_by"]
    date_hierarchy = "created_at"
