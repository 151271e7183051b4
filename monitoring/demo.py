"""The demo's website check history: daily checks of every demo agency's site since the start of 1405,
and the news items their feeds listed, made up without touching the network.

Each agency publishes at its own pace (some daily, some hardly ever, one site has been down for two
weeks), so the websites page, the panels and the evaluation's measured criteria show something true
to life at once. Idempotent: nothing is added if any check exists.
"""

import bisect
import datetime
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency

from .models import ContentSource, Failure, NewsItem, WebsiteCheck, WebsiteSource

FIRST_DAY = datetime.date(2026, 3, 21)  # 1 Farvardin 1405
WITHOUT_WEBSITE = {"labour", "veterinary", "dena-governorate"}  # left without an address, as some are
DOWN_FOR_TWO_WEEKS = "regional-water"
SITEMAP_ONLY = {"yu", "tax"}
HEADLINES = [
    "نشست خبری مدیرکل با اصحاب رسانه",
    "بازدید از طرح‌های عمرانی شهرستان",
    "برگزاری جلسه شورای اداری",
    "آغاز ثبت‌نام طرح حمایتی",
    "افتتاح طرح‌های هفته دولت",
    "پاسخگویی مدیران در میز خدمت",
    "برگزاری دوره آموزشی کارشناسان",
    "گزارش عملکرد فصلی به مردم",
]


def _at(day, rng):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 19), rng.choice([0, 30]))))


@transaction.atomic
def seed(stdout=None, today=None):
    if WebsiteCheck.objects.exists():
        if stdout is not None:
            stdout.write("Website checks: history already there, left unchanged")
        return
    today = today or timezone.localdate()
    rng = random.Random(1413)
    agencies = list(Agency.objects.active().order_by("code"))
    news, checks = [], []
    for agency in agencies:
        if agency.code in WITHOUT_WEBSITE:
            continue
        if not agency.website:
            agency.website = f"https://{agency.code}.kb-ostan.ir"
            agency.save(update_fields=["website"])
        sitemap_only = agency.code in SITEMAP_ONLY
        WebsiteSource.objects.get_or_create(
            agency=agency,
            defaults={
                "feed_urls": "" if sitemap_only else f"{agency.website}/fa/rss",
                "sitemap_url": f"{agency.website}/sitemap.xml" if sitemap_only else "",
            },
        )
        # News per week: most agencies publish now and then, a few every day, a few hardly ever.
        pace = rng.choice([0, 0.3, 1, 2, 2, 3, 4, 6, 10])
        published = []
        day = FIRST_DAY
        while day <= today:
            for _ in range(sum(rng.random() < pace / 7 for _trial in range(3))):
                published.append(_at(day, rng))
            day += datetime.timedelta(days=1)
        if pace == 0:  # a stale site: its last news is from last winter
            published = [_at(datetime.date(2026, 2, 10), rng)]
        source = NewsItem.Source.SITEMAP if sitemap_only else NewsItem.Source.FEED
        for index, moment in enumerate(published):
            url = f"{agency.website}/fa/news/{14050000 + index}"
            news.append(
                NewsItem(
                    agency=agency,
                    url_hash=hashlib.sha256(url.encode()).hexdigest(),
                    url=url,
                    title=rng.choice(HEADLINES),
                    published_at=moment,
                    source=source,
                )
            )
        dates = sorted(published)
        day = FIRST_DAY
        while day <= today:
            checked_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(2, 30)))
            down = (agency.code == DOWN_FOR_TWO_WEEKS and (today - day).days < 14) or rng.random() < 0.03
            seen = bisect.bisect_right(dates, checked_at)  # the items published by the check
            check = WebsiteCheck(
                agency=agency,
                checked_at=checked_at,
                url=agency.website,
                final_url=agency.website + "/fa/",
                reachable=not down,
                status_code=503 if down else 200,
                response_ms=rng.randint(180, 2400),
                tls_valid=True,
            )
            if down:
                check.failure = Failure.SERVER_ERROR
                check.failure_detail = "HTTP 503"
            elif seen:
                check.newest_content_date = timezone.localtime(dates[seen - 1]).date()
                check.newest_content_source = ContentSource.SITEMAP if sitemap_only else ContentSource.FEED
                check.news_7, check.news_30, check.news_90 = (
                    seen - bisect.bisect_right(dates, checked_at - datetime.timedelta(days=days))
                    for days in (7, 30, 90)
                )
            checks.append(check)
            day += datetime.timedelta(days=1)
    WebsiteCheck.objects.bulk_create(checks, batch_size=1000)
    NewsItem.objects.bulk_create(news, batch_size=1000)
    if stdout is not None:
        stdout.write(f"Website checks: {len(checks)} daily checks and {len(news)} news items since 1 Farvardin 1405")
