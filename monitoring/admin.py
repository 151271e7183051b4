from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from persian.admin import CheckedInputAdminMixin, PersianSearchAdminMixin
from persian.jalali import persian_is_active, to_persian_digits

from . import services
from .forms import WebsiteSourceAdminForm
from .models import NewsItem, WebsiteCheck, WebsiteSource


@admin.register(WebsiteSource)
class WebsiteSourceAdmin(PersianSearchAdminMixin, admin.ModelAdmin):
    """Feeds and sitemap per agency (the website itself is on the agency); saved through the one service."""

    form = WebsiteSourceAdminForm
    list_display = ["agency", "sitemap_url", "updated_at", "updated_by"]
    list_select_related = ["agency", "updated_by"]
    search_fields = ["agency__name", "agency__code"]
    autocomplete_fields = ["agency"]

    def get_readonly_fields(self, request, obj=None):
        return ["agency"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.save_sources(
            agency=obj.agency,
            website=obj.agency.website,
            feed_urls=obj.feeds,
            sitemap_url=obj.sitemap_url,
            by=request.user,
        )
        obj.pk = saved.pk


class ReadOnlyAdmin(CheckedInputAdminMixin, admin.ModelAdmin):
    """Checks are evidence: read in the admin, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebsiteCheck)
class WebsiteCheckAdmin(ReadOnlyAdmin):
    list_display = [
        "agency",
        "checked_at",
        "reachable",
        "status_code",
        "response_time",
        "tls_valid",
        "failure",
        "newest_content_date",
        "newest_content_source",
        "news_30",
    ]
    # checked_at is filtered by Jalali year and quarter (persian.admin.JalaliDateFilter, for every date filter).
    list_filter = ["checked_at", "reachable", "failure", "newest_content_source", "agency__county"]
    list_select_related = ["agency"]
    search_fields = ["agency__name", "agency__code", "url"]
    exclude = ["response_ms"]
    readonly_fields = ["response_time"]

    @admin.display(description=_("response time (s)"), ordering="response_ms")
    def response_time(self, obj):
        # In seconds (۲٫۰۸), easier to read than 2083 ms, and never mistaken for a year.
        if obj.response_ms is None:
            return "—"
        shown = f"{obj.response_ms / 1000:.2f}"
        return to_persian_digits(shown.replace(".", "٫")) if persian_is_active() else shown


@admin.register(NewsItem)
class NewsItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "published_at", "source"]
    list_filter = ["source"]
    list_select_related = ["agency"]
    search_fields = ["title", "url", "agency__name"]
