"""What the plan pages show of the website checks (registered in apps.py through plans.panels)."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from agencies.models import Agency
from persian.jalali import Quarter, format_date

from .models import WebsiteCheck, is_stale, latest_check_subquery, news_per_week


def dashboard_panel(request, *, plan):
    """The number of stale sites among the active agencies with a website (one query)."""
    today = timezone.localdate()
    threshold = settings.MONITORING_STALE_DAYS
    rows = (
        Agency.objects.active()
        .exclude(website="")
        .annotate(
            checked=Exists(WebsiteCheck.objects.filter(agency=OuterRef("pk"))),
            latest_reachable=latest_check_subquery("reachable"),
            latest_date=latest_check_subquery("newest_content_date"),
        )
        .values_list("checked", "latest_reachable", "latest_date")
    )
    sites = stale = unchecked = 0
    for checked, reachable, newest in rows:
        sites += 1
        if not checked:
            unchecked += 1
        elif not reachable or newest is None or (today - newest).days > threshold:
            stale += 1
    return {"sites": sites, "stale": stale, "unchecked": unchecked, "threshold": threshold}


def agency_panel(request, *, plan, agency):
    """Last update, news counts, news per week over the quarter, the last check (two queries)."""
    check = WebsiteCheck.objects.for_agency_history(agency).first()
    if check is None and not agency.website:
        return {"agency": agency, "check": None, "no_website": True}
    today = timezone.localdate()
    first, last = Quarter.containing(today).bounds()
    weeks = news_per_week(agency, first, min(last, today))
    threshold = settings.MONITORING_STALE_DAYS
    return {
        "agency": agency,
        "check": check,
        "no_website": False,
        "stale": is_stale(check, threshold),
        "threshold": threshold,
        "quarter": Quarter.containing(today),
        "chart": {
            "labels": [format_date(week) for week, _count in weeks],
            "values": [count for _week, count in weeks],
        },
    }
