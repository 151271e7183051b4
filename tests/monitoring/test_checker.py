"""The website check against real HTTP servers on 127.0.0.1: each case recorded as what it is.

One run covers a fresh page with a Jalali date, a stale page, an RSS feed with 9 items in the last 30 days,
an Atom feed, a sitemap, a 500, a response slower than the timeout, a redirect loop, a 50 MB body, a PDF
as the home page and an invalid TLS certificate; the run ends within its budget and no failure stops it.
"""

import datetime
import ssl
import time

import pytest
import trustme
from django.utils import timezone
from werkzeug import Response

from monitoring.checker import run_checks
from monitoring.models import ContentSource, Failure, NewsItem, WebsiteCheck, WebsiteSource
from tests import factories
from tests.monitoring import pages

pytestmark = pytest.mark.django_db(transaction=False)

NOW = timezone.now()
TODAY = timezone.localdate()


def days_ago(days, hour=9):
    local = timezone.localtime(NOW) - datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def agency_for(server, path, *, feeds=(), sitemap="", code=None):
    agency = factories.AgencyFactory(website=server.url_for(path), **({"code": code} if code else {}))
    if feeds or sitemap:
        WebsiteSource.objects.create(
            agency=agency, feed_urls="\n".join(server.url_for(feed) for feed in feeds), sitemap_url=sitemap
        )
    return agency


def serve(server, path, body, content_type="text/html; charset=utf-8", status=200, headers=None):
    server.expect_request(path).respond_with_data(body, status=status, content_type=content_type, headers=headers)


def latest(agency):
    return WebsiteCheck.objects.filter(agency=agency).latest("checked_at")


@pytest.fixture
def tls_site():
    """An https server whose certificate comes from a CA nobody trusts."""
    from pytest_httpserver import HTTPServer

    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context, threaded=True)
    server.start()
    server.ca = ca
    yield server
    server.clear()
    server.stop()


