"""The director-general opens the dashboard, the heatmap and a goal page in Persian."""

import datetime

import pytest
from django.utils import timezone

from agencies.models import Agency
from plans.models import Status, StrategicPlan
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan():
    plan = factories.StrategicPlanFactory(
        title="برنامه راهبردی روابط عمومی ۱۴۰۵", year=1405, status=StrategicPlan.Status.ACTIVE, is_public=True
    )
    agencies = [
        factories.AgencyFactory(name=name, code=code, category=category)
        for name, code, category in [
            ("آموزش و پرورش", "education", Agency.Category.SOCIAL),
            ("شرکت گاز", "gas", Agency.Category.SERVICES),
            ("دانشگاه یاسوج", "university", Agency.Category.CULTURAL),
        ]
    ]
    author = factories.UserFactory(username="reporter")
    for number, title in enumerate(["برنامه‌محوری", "بانک اطلاعات عملکرد", "پورتال‌ها"], 1):
        goal = factories.GoalFactory(plan=plan, number=number, title=title, weight=number, description="شرح هدف")
        for index, agency in enumerate(agencies[: 4 - number]):
            progress = (number * 20 + index * 15) % 100
            milestone = factories.MilestoneFactory(
                goal=goal,
                agency=agency,
                progress=progress,
                status=Status.IN_PROGRESS,
                due_date=datetime.date(2026, 5, 1) + datetime.timedelta(days=60 * index),
            )
            for month, share in ((5, 2), (8, 1)):
                factories.ProgressUpdateFactory(
                    milestone=milestone,
                    author=author,
                    progress=progress // share,
                    created_at=timezone.make_aware(datetime.datetime(2026, month, 10, 9)),
                )
    return plan


def test_director_opens_dashboard_heatmap_and_goal(page, login, screenshot, console_errors, plan):
    factories.director(username="director")
    login("director")
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="برنامه راهبردی روابط عمومی ۱۴۰۵").is_visible()
    assert page.get_by_role("heading", name="پیشرفت کل").is_visible()
    page.wait_for_function("() => window.Chart && window.Chart.getChart(document.getElementById('trend-chart'))")
    size = page.evaluate(
        "() => { const c = document.getElementById('trend-chart'); const r = c.getBoundingClientRect();"
        " return [r.width, r.height, window.Chart.getChart(c).data.datasets[0].data.length]; }"
    )
    assert size[0] > 0
    assert size[1] > 0
    assert size[2] >= 1
    screenshot("progress-dashboard")

    page.get_by_role("link", name="نقشه حرارتی", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="نقشه حرارتی: اهداف × دستگاه‌ها").is_visible()
    assert page.locator("td[data-cell]").count() == 6
    screenshot("progress-heatmap")

    page.locator("td[data-cell='1-gas'] a").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="شرکت گاز").is_visible()

    page.goto(f"/plans/{plan.pk}/goals/1/")
    assert page.get_by_role("heading", name="هدف ۱: برنامه‌محوری").is_visible()
    assert page.locator("table.goal-agencies tbody tr").count() == 3
    screenshot("progress-goal")

    page.goto(f"/public/{plan.pk}/")
    assert page.get_by_text("طبق برنامه").first.is_visible() or page.get_by_text("عقب از برنامه").first.is_visible()
    page.emulate_media(media="print")
    assert page.locator("nav.navbar").is_hidden()
    screenshot("progress-public-print")
    assert console_errors == []
