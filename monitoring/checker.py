"""The website check: every agency's site fetched within bounds, one WebsiteCheck row per site per run.

Network work runs in a few worker threads (one request at a time per host, fetch.HostLocks); the
rows are written by the calling thread as each site finishes, so the database sees one writer.
No failure stops the run: each site's failures are recorded as what they are and the run goes on.

The newest-content date is taken from the best source available, in this order: feed entries,
sitemap entries, the page's own dates (htmldate, then Jalali dates in the text), HTTP Last-Modified.
The news counts come from the feeds, or from the sitemap when no feed listed anything.
"""

import datetime
import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency

from . import parse
from .fetch import HTML_TYPES, XML_TYPES, Budget, FetchFailure, HostLocks, Policy, fetch, make_client
from .models import ContentSource, Failure, NewsItem, WebsiteCheck, WebsiteSource, news_counts

logger = logging.getLogger(__name__)
FEED_TYPES = XML_TYPES | HTML_TYPES  # feeds are often served as text/html; feedparser decides
MAX_CHILD_SITEMAPS = 2
FUTURE_SLACK = datetime.timedelta(days=1)  # a date further ahead than this is a site's mistake, not news


@dataclass(frozen=True)
class Target:
    agency_id: int
    website: str
    feeds: tuple = ()
    sitemap: str = ""


@dataclass
class SiteResult:
    target: Target
    checked_at: datetime.datetime
    reachable: bool = False
    status_code: int | None = None
    response_ms: int | None = None
    tls_valid: bool | None = None
    final_url: str = ""
    failure: str = ""
    failure_detail: str = ""
    newest_date: datetime.date | None = None
    newest_source: str = ""
    items: list = field(default_factory=list)  # [(parse.Item, NewsItem.Source)]
    counted: bool = False  # a feed or sitemap was read, so the news counts mean something
    details: list = field(default_factory=list)

    def note(self, kind, url, *, status=None, ms=None, failure="", detail="", **extra):
        self.details.append(
            {"kind": kind, "url": url[:500], "status": status, "ms": ms, "failure": failure, "detail": detail, **extra}
        )


def _fetch(result, kind, url, context, accept):
    try:
        fetched = fetch(context.client, url, accept=accept, **context.bounds)
    except FetchFailure as failure:
        result.note(
            kind, url, status=failure.status, ms=failure.elapsed_ms, failure=failure.kind, detail=failure.detail
        )
        if failure.kind == Failure.BUDGET:
            raise
        return None, failure
    result.note(kind, url, status=fetched.status, ms=fetched.elapsed_ms, final_url=fetched.url)
    return fetched, None


@dataclass
class Context:
    client: object
    policy: Policy
    budget: Budget
    locks: HostLocks

    @property
    def bounds(self):
        return {"policy": self.policy, "budget": self.budget, "locks": self.locks}


def check_site(target, context, *, now=None):
    """Check one site; never raises (an unexpected error is recorded as one)."""
    now = now or timezone.now()
    result = SiteResult(target=target, checked_at=now)
    try:
        _check(result, target, context, now)
    except FetchFailure as failure:  # the budget ran out part-way
        if not result.failure and result.status_code is None:
            result.failure, result.failure_detail = failure.kind, failure.detail
    except Exception as exc:  # one site's surprise must not stop the run (logged)
        logger.exception("website check of %s failed", target.website)
        result.failure, result.failure_detail = Failure.ERROR, f"{type(exc).__name__}: {exc}"[:300]
        result.reachable = False
    return result