def test_one_run_records_every_case_as_what_it_is(site, tls_site, settings):
    settings.MONITORING_RUN_BUDGET = 20
    base = site.url_for("").rstrip("/")
    fresh_day = TODAY - datetime.timedelta(days=2)
    # Fresh: only Jalali dates (htmldate cannot read them), plus today's date in the header widget,
    # a phone number and a postal code that must not count.
    serve(
        site,
        "/fresh/",
        pages.html_page(
            "اداره کل فرهنگ و ارشاد",
            [(pages.HEADLINES[0], pages.jalali_words(fresh_day)), (pages.HEADLINES[1], "۱۴۰۴/۱۱/۲۰")],
            today_widget=pages.jalali_words(TODAY),
        ),
    )
    # Stale: last modified more than a year ago, said in a Gregorian meta tag; news dated in Jalali too.
    stale_day = datetime.date(2025, 6, 10)
    serve(
        site,
        "/stale/",
        pages.html_page(
            "شرکت آب منطقه‌ای", [(pages.HEADLINES[2], pages.jalali_numeric(stale_day))], meta_date=stale_day
        ),
    )
    # RSS: 12 items, 9 within the last 30 days (2 within 7), 3 older.
    rss_ages = [1, 5, 9, 12, 15, 19, 22, 26, 29, 40, 65, 120]
    serve(site, "/rss/", pages.html_page("دانشگاه علوم پزشکی", []))
    serve(
        site,
        "/rss/feed.xml",
        pages.rss(base, [(f"خبر {age}", f"/rss/news/{age}", days_ago(age)) for age in rss_ages]),
        "application/rss+xml; charset=utf-8",
    )
    # Atom, 3 entries.
    serve(site, "/atom/", pages.html_page("بهزیستی", []))
    serve(
        site,
        "/atom/feed.atom",
        pages.atom(base, [(f"خبر {age}", f"/atom/{age}", days_ago(age)) for age in (3, 33, 80)]),
        "application/atom+xml",
    )
    # Sitemap, no feed: 4 entries.
    serve(site, "/sitemap-site/", pages.html_page("جهاد کشاورزی", []))
    serve(
        site,
        "/sitemap-site/sitemap.xml",
        pages.sitemap(base, [(f"/s/{age}", TODAY - datetime.timedelta(days=age)) for age in (6, 8, 45, 200)]),
        "application/xml",
    )
    serve(site, "/error/", "خطای سرور", status=500)
    serve(site, "/missing/", "پیدا نشد", status=404)

    def slow(request):
        time.sleep(2.5)  # the test settings' read timeout is 1 s
        return Response("دیر", content_type="text/html")

    site.expect_request("/slow/").respond_with_handler(slow)
    site.expect_request("/loop/a").respond_with_data("", status=302, headers={"Location": "/loop/b"})
    site.expect_request("/loop/b").respond_with_data("", status=302, headers={"Location": "/loop/a"})

    def huge(request):
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        return Response(
            (chunk for _ in range(800)),
            content_type="text/html",
            headers={"Content-Length": str(len(chunk) * 800)},
        )

    def endless(request):  # no Content-Length: the reader must stop by itself
        return Response((b"<p>" + b"y" * 65_530 + b"</p>" for _ in range(800)), content_type="text/html")

    site.expect_request("/huge/").respond_with_handler(huge)
    site.expect_request("/endless/").respond_with_handler(endless)
    serve(site, "/pdf/", pages.tiny_pdf(), "application/pdf")
    tls_site.expect_request("/").respond_with_data(pages.html_page("سایت", []), content_type="text/html")

    agencies = {
        "fresh": agency_for(site, "/fresh/"),
        "stale": agency_for(site, "/stale/"),
        "rss": agency_for(site, "/rss/", feeds=["/rss/feed.xml"]),
        "atom": agency_for(site, "/atom/", feeds=["/atom/feed.atom"]),
        "sitemap": agency_for(site, "/sitemap-site/", sitemap=site.url_for("/sitemap-site/sitemap.xml")),
        "error": agency_for(site, "/error/"),
        "missing": agency_for(site, "/missing/"),
        "slow": agency_for(site, "/slow/"),
        "loop": agency_for(site, "/loop/a"),
        "huge": agency_for(site, "/huge/"),
        "endless": agency_for(site, "/endless/"),
        "pdf": agency_for(site, "/pdf/"),
        "tls": factories.AgencyFactory(website=tls_site.url_for("/")),
    }

    started = time.monotonic()
    summary = run_checks(list(agencies.values()))
    elapsed = time.monotonic() - started

    assert elapsed < settings.MONITORING_RUN_BUDGET  # bounded by the budget, not by the slowest site
    assert len(summary.checks) == len(agencies)  # no failure stopped the run

    fresh = latest(agencies["fresh"])
    assert (fresh.reachable, fresh.status_code, fresh.failure, fresh.tls_valid) == (True, 200, "", None)
    assert fresh.newest_content_date == fresh_day  # not today (the header widget), not the phone number
    assert fresh.newest_content_source == ContentSource.PAGE_JALALI
    assert fresh.response_ms is not None
    assert fresh.news_30 is None  # no feed, no sitemap: news not counted

    stale = latest(agencies["stale"])
    assert stale.reachable
    assert stale.newest_content_date == stale_day
    assert stale.newest_content_source in (ContentSource.PAGE, ContentSource.PAGE_JALALI)
    assert stale.days_since_update > 30

    rss = latest(agencies["rss"])
    assert rss.newest_content_source == ContentSource.FEED
    assert rss.newest_content_date == days_ago(1).date()
    assert (rss.news_7, rss.news_30, rss.news_90) == (2, 9, 11)
    assert NewsItem.objects.filter(agency=agencies["rss"]).count() == 12

    atom = latest(agencies["atom"])
    assert atom.newest_content_source == ContentSource.FEED
    assert (atom.news_7, atom.news_30, atom.news_90) == (1, 1, 3)

    sitemap = latest(agencies["sitemap"])
    assert sitemap.newest_content_source == ContentSource.SITEMAP
    assert sitemap.newest_content_date == TODAY - datetime.timedelta(days=6)
    assert (sitemap.news_7, sitemap.news_30, sitemap.news_90) == (1, 2, 3)

    def outcome(name):
        check = latest(agencies[name])
        return check.failure, check.status_code, check.reachable

    assert outcome("error") == (Failure.SERVER_ERROR, 500, False)
    assert outcome("missing") == (Failure.CLIENT_ERROR, 404, False)
    assert outcome("slow") == (Failure.TIMEOUT, None, False)
    assert outcome("loop") == (Failure.REDIRECT_LOOP, None, False)
    assert outcome("huge") == (Failure.TOO_LARGE, 200, True)
    assert outcome("endless") == (Failure.TOO_LARGE, 200, True)
    assert outcome("pdf") == (Failure.NOT_HTML, 200, True)
    assert latest(agencies["pdf"]).newest_content_date is None
    tls = latest(agencies["tls"])
    assert (tls.failure, tls.tls_valid, tls.reachable) == (Failure.TLS, False, False)


def test_a_trusted_certificate_is_recorded_as_valid(tls_site, settings, tmp_path):
    bundle = tmp_path / "ca.pem"
    tls_site.ca.cert_pem.write_to_path(str(bundle))
    settings.MONITORING_CA_BUNDLE = str(bundle)
    tls_site.expect_request("/").respond_with_data(
        pages.html_page("سایت", [(pages.HEADLINES[3], "۱۴۰۵/۰۸/۰۱")]), content_type="text/html"
    )
    agency = factories.AgencyFactory(website=tls_site.url_for("/"))
    run_checks([agency])
    check = latest(agency)
    assert (check.reachable, check.tls_valid, check.failure) == (True, True, "")
    assert check.newest_content_date == datetime.date(2026, 10, 23)


