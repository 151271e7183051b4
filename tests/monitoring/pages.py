"""Realistic pages, feeds and sitemaps of an Iranian agency's site, for the checker's tests and bench."""

import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

import jdatetime

MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
WEEKDAYS = ["دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه", "شنبه", "یکشنبه"]
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
HEADLINES = [
    "نشست خبری مدیرکل با اصحاب رسانه برگزار شد",
    "بازدید استاندار از طرح‌های عمرانی شهرستان دنا",
    "آغاز ثبت‌نام طرح حمایتی ویژه خانواده‌های کم‌برخوردار",
    "برگزاری دوره آموزشی کارشناسان روابط عمومی",
    "افتتاح سه طرح آبرسانی روستایی در گچساران",
    "جلسه شورای اداری استان با حضور مدیران کل",
    "پاسخ به پرسش‌های مردم در میز خدمت جمعه",
    "گزارش عملکرد شش‌ماهه به مردم ارائه شد",
]


def jalali_words(day, weekday=True):
    """«شنبه ۶ آذر ۱۴۰۵» as the site prints it."""
    j = jdatetime.date.fromgregorian(date=day)
    text = f"{j.day} {MONTHS[j.month - 1]} {j.year}".translate(FA)
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def jalali_numeric(day):
    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.year}/{j.month:02d}/{j.day:02d}".translate(FA)


def html_page(title, news=(), *, meta_date=None, feed_href=None, today_widget=None, filler=0):
    """An agency home page: header with today's date widget, a news list with Jalali dates, a footer
    with a phone number and postal code (which are not dates)."""
    head = [f"<title>{escape(title)}</title>", '<meta charset="utf-8">']
    if meta_date:
        head.append(f'<meta property="article:modified_time" content="{meta_date.isoformat()}">')
    if feed_href:
        head.append(f'<link rel="alternate" type="application/rss+xml" title="اخبار" href="{feed_href}">')
    items = "".join(
        f'<li class="news-item"><a href="/news/{index}">{escape(headline)}</a>'
        f' <span class="news-date">{escape(date_text)}</span></li>'
        for index, (headline, date_text) in enumerate(news)
    )
    widget = f'<div class="today-date">امروز: {escape(today_widget)}</div>' if today_widget else ""
    body_filler = "<p>" + ("روابط عمومی دستگاه در راستای اطلاع‌رسانی شفاف به مردم فعالیت می‌کند. " * filler) + "</p>"
    return (
        f'<!doctype html><html lang="fa" dir="rtl"><head>{"".join(head)}</head><body>'
        f'<header><nav><a href="/">صفحه اصلی</a> | <a href="/news">اخبار</a></nav>{widget}</header>'
        f'<main><h1>{escape(title)}</h1><ul class="news">{items}</ul>{body_filler}</main>'
        "<footer>تلفن: ۰۷۴-۳۳۲۲۱۴۰۵ · کد پستی ۷۵۹۱۸-۱۴۰۵۶ · قیمت اشتراک ۱,۴۰۵,۰۰۰ ریال</footer>"
        "</body></html>"
    ).encode()


def rss(base, items):
    """RSS 2.0: items are (title, path, aware datetime)."""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>{format_datetime(moment)}</pubDate></item>"
        for title, path, moment in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>اخبار</title>'
        f"<link>{base}/</link><description>اخبار دستگاه</description>{entries}</channel></rss>"
    ).encode()


def atom(base, items):
    entries = "".join(
        f'<entry><title>{escape(title)}</title><link href="{base}{path}"/><id>{base}{path}</id>'
        f"<updated>{moment.isoformat()}</updated><published>{moment.isoformat()}</published></entry>"
        for title, path, moment in items
    )
    updated = max((moment for _t, _p, moment in items), default=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>اخبار</title><id>{base}/</id><updated>{updated.isoformat()}</updated>{entries}</feed>"
    ).encode()


def sitemap(base, entries):
    """A sitemap: entries are (path, date or datetime)."""
    urls = "".join(f"<url><loc>{base}{path}</loc><lastmod>{when.isoformat()}</lastmod></url>" for path, when in entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def tiny_pdf():
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
