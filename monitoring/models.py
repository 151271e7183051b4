"""Agencies' websites, measured: where to look (sources), what each check found (one row per site per
run, kept as evidence), and the news items the feeds and sitemaps listed."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from persian.collation import sort_key
from persian.jalali import format_datetime


class WebsiteSource(models.Model):
    """Where an agency publishes its news besides its home page (Agency.website): feeds and a sitemap."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="website_source"
    )
    feed_urls = models.TextField(
        _("news feeds"),
        blank=True,
        help_text=_("RSS or Atom addresses, one per line (at most three)."),
    )
    sitemap_url = models.URLField(_("sitemap"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("website source")
        verbose_name_plural = _("website sources")
        ordering = ["agency__name"]

    def __str__(self):
        return str(self.agency)

    @property
    def feeds(self):
        return [line.strip() for line in self.feed_urls.splitlines() if line.strip()]


class Failure(models.TextChoices):
    """What went wrong, named for what it is (docs/monitoring.md)."""

    TIMEOUT = "timeout", _("Timed out")
    DNS = "dns", _("Name not found (DNS)")
    CONNECTION = "connection", _("Connection failed")
    TLS = "tls", _("Invalid TLS certificate")
    REDIRECT_LOOP = "redirect_loop", _("Redirect loop")
    TOO_MANY_REDIRECTS = "too_many_redirects", _("Too many redirects")
    TOO_LARGE = "too_large", _("Response too large")
    NOT_HTML = "not_html", _("Not a web page (content type)")
    CLIENT_ERROR = "client_error", _("Client error (4xx)")
    SERVER_ERROR = "server_error", _("Server error (5xx)")
    REFUSED = "refused", _("Refused: private or local address")
    BAD_URL = "bad_url", _("Not an http or https address")
    BAD_CONTENT = "bad_content", _("Unreadable or unsafe content")
    BUDGET = "budget", _("Not checked: the run's time budget was spent")
    ERROR = "error", _("Unexpected error")


class ContentSource(models.TextChoices):
    """Where the newest-content date came from, best first."""

    FEED = "feed", _("News feed")
    SITEMAP = "sitemap", _("Sitemap")
    PAGE = "page", _("Page date")
    PAGE_JALALI = "page_jalali", _("Page date (Solar Hijri)")
    LAST_MODIFIED = "last_modified", _("HTTP Last-Modified")


# Failures of our own making say nothing about the agency's site: left out of the reachable share.
NOT_THE_SITES_FAULT = (Failure.BUDGET, Failure.ERROR)


class WebsiteCheckQuerySet(models.QuerySet):
    def for_agency_history(self, agency):
        return self.filter(agency=agency).order_by("-checked_at", "-pk")

    def in_period(self, first_day, last_day):
        """Checks made on the local days first_day..last_day (inclusive)."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return self.filter(checked_at__gte=start, checked_at__lt=end)

    def counted_for_reachability(self):
        return self.exclude(failure__in=NOT_THE_SITES_FAULT)


class WebsiteCheck(models.Model):
    """One check of one agency's website in one run: the evidence of its freshness, never edited."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="website_checks"
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    url = models.URLField(_("address"), max_length=500)
    final_url = models.URLField(_("final address"), max_length=500, blank=True)
    reachable = models.BooleanField(_("reachable"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    tls_valid = models.BooleanField(_("valid TLS"), null=True, blank=True, help_text=_("Empty for plain http."))
    failure = models.CharField(_("failure"), max_length=20, choices=Failure, blank=True)
    failure_detail = models.CharField(_("failure detail"), max_length=300, blank=True)
    newest_content_date = models.DateField(_("newest content"), null=True, blank=True)
    newest_content_source = models.CharField(_("taken from"), max_length=20, choices=ContentSource, blank=True)
    news_7 = models.PositiveIntegerField(_("news in 7 days"), null=True, blank=True)
    news_30 = models.PositiveIntegerField(_("news in 30 days"), null=True, blank=True)
    news_90 = models.PositiveIntegerField(_("news in 90 days"), null=True, blank=True)
    # Every fetch of the check (home page, feeds, sitemaps): address, status, time, failure.
    details = models.JSONField(_("details"), default=list, blank=True)

    objects = WebsiteCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("website check")
        verbose_name_plural = _("website checks")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-checked_at"], name="check_agency_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(failure__in=[value for value, _label in Failure.choices]) | Q(failure=""),
                name="check_failure_known",
            ),
            models.CheckConstraint(
                condition=Q(reachable=False) | (Q(status_code__gte=200) & Q(status_code__lt=300)),
                name="check_reachable_has_2xx",
            ),
            models.CheckConstraint(
                condition=Q(news_7__isnull=True) | (Q(news_7__lte=F("news_30")) & Q(news_30__lte=F("news_90"))),
                name="check_news_counts_nested",
            ),
            models.CheckConstraint(
                condition=Q(newest_content_date__isnull=True) | ~Q(newest_content_source=""),
                name="check_date_has_source",
            ),
        ]

    def __str__(self):
        return f"{self.agency} · {format_datetime(self.checked_at)}"

    @property
    def days_since_update(self):
        if self.newest_content_date is None:
            return None
        return max(0, (timezone.localdate() - self.newest_content_date).days)


class NewsItem(models.Model):
    """A news item an agency's feed or sitemap listed; kept across checks, one row per address."""

    class Source(models.TextChoices):
        FEED = "feed", _("News feed")
        SITEMAP = "sitemap", _("Sitemap")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="news_items")
    url_hash = models.CharField(max_length=64, editable=False)  # sha256 of the address: a short unique key
    url = models.URLField(_("address"), max_length=1000)
    title = models.CharField(_("title"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"))
    source = models.CharField(_("source"), max_length=10, choices=Source)
    first_seen = models.ForeignKey(
        WebsiteCheck, verbose_name=_("first seen in"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["agency", "published_at"], name="newsitem_agency_published")]
        constraints = [models.UniqueConstraint(fields=["agency", "url_hash"], name="one_news_item_per_address")]

    def __str__(self):
        return self.title or self.url


# --- the screens' reads ----------------------------------------------------------------------


def latest_check_subquery(field="pk"):
    return Subquery(WebsiteCheck.objects.filter(agency=OuterRef("pk")).order_by("-checked_at", "-pk").values(field)[:1])


def agencies_with_latest_check(queryset=None):
    """Agencies, each with `latest` (its latest check, or None): two queries whatever their number."""
    queryset = (queryset if queryset is not None else Agency.objects.active()).select_related("county")
    agencies = list(queryset.annotate(latest_check_id=latest_check_subquery()))
    ids = [agency.latest_check_id for agency in agencies if agency.latest_check_id]
    checks = {check.pk: check for check in WebsiteCheck.objects.filter(pk__in=ids)}
    for agency in agencies:
        agency.latest = checks.get(agency.latest_check_id)
    return agencies


def is_stale(check, threshold_days):
    """A site is stale when its newest content is older than the threshold, unknown, or it was not reachable."""
    if check is None:
        return True
    days = check.days_since_update
    return not check.reachable or days is None or days > threshold_days


def staleness_key(agency):
    """Most stale first: unknown dates before old dates; sites never checked (or with no website) last."""
    check = agency.latest
    if check is None:
        return (2, 0, sort_key(agency.name))
    days = check.days_since_update
    if days is None:
        return (0, 0, sort_key(agency.name))
    return (1, -days, sort_key(agency.name))


def news_per_week(agency, first_day, last_day):
    """News items per week (weeks start on Saturday) from first_day to last_day: [(week's first day, count)]."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    week_start = first_day - datetime.timedelta(days=(first_day.weekday() - 5) % 7)  # Saturday on or before
    weeks = []
    day = week_start
    while day <= last_day:
        weeks.append(day)
        day += datetime.timedelta(days=7)
    counts = dict.fromkeys(weeks, 0)
    for published in agency.news_items.filter(published_at__gte=start, published_at__lt=end).values_list(
        "published_at", flat=True
    ):
        local = timezone.localtime(published).date()
        counts[week_start + datetime.timedelta(days=(local - week_start).days // 7 * 7)] += 1
    return list(counts.items())


def news_counts(agency, moment):
    """News items published in the 7, 30 and 90 days up to `moment` (one query)."""
    window = Q(news_items__published_at__lte=moment + datetime.timedelta(days=1))

    def since(days):
        return Count(
            "news_items", filter=window & Q(news_items__published_at__gt=moment - datetime.timedelta(days=days))
        )

    return Agency.objects.filter(pk=agency.pk if isinstance(agency, Agency) else agency).aggregate(
        news_7=since(7), news_30=since(30), news_90=since(90)
    )