def test_the_polite_user_agent_and_one_redirect_followed(site, settings):
    site.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new/"})
    serve(site, "/new/", pages.html_page("سایت", []), headers={"Last-Modified": "Tue, 10 Nov 2026 08:00:00 GMT"})
    agency = agency_for(site, "/old")
    run_checks([agency])
    check = latest(agency)
    assert check.final_url.endswith("/new/")
    assert check.reachable
    # No date in the page: the server's Last-Modified is the last resort.
    assert (check.newest_content_date, check.newest_content_source) == (
        datetime.date(2026, 11, 10),
        ContentSource.LAST_MODIFIED,
    )
    user_agents = {request.headers["User-Agent"] for request, _response in site.log}
    assert user_agents == {settings.MONITORING_USER_AGENT}


def test_more_than_five_redirects_is_a_failure(site):
    for hop in range(7):
        site.expect_request(f"/hop/{hop}").respond_with_data("", status=302, headers={"Location": f"/hop/{hop + 1}"})
    agency = agency_for(site, "/hop/0")
    run_checks([agency])
    assert latest(agency).failure == Failure.TOO_MANY_REDIRECTS
    assert len(site.log) == 6  # the first request and five redirects, no more


def test_a_feed_is_discovered_from_the_page_when_none_is_given(site):
    base = site.url_for("").rstrip("/")
    serve(site, "/", pages.html_page("سایت", [], feed_href="/rss.xml"))
    serve(site, "/rss.xml", pages.rss(base, [("خبر", "/n/1", days_ago(3))]), "application/rss+xml")
    agency = agency_for(site, "/")
    run_checks([agency])
    check = latest(agency)
    assert check.newest_content_source == ContentSource.FEED
    assert check.news_7 == 1


def test_unsafe_xml_in_a_feed_is_refused_and_the_page_still_measured(site):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<rss><channel><title>&lol2;</title></channel></rss>"
    )
    serve(site, "/", pages.html_page("سایت", [(pages.HEADLINES[4], "۱۴۰۵/۰۸/۱۵")]))
    serve(site, "/feed", bomb, "application/rss+xml")
    agency = agency_for(site, "/", feeds=["/feed"])
    run_checks([agency])
    check = latest(agency)
    assert check.failure == ""
    assert check.newest_content_source == ContentSource.PAGE_JALALI
    feed = next(detail for detail in check.details if detail["kind"] == "feed")
    assert feed["failure"] == Failure.BAD_CONTENT
    assert check.news_30 is None


def test_connection_refused_and_dns_failure_are_recorded(site, monkeypatch):
    import socket

    from monitoring import fetch

    real_resolve = fetch.resolve

    def resolve(host, port):
        if host == "no-such-agency.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_resolve(host, port)

    monkeypatch.setattr(fetch, "resolve", resolve)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    refused = factories.AgencyFactory(website=f"http://127.0.0.1:{port}/")
    unknown = factories.AgencyFactory(website="http://no-such-agency.example/")
    run_checks([refused, unknown])
    assert latest(refused).failure == Failure.CONNECTION
    assert latest(unknown).failure == Failure.DNS


def test_a_spent_budget_records_the_rest_as_not_checked(site, settings):
    def slow(request):
        time.sleep(0.9)
        return Response(pages.html_page("سایت", []), content_type="text/html")

    site.expect_request("/slow").respond_with_handler(slow)
    agencies = [agency_for(site, "/slow") for _ in range(5)]
    started = time.monotonic()
    summary = run_checks(agencies, budget_seconds=1.5)
    elapsed = time.monotonic() - started
    assert elapsed < 1.5 + settings.MONITORING_RESPONSE_TIMEOUT  # at most one response past the budget
    failures = [check.failure for check in summary.checks]
    assert len(failures) == 5
    assert failures.count(Failure.BUDGET) >= 3  # one request at a time per host: most never started
    assert len(site.log) <= 2


def test_a_second_run_adds_rows_and_keeps_news_items_once(site):
    base = site.url_for("").rstrip("/")
    serve(site, "/", pages.html_page("سایت", []))
    serve(site, "/feed", pages.rss(base, [("خبر", f"/n/{age}", days_ago(age)) for age in (2, 4)]), "text/xml")
    agency = agency_for(site, "/", feeds=["/feed"])
    run_checks([agency])
    run_checks([agency])
    assert WebsiteCheck.objects.filter(agency=agency).count() == 2  # the history is the evidence
    assert NewsItem.objects.filter(agency=agency).count() == 2
