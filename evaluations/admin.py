from django.contrib import admin

from persian.admin import JalaliDatesAdminMixin

# Who may add, change or delete what here (a locked round, results, corrections) is decided in
# evaluations/rules.py; Django's admin asks it through user.has_perm.
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
class CriterionAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = ("name", "weight", "order", "is_active")
    list_editable = ("weight", "order", "is_active")
    inlines = [SubCriterionInline]


class RoundSubCriterionInline(admin.TabularInline):
    model = RoundSubCriterion
    form = ScaledItemAdminForm
    extra = 0

    # `obj` is the round's criterion (the inline's parent); the rules decide.
    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("evaluations.add_roundsubcriterion", obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("evaluations.change_roundsubcriterion", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("evaluations.delete_roundsubcriterion", obj)


@admin.register(RoundCriterion)
class RoundCriterionAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    """A round's copy of the rubric: adjustable while the round is open, fixed once scoring has closed."""

    list_display = ("name", "round", "weight", "order")
    list_filter = ("round",)
    inlines = [RoundSubCriterionInline]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("evaluations.change_roundcriterion", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("evaluations.delete_roundcriterion", obj)


@admin.register(Round)
class RoundAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.is_locked:
            # A locked round's settings are part of its frozen snapshot.
            fields += ["deadline", "execution_weight", "excellent_from", "active_from", "semi_active_from"]
        return fields


@admin.register(RoundResult)
class RoundResultAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    """Read-only: a locked result changes only through a correction with a reason (on the results page)."""

    list_display = ("agency", "round", "rank", "final_score", "council_score", "execution_score", "tier")
    list_filter = ("round", "tier")


@admin.register(Correction)
class CorrectionAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = ("result", "author", "created_at", "reason")


@admin.register(MeasureOverride)
class MeasureOverrideAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    """Read-only (evaluations/rules.py): overrides are recorded on the round's measured-criteria page, with a reason."""

    list_display = ("round", "agency", "sub_criterion", "measured_value", "before", "percent", "author", "created_at")
    list_filter = ("round",)
    list_select_related = ("round", "agency", "sub_criterion", "author")
