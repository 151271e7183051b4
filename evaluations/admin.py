from django.contrib import admin

from .forms import ScaledItemAdminForm
from .models import (
    Correction,
    Criterion,
    MeasureOverride,
    Round,
    RoundCriterion,
    RoundResult,
    RoundSubCriterion,
    SubCriterion,
)


class SubCriterionInline(admin.TabularInline):
    model = SubCriterion
    form = ScaledItemAdminForm
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "weight", "order", "is_active")
    list_editable = ("weight", "order", "is_active")
    inlines = [SubCriterionInline]


class RoundSubCriterionInline(admin.TabularInline):
    model = RoundSubCriterion
    form = ScaledItemAdminForm
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.round.is_open

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.round.is_open

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.round.is_open


@admin.register(RoundCriterion)
class RoundCriterionAdmin(admin.ModelAdmin):
    """A round's copy of the rubric: adjustable while the round is open, fixed once scoring has closed."""

    list_display = ("name", "round", "weight", "order")
    list_filter = ("round",)
    inlines = [RoundSubCriterionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.round.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.round.is_open:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Rounds are opened, closed and locked on the evaluation pages; here only the deadline and settings."""

    list_display = (
        "__str__",
        "status",
        "deadline",
        "execution_weight",
        "excellent_from",
        "active_from",
        "semi_active_from",
    )
    list_filter = ("status", "year")
    readonly_fields = ("year", "quarter", "status", "opened_by", "opened_at", "closed_at", "locked_at")

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.is_locked:
            # A locked round's settings are part of its frozen snapshot.
            fields += ["deadline", "execution_weight", "excellent_from", "active_from", "semi_active_from"]
        return fields


@admin.register(RoundResult)
class RoundResultAdmin(admin.ModelAdmin):
    """Read-only: a locked result changes only through a correction with a reason (on the results page)."""

    list_display = ("agency", "round", "rank", "final_score", "council_score", "execution_score", "tier")
    list_filter = ("round", "tier")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("result", "author", "created_at", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeasureOverride)
class MeasureOverrideAdmin(admin.ModelAdmin):
    """Read-only: overrides are recorded on the round's measured-criteria page, with a reason."""

    list_display = ("round", "agency", "sub_criterion", "measured_value", "before", "percent", "author", "created_at")
    list_filter = ("round",)
    list_select_related = ("round", "agency", "sub_criterion", "author")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
