"""What the plan pages show of the website checks (registered in apps.py through plans.panels)."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
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


def bulletin_panel(request, *, plan, quarter):
    """Website freshness at the quarter's end, frozen with a quarterly bulletin (plans.panels screen
    "bulletin"): for each active agency with a website, its last check made by the quarter's last day,
    and how many days its newest content was old then. Plain values only (one query)."""
    last_day = quarter.bounds()[1]
    tz = timezone.get_current_timezone()
    until = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    checks = WebsiteCheck.objects.filter(agency=OuterRef("pk"), checked_at__lt=until).order_by("-checked_at", "-pk")
    rows = (
        Agency.objects.active()
        .exclude(website="")
        .annotate(
            checked=Exists(checks),
            reachable=Subquery(checks.values("reachable")[:1]),
            newest=Subquery(checks.values("newest_content_date")[:1]),
        )
        .order_by("name")
        .values_list("code", "name", "checked", "reachable", "newest")
    )
    threshold = settings.MONITORING_STALE_DAYS
    agencies = []
    for code, name, checked, reachable, newest in rows:
        days = max(0, (last_day - newest).days) if newest is not None else None
        fresh = bool(checked and reachable and days is not None and days <= threshold)
        agencies.append({"agency": code, "name": name, "checked": checked, "days": days, "fresh": fresh})
    if not agencies:
        return None
    return {
        "as_of": last_day.isoformat(),  # frozen as JSON: the day in both calendars, no date object
        "as_of_jalali": format_date(last_day, persian=True),
        "threshold": threshold,
        "sites": len(agencies),
        "fresh": sum(1 for row in agencies if row["fresh"]),
        "unchecked": sum(1 for row in agencies if not row["checked"]),
        "agencies": agencies,
    }