def _check(result, target, context, now):
    today = timezone.localdate(now)
    latest_allowed = now + FUTURE_SLACK
    home, failure = _fetch(result, "home", target.website, context, HTML_TYPES)
    tree = None
    if failure is not None:
        result.failure, result.failure_detail = failure.kind, failure.detail
        result.status_code, result.response_ms, result.tls_valid = failure.status, failure.elapsed_ms, failure.tls_valid
        result.final_url = failure.url
        # A page that answered 2xx but is not HTML (a PDF, 50 MB) is reachable, just not measurable.
        result.reachable = failure.status is not None and 200 <= failure.status < 300
    else:
        result.status_code, result.response_ms, result.tls_valid = home.status, home.elapsed_ms, home.tls_valid
        result.final_url, result.reachable = home.url, True
        try:
            tree = parse.parse_html(home.body, home.headers.get("content-type", ""))
        except parse.Unreadable as exc:
            result.failure, result.failure_detail = exc.kind, exc.detail

    feeds = list(target.feeds)
    if not feeds and tree is not None:
        discovered = parse.discover_feed(tree, home.url)
        if discovered:
            feeds.append(discovered)
            result.note("feed_discovered", discovered)

    feed_items, feed_read = [], False
    for url in feeds:
        fetched, _failure = _fetch(result, "feed", url, context, FEED_TYPES)
        if fetched is None:
            continue
        try:
            items = parse.feed_items(fetched.body, fetched.url)
        except parse.Unreadable as exc:
            result.details[-1].update(failure=exc.kind, detail=exc.detail)
            continue
        feed_read = True
        feed_items += [item for item in items if item.published <= latest_allowed]

    sitemap_items, sitemap_read = [], False
    if target.sitemap:
        queue, visited = [target.sitemap], 0
        while queue and visited <= MAX_CHILD_SITEMAPS:
            url = queue.pop(0)
            visited += 1
            fetched, _failure = _fetch(result, "sitemap", url, context, XML_TYPES)
            if fetched is None:
                continue
            try:
                items, children = parse.sitemap_entries(fetched.body)
            except parse.Unreadable as exc:
                result.details[-1].update(failure=exc.kind, detail=exc.detail)
                continue
            sitemap_read = True
            sitemap_items += [item for item in items if item.published <= latest_allowed]
            queue += children[:MAX_CHILD_SITEMAPS]

    # The newest content, best source first.
    if feed_items:
        result.newest_date, result.newest_source = _day(max(i.published for i in feed_items)), ContentSource.FEED
    elif sitemap_items:
        result.newest_date = _day(max(i.published for i in sitemap_items))
        result.newest_source = ContentSource.SITEMAP
    if result.newest_date is None and tree is not None:
        date, reader = parse.page_dates(tree, home.url, today)
        if date is not None:
            result.newest_date = date
            result.newest_source = ContentSource.PAGE_JALALI if reader == "page_jalali" else ContentSource.PAGE
    if result.newest_date is None and home is not None:
        modified = parse.last_modified(home.headers)
        if modified is not None and modified <= latest_allowed:
            result.newest_date, result.newest_source = _day(modified), ContentSource.LAST_MODIFIED
    if result.newest_date is not None and result.newest_date > today:
        result.newest_date = today

    # The news counted: the feeds', or the sitemap's when no feed listed anything.
    if feed_items or (feed_read and not sitemap_items):
        result.items, result.counted = [(item, NewsItem.Source.FEED) for item in feed_items], True
    elif sitemap_read:
        result.items, result.counted = [(item, NewsItem.Source.SITEMAP) for item in sitemap_items], True


def _day(moment):
    return timezone.localtime(moment).date()


def _hash(url):
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def save_result(result):
    """Write one site's check row and the news items it saw (new addresses only)."""
    check = WebsiteCheck.objects.create(
        agency_id=result.target.agency_id,
        checked_at=result.checked_at,
        url=result.target.website[:500],
        final_url=result.final_url[:500],
        reachable=result.reachable and result.status_code is not None and 200 <= result.status_code < 300,
        status_code=result.status_code if result.status_code and 100 <= result.status_code <= 999 else None,
        response_ms=result.response_ms,
        tls_valid=result.tls_valid,
        failure=result.failure,
        failure_detail=result.failure_detail[:300],
        newest_content_date=result.newest_date,
        newest_content_source=result.newest_source if result.newest_date else "",
        details=result.details,
    )
    if result.items:
        NewsItem.objects.bulk_create(
            [
                NewsItem(
                    agency_id=result.target.agency_id,
                    url_hash=_hash(item.url),
                    url=item.url,
                    title=item.title,
                    published_at=item.published,
                    source=source,
                    first_seen=check,
                )
                for item, source in result.items
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
    if result.counted:
        counts = news_counts(result.target.agency_id, result.checked_at)
        WebsiteCheck.objects.filter(pk=check.pk).update(**counts)
        for name, value in counts.items():
            setattr(check, name, value)
    return check


def targets_for(agencies):
    """What to check for each agency with a website (two queries)."""
    sources = {source.agency_id: source for source in WebsiteSource.objects.filter(agency__in=[a.pk for a in agencies])}
    targets = []
    for agency in agencies:
        if not agency.website:
            continue
        source = sources.get(agency.pk)
        targets.append(
            Target(
                agency_id=agency.pk,
                website=agency.website,
                feeds=tuple(source.feeds) if source else (),
                sitemap=source.sitemap_url if source else "",
            )
        )
    return targets


@dataclass
class RunSummary:
    checks: list
    seconds: float

    @property
    def failures(self):
        counts = {}
        for check in self.checks:
            if check.failure:
                counts[check.failure] = counts.get(check.failure, 0) + 1
        return counts


def run_checks(agencies=None, *, policy=None, budget_seconds=None, workers=None):
    """Check every given agency's website (default: every active agency with one) and record the rows."""
    started = time.monotonic()
    agencies = list(agencies if agencies is not None else Agency.objects.active().order_by("name"))
    targets = targets_for(agencies)
    policy = policy or Policy.from_settings()
    budget = Budget(settings.MONITORING_RUN_BUDGET if budget_seconds is None else budget_seconds)
    workers = max(1, workers or settings.MONITORING_WORKERS)
    checks = []
    with make_client(policy) as client:
        context = Context(client=client, policy=policy, budget=budget, locks=HostLocks())
        if workers == 1:
            results = (check_site(target, context) for target in targets)
            for result in results:
                checks.append(save_result(result))
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="website-check") as pool:
                futures = [pool.submit(check_site, target, context) for target in targets]
                for future in as_completed(futures):
                    checks.append(save_result(future.result()))
    return RunSummary(checks=checks, seconds=time.monotonic() - started)
