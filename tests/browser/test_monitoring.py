"""Website monitoring in a real browser: the director edits an agency's sources, the agency page draws
its news-per-week chart under the CSP, and the websites page lists the stale site first."""

import datetime

import pytest
from django.utils import timezone

from monitoring.models import NewsItem, WebsiteCheck
from plans.models import StrategicPlan
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sites(db):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, year=1405)
    goal = factories.GoalFactory(plan=plan)
    fresh = factories.AgencyFactory(code="fresh", name="آموزش و پرورش", website="https://fresh.example.ir/")
    stale = factories.AgencyFactory(code="stale", name="شرکت گاز", website="https://stale.example.ir/")
    factories.MilestoneFactory(goal=goal, agency=fresh)
    today = timezone.localdate()
    for agency, days in ((fresh, 1), (stale, 70)):
        WebsiteCheck.objects.create(
            agency=agency,
            url=agency.website,
            reachable=True,
            status_code=200,
            response_ms=240,
            newest_content_date=today - datetime.timedelta(days=days),
            newest_content_source="feed",
            news_7=2,
            news_30=6,
            news_90=14,
        )
    for number in range(6):
        NewsItem.objects.create(
            agency=fresh,
            url_hash=f"{number:064d}",
            url=f"https://fresh.example.ir/n/{number}",
            published_at=timezone.now() - datetime.timedelta(days=number * 4),
            source="feed",
        )
    factories.director(username="dg")
    return plan


def test_websites_agency_panel_and_sources(page, login, screenshot, console_errors, sites):
    login("dg")
    page.goto("/websites/")
    assert page.locator("#websites tbody tr").first.get_attribute("data-agency") == "stale"
    assert page.locator("#websites tbody tr[data-agency=stale] .badge").first.inner_text() == "قدیمی"
    screenshot("monitoring-websites")

    page.goto(f"/plans/{sites.pk}/agencies/fresh/")
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('news-chart'))")
    assert page.locator("#website-last-updated").inner_text().strip() == "۱ روز پیش"
    screenshot("monitoring-agency-panel")

    page.click("#website-panel a[href='/websites/agencies/fresh/']")
    page.click("#edit-sources")
    page.fill("textarea[name=feed_urls]", "not a url")
    page.click("#sources-form button[type=submit]")
    assert "نشانی وب نیست" in page.locator("#sources-form").inner_text()
    page.fill("textarea[name=feed_urls]", "https://fresh.example.ir/fa/rss")
    page.click("#sources-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "https://fresh.example.ir/fa/rss" in page.locator("#website-sources").inner_text()
    assert console_errors == []
