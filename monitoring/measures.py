"""The website measures the quarterly evaluation can score (registered in apps.py).

Each reads the quarter's check history (WebsiteCheck rows, NewsItem rows), one query per measure for
all agencies. An agency with nothing measured gets None: the sub-criterion is N/A for it (left out,
never counted as zero) unless the director-general overrides it with a reason.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.measures import Measure

from .models import NewsItem, WebsiteCheck


def _end_of(day):
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def reachable_share(quarter, agency_ids):
    """Percent of the quarter's checks that found the site reachable (checks cut short by our own
    time budget or an error of ours are left out)."""
    first, last = quarter.bounds()
    rows = (
        WebsiteCheck.objects.in_period(first, last)
        .counted_for_reachability()
        .filter(agency_id__in=agency_ids)
        .values("agency_id")
        .annotate(total=Count("pk"), up=Count("pk", filter=Q(reachable=True)))
        .order_by()
    )
    return {row["agency_id"]: Decimal(row["up"] * 100) / row["total"] for row in rows}


def days_since_update(quarter, agency_ids):
    """Days from the newest content known at the quarter's end to that end (0 if updated on the last day)."""
    _first, last = quarter.bounds()
    rows = (
        WebsiteCheck.objects.filter(agency_id__in=agency_ids, checked_at__lt=_end_of(last))
        .exclude(newest_content_date=None)
        .values("agency_id")
        .annotate(newest=Max("newest_content_date"))
        .order_by()
    )
    return {row["agency_id"]: Decimal(max(0, (last - min(row["newest"], last)).days)) for row in rows}


def news_in_quarter(quarter, agency_ids):
    """News items published within the quarter, for agencies whose feed or sitemap has been read
    (in the quarter or since); others are not measured."""
    first, last = quarter.bounds()
    start = _end_of(first - datetime.timedelta(days=1))
    counted = set(
        WebsiteCheck.objects.filter(agency_id__in=agency_ids, checked_at__gte=start, news_90__isnull=False)
        .values_list("agency_id", flat=True)
        .distinct()
    )
    items = dict(
        NewsItem.objects.filter(agency_id__in=counted, published_at__gte=start, published_at__lt=_end_of(last))
        .values("agency_id")
        .annotate(count=Count("pk"))
        .values_list("agency_id", "count")
        .order_by()
    )
    return {agency_id: Decimal(items.get(agency_id, 0)) for agency_id in counted}


MEASURES = [
    Measure(
        "website_reachable_share",
        _("Website reachable, as a percentage of the quarter's checks"),
        _("percent"),
        reachable_share,
        zero_at=Decimal(50),
        full_at=Decimal(100),
    ),
    Measure(
        "website_days_since_update",
        _("Days since the website's last update, at the quarter's end"),
        _("days"),
        days_since_update,
        zero_at=Decimal(90),
        full_at=Decimal(7),
    ),
    Measure(
        "website_news_items",
        _("News items published in the quarter"),
        _("news items"),
        news_in_quarter,
        zero_at=Decimal(0),
        full_at=Decimal(12),
    ),
]
