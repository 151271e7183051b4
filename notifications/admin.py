"""The director-general's side: the holiday table (editable), and the chase's history and message log (read-only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from persian.admin import JalaliDatesAdminMixin, PersianSearchAdminMixin
from persian.jalali import format_date, format_datetime

from .models import Digest, Escalation, Holiday, Message, Notification, ScheduledRun


@admin.register(Holiday)
class HolidayAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = ["jalali_date", "weekday", "name", "kind", "confirmed"]
    list_display_links = ["jalali_date", "name"]
    list_filter = ["confirmed", "kind"]
    list_editable = ["confirmed"]
    search_fields = ["name"]
    ordering = ["date"]

    @admin.display(description=_("date"), ordering="date")
    def jalali_date(self, obj):
        return format_date(obj.date)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        import jdatetime

        return jdatetime.date.fromgregorian(date=obj.date, locale=jdatetime.FA_LOCALE).strftime("%A")


class ReadOnlyAdmin(PersianSearchAdminMixin, admin.ModelAdmin):
    """Written by the reminder run and the review events; read here, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["agency", "jalali_day", "due_count", "overdue_count", "returned_count", "recipient_count"]
    list_filter = ["day"]
    search_fields = ["agency__name", "agency__code"]
    list_select_related = ["agency"]

    @admin.display(description=_("day"), ordering="day")
    def jalali_day(self, obj):
        return format_date(obj.day)


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["agency", "jalali_day", "overdue_count", "silent", "waiting_count"]
    list_filter = ["day", "silent"]
    search_fields = ["agency__name", "agency__code"]
    list_select_related = ["agency"]

    @admin.display(description=_("day"), ordering="day")
    def jalali_day(self, obj):
        return format_date(obj.day)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipient", "channel", "status", "attempts", "jalali_sent_at"]
    list_filter = ["status", "channel", "kind", "day"]
    search_fields = ["subject", "recipient__username", "key"]
    list_select_related = ["recipient"]
    exclude = ["key"]  # the reminder run's internal de-duplication key (it holds an ISO date)

    @admin.display(description=_("sent at"), ordering="sent_at")
    def jalali_sent_at(self, obj):
        return format_datetime(obj.sent_at) if obj.sent_at else "—"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "agency", "jalali_created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "key"]
    list_select_related = ["recipient", "agency"]
    exclude = ["key"]  # internal de-duplication key, as on messages

    @admin.display(description=_("created at"), ordering="created_at")
    def jalali_created_at(self, obj):
        return format_datetime(obj.created_at)


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "day", "enqueued_at", "task_id"]
    list_filter = ["name"]
