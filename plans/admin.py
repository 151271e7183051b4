from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
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
from persian.admin import CheckedInputAdminMixin, JalaliDateFilter, JalaliDatesAdminMixin, JalaliHistoryAdminMixin
from persian.forms import PersianIntegerField
from persian.jalali import FIRST_YEAR, LAST_YEAR, to_persian_digits

from .forms import NOT_A_STATUS
from .models import Evidence, Goal, Milestone, ProgressUpdate, Status, StrategicPlan
from .services import (
    DONE_NEEDS_EVIDENCE,
    NO_VERSION_COLUMN,
    STALE_MILESTONE,
    STALE_MILESTONE_ROW,
    STATUS_ONLY_BY_REPORT,
    StaleEdit,
    describe_changes,
    lock_milestone_for_edit,
)

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
    # The version the exported row had: read back to refuse a stale file, never written.
    version = fields.Field(attribute="version", column_name="version", widget=IntegerWidget(min_value=1), readonly=True)

    class Meta(CouncilResource.Meta):
        model = Milestone
        fields = (
            "id",
            "goal",
            "agency",
            "title",
            "target",
            "start_date",
            "due_date",
            "weight",
            "status",
            "progress",
            "version",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("goal", "agency")

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is None:
            return None
        # Locked until the import's transaction ends: a report cannot slip in between check and save.
        return Milestone.objects.select_for_update(of=("self",)).select_related("goal", "agency").get(pk=instance.pk)

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        instance._imported_over = None if new else (instance.status, instance.progress)

    def import_instance(self, instance, row, **kwargs):
        """Status and progress are the reports' (an existing row's may not change, a new row cannot be
        done without evidence); an existing row is checked against the version its export had."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        before = getattr(instance, "_imported_over", None)
        if before is None:
            if instance.status == Status.DONE:
                errors.setdefault("status", []).append(ValidationError(DONE_NEEDS_EVIDENCE))
        else:
            errors.update(self._stale_or_status_errors(instance, before, row))
        if errors:
            raise ValidationError(errors)

    def _stale_or_status_errors(self, instance, before, row):
        field = self.fields["version"]
        try:
            seen = field.clean(row) if field.column_name in row else None
        except ValueError as exc:
            return {"version": [ValidationError(str(exc))]}
        if seen is None:  # no version column, or an empty cell
            return {"version": [ValidationError(NO_VERSION_COLUMN)]}
        try:
            lock_milestone_for_edit(instance.pk, seen)
        except StaleEdit as stale:
            return {"version": [ValidationError(STALE_MILESTONE_ROW % {"changes": describe_changes(stale)})]}
        if (instance.status, instance.progress) != before:
            status, progress = before
            message = STATUS_ONLY_BY_REPORT % {
                "status": dict(Status.choices).get(status, status),
                "progress": to_persian_digits(progress),
            }
            return {"status": [ValidationError(message)]}
        return {}


class GoalInline(CheckedInputAdminMixin, admin.TabularInline):
    model = Goal
    fields = ["number", "title", "weight", "owner"]
    autocomplete_fields = ["owner"]
    extra = 0


class MilestoneAdminForm(forms.ModelForm):
    """The admin's milestone form (the change page and the goal page's inline): plan fields only; status and
    progress are shown, never posted. The version the form was opened at travels in a hidden field and is
    checked under the row lock, so a report accepted since is never overwritten (services.lock_milestone_for_edit).
    """

    seen_version = PersianIntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version

    def has_changed(self):
        return any(name != "seen_version" for name in self.changed_data)

    def clean(self):
        cleaned_data = super().clean()
        # Django runs the admin's change view in a transaction, so the lock holds until the save.
        if self.instance.pk is not None and self.has_changed():
            try:
                lock_milestone_for_edit(self.instance.pk, cleaned_data.get("seen_version"))
            except StaleEdit as stale:
                raise ValidationError(STALE_MILESTONE % {"changes": describe_changes(stale)}, code="stale") from None
        return cleaned_data


class MilestoneInline(JalaliDatesAdminMixin, admin.TabularInline):
    """What a director sets up from the goal page; the table scrolls inside its box at 1366 px (admin.css)."""

    model = Milestone
    form = MilestoneAdminForm
    fields = ["agency", "title", "start_date", "due_date", "weight", "status", "progress", "seen_version"]
    readonly_fields = ["status", "progress"]
    autocomplete_fields = ["agency"]
    show_change_link = True
    extra = 0


@admin.register(StrategicPlan)
class StrategicPlanAdmin(JalaliHistoryAdminMixin, JalaliDatesAdminMixin, CouncilImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [StrategicPlanResource]
    list_display = ["title", "year", "status", "is_public"]
    list_filter = ["status", "is_public", "year"]
    search_fields = ["title"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(JalaliHistoryAdminMixin, JalaliDatesAdminMixin, CouncilImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [GoalResource]
    list_display = ["number", "title", "plan", "weight", "owner"]
    list_display_links = ["number", "title"]
    list_filter = ["plan"]
    search_fields = ["title", "description"]
    list_select_related = ["plan", "owner"]
    autocomplete_fields = ["owner"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(JalaliHistoryAdminMixin, JalaliDatesAdminMixin, CouncilImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [MilestoneResource]
    list_display = ["title", "goal", "agency", "due_date", "status", "progress", "weight"]
    list_filter = [("due_date", JalaliDateFilter), "status", "goal__plan", "agency__category", "agency__county", "goal"]
    search_fields = ["title", "agency__name", "agency__code", "goal__title"]
    list_select_related = ["goal", "agency"]
    autocomplete_fields = ["goal", "agency"]
    form = MilestoneAdminForm
    # Status and progress move through reports (and the plan editor's versioned actions) only.
    readonly_fields = ["status", "progress"]
    fields = ["goal", "agency", "title", "description", "target", "start_date", "due_date", "weight"]

    def get_fields(self, request, obj=None):
        return [*self.fields, *self.readonly_fields, "seen_version"]

    def revert_disabled(self, request, obj=None):
        return True  # going back to an old version would write status and progress around the reports

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # the page shows a past version; nothing is restored from it
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin:
    """Shown, never written here: progress reports and their evidence are written by report_progress and
    reviewed by review_progress_update (the review queue), which keep the milestone and the figures in step."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceInline(ReadOnlyAdminMixin, JalaliDatesAdminMixin, admin.TabularInline):
    model = Evidence
    fields = ["original_name", "content_type", "size", "url", "letter_number", "letter_date"]
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdminMixin, JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = ["milestone", "status", "progress", "author", "created_at", "review_state"]
    list_filter = [("created_at", JalaliDateFilter), "review_state", "status", "milestone__agency__category"]
    search_fields = ["milestone__title", "note", "author__username"]
    list_select_related = ["milestone", "author"]
    inlines = [EvidenceInline]
