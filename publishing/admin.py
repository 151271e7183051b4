from django.contrib import admin

from persian.admin import JalaliDatesAdminMixin

from .models import Bulletin, Erratum, GoalNarrative

# Read-only here: bulletins are drafted, published and corrected on the director-general's pages
# (publishing/services.py); publishing/rules.py denies add, change and delete in the admin.


class GoalNarrativeInline(admin.TabularInline):
    model = GoalNarrative
    extra = 0
    fields = ("goal", "done", "next", "obstacles")


class ErratumInline(admin.TabularInline):
    model = Erratum
    extra = 0
    fields = ("published_on", "text", "author")


@admin.register(Bulletin)
class BulletinAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "plan", "status", "published_on")
    list_filter = ("status",)
    inlines = [GoalNarrativeInline, ErratumInline]


@admin.register(GoalNarrative)
class GoalNarrativeAdmin(admin.ModelAdmin):
    list_display = ("bulletin", "goal")
    list_select_related = ("bulletin__round", "goal")


@admin.register(Erratum)
class ErratumAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = ("bulletin", "published_on")
    list_select_related = ("bulletin__round",)
