"""What people see of the website checks: the websites page (staleness, filters, export), the panels on
the plan pages, an agency's check history, the sources editor; query counts pinned."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import Agency
from monitoring.models import Failure, NewsItem, WebsiteCheck, WebsiteSource
from plans.models import StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def check(agency, *, days_old=None, reachable=True, failure="", news=None, when=None):
    return WebsiteCheck.objects.create(
        agency=agency,
        checked_at=when or timezone.now(),
        url=agency.website,
        reachable=reachable,
        status_code=200 if reachable else 500,
        failure=failure,
        newest_content_date=None if days_old is None else TODAY - datetime.timedelta(days=days_old),
        newest_content_source="" if days_old is None else "feed",
        news_7=None if news is None else news[0],
        news_30=None if news is None else news[1],
        news_90=None if news is None else news[2],
    )


@pytest.fixture
def sites(db):
    county = factories.CountyFactory(name="دنا")
    made = {
        "fresh": factories.AgencyFactory(code="fresh", name="الف تازه", website="https://fresh.example.ir/"),
        "old": factories.AgencyFactory(
            code="old", name="ب کهنه", website="https://old.example.ir/", county=county, category="cultural"
        ),
        "down": factories.AgencyFactory(code="down", name="پ خاموش", website="https://down.example.ir/"),
        "undated": factories.AgencyFactory(code="undated", name="ت بی‌تاریخ", website="https://undated.example.ir/"),
        "unchecked": factories.AgencyFactory(code="unchecked", name="ث تازه‌وارد", website="https://new.example.ir/"),
        "none": factories.AgencyFactory(code="none", name="ج بی‌سایت", website=""),
    }
    check(made["fresh"], days_old=60, when=timezone.now() - datetime.timedelta(days=3))  # an older check
    check(made["fresh"], days_old=2, news=(3, 9, 20))
    check(made["old"], days_old=45, news=(0, 0, 4))
    check(made["down"], days_old=5, reachable=False, failure=Failure.SERVER_ERROR)
    check(made["undated"])
    return made


def rows(response):
    import re

    return re.findall(r'data-agency="([^"]+)" data-stale="([^"]+)"', response.content.decode())


def test_websites_are_sorted_by_staleness_and_flagged(client, viewer_user, sites):
    client.force_login(viewer_user)
    response = client.get(reverse("monitoring:websites"))
    assert rows(response) == [
        ("undated", "yes"),  # no date found: the most stale
        ("old", "yes"),  # 45 days > 30
        ("down", "yes"),  # fresh content, but not reachable
        ("fresh", "no"),  # 2 days (its older check does not count)
        ("unchecked", "yes"),  # never checked
        ("none", "none"),  # no website
    ]
    page = response.content.decode()
    assert "۴۵ روز پیش" in page
    assert 'id="stale-summary">۴ از ۶' in page


def test_websites_filter_by_county_and_category(client, viewer_user, sites):
    client.force_login(viewer_user)
    county = sites["old"].county
    assert [code for code, _ in rows(client.get(reverse("monitoring:websites"), {"county": county.pk}))] == ["old"]
    assert [code for code, _ in rows(client.get(reverse("monitoring:websites"), {"category": "cultural"}))] == ["old"]
    bad = client.get(reverse("monitoring:websites"), {"county": "x"})
    assert bad.status_code == 200
    assert len(rows(bad)) == 6  # an invalid filter keeps everything, and says so
    assert "text-danger" in bad.content.decode()


def test_websites_export_through_the_one_writer(client, viewer_user, sites):
    client.force_login(viewer_user)
    response = client.get(reverse("monitoring:websites"), {"format": "xlsx", "category": "cultural"})
    assert response["Content-Disposition"].startswith('attachment; filename="websites-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.sheet_view.rightToLeft
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "دستگاه اجرایی"
    assert values[1][0] == "ب کهنه"
    assert values[1][8] == 45  # days since the last update, a number
    assert values[1][13] == "قدیمی"
    csv = client.get(reverse("monitoring:websites"), {"format": "csv"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.count("\n") == 7


@pytest.mark.parametrize("extra", [0, 25])
def test_websites_page_query_count_does_not_grow(client, viewer_user, sites, extra, django_assert_num_queries):
    for number in range(extra):
        agency = factories.AgencyFactory(website=f"https://a{number}.example.ir/")
        check(agency, days_old=number, news=(0, 1, 2))
    client.force_login(viewer_user)
    # session, user, membership; agencies with their latest check id; the checks; the county filter's choices
    with django_assert_num_queries(6):
        response = client.get(reverse("monitoring:websites"))
        assert response.status_code == 200


def test_agency_history_lists_every_check(client, officer_user, sites, django_assert_num_queries):
    client.force_login(officer_user)  # an officer reads any agency's site figures
    url = reverse("monitoring:agency", args=["fresh"])
    # session, user, membership, navbar (agency, returned reports); agency, source, count, checks, news
    with django_assert_num_queries(10):
        page = client.get(url).content.decode()
    assert page.count("<tr data-failure=") == 2
    assert 'id="edit-sources"' not in page


def test_sources_are_edited_in_the_app(client, director_user, sites, django_assert_num_queries):
    client.force_login(director_user)
    agency = sites["old"]
    url = reverse("monitoring:sources", args=[agency.code])
    with django_assert_num_queries(6):  # session, user, membership, navbar count, agency, source
        assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "website": "https://old2.example.ir/",
            "feed_urls": "https://old2.example.ir/rss\n\nhttps://old2.example.ir/rss\nhttps://old2.example.ir/atom",
            "sitemap_url": "https://old2.example.ir/sitemap.xml",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    source = WebsiteSource.objects.get(agency=agency)
    assert agency.website == "https://old2.example.ir/"
    assert source.feeds == ["https://old2.example.ir/rss", "https://old2.example.ir/atom"]
    assert source.updated_by == director_user


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"website": "https://x.ir/", "feed_urls": "javascript:alert(1)"}, "نشانی وب نیست"),
        ({"website": "https://x.ir/", "feed_urls": "\n".join(f"https://x.ir/{n}" for n in range(4))}, "حداکثر"),
        ({"website": "", "sitemap_url": "https://x.ir/sitemap.xml"}, "نشانی وب‌سایت"),
        ({"website": "ftp://x.ir/"}, "نشانی وب نیست"),
    ],
)
def test_bad_sources_are_refused_with_a_persian_message(client, director_user, sites, data, message):
    client.force_login(director_user)
    agency = sites["old"]
    response = client.post(reverse("monitoring:sources", args=[agency.code]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    agency.refresh_from_db()
    assert agency.website == "https://old.example.ir/"
    assert not WebsiteSource.objects.exists()


@pytest.fixture
def plan(db):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, year=1405)
    return plan


def test_the_dashboard_shows_the_number_of_stale_sites(client, viewer_user, sites, plan):
    client.force_login(viewer_user)
    page = client.get(reverse("home")).content.decode()
    # five sites with an address: undated, old and down are stale, fresh is not, one not checked yet
    assert 'id="stale-sites">۳</span>' in page
    assert "۱ وب‌سایت هنوز بررسی نشده" in page


def test_the_agency_page_shows_the_website_panel(client, viewer_user, sites, plan):
    agency = sites["fresh"]
    factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency)
    first_of_week = TODAY - datetime.timedelta(days=1)
    for number in range(3):
        NewsItem.objects.create(
            agency=agency,
            url_hash=f"{number:064d}",
            url=f"https://fresh.example.ir/n/{number}",
            published_at=timezone.make_aware(datetime.datetime.combine(first_of_week, datetime.time(9))),
            source="feed",
        )
    client.force_login(viewer_user)
    page = client.get(reverse("plans:agency", args=[plan.pk, agency.code])).content.decode()
    assert 'id="website-last-updated">' in page
    assert "۲ روز پیش" in page
    assert 'data-news="30">۹</dd>' in page
    chart = json.loads(page.split('id="news-chart-data" type="application/json">')[1].split("</script>")[0])
    assert sum(chart["values"]) == 3
    assert chart["values"][-1] + chart["values"][-2] == 3  # this week or last (weeks start on Saturday)
    assert "vendor/chart.js/chart.umd.min.js" in page


def test_an_agency_without_a_website_says_so(client, viewer_user, sites, plan):
    agency = sites["none"]
    factories.MilestoneFactory(goal=factories.GoalFactory(plan=plan), agency=agency)
    client.force_login(viewer_user)
    page = client.get(reverse("plans:agency", args=[plan.pk, agency.code])).content.decode()
    assert 'id="website-none"' in page


def test_admin_saves_sources_through_the_service(client, director_user, sites):
    client.force_login(director_user)
    agency = sites["fresh"]
    response = client.post(
        reverse("admin:monitoring_websitesource_add"),
        {"agency": agency.pk, "feed_urls": "https://fresh.example.ir/rss", "sitemap_url": ""},
    )
    assert response.status_code == 302
    source = WebsiteSource.objects.get(agency=agency)
    assert (source.feeds, source.updated_by) == (["https://fresh.example.ir/rss"], director_user)
    refused = client.post(
        reverse("admin:monitoring_websitesource_change", args=[source.pk]),
        {"feed_urls": "file:///etc/passwd", "sitemap_url": ""},
    )
    assert refused.status_code == 200
    assert WebsiteSource.objects.get(agency=agency).feeds == ["https://fresh.example.ir/rss"]
    assert Agency.objects.get(pk=agency.pk).website == "https://fresh.example.ir/"
