"""The demo's agencies in Persian alphabetical order on every page that lists them by name, and the same
order in the workbook's agencies and heatmap sheets (issue 17). On SQLite and PostgreSQL (DATABASE_URL)."""

import pytest
from django.urls import reverse

from agencies.demo import AGENCIES, COUNTIES
from agencies.models import Agency, County
from persian.collation import persian_sorted
from plans.models import StrategicPlan
from spreadsheets.export import progress_sheets
from tests import factories

LIBRARIES = "کتابخانه‌های عمومی"


@pytest.fixture
def demo_plan(db):
    counties = {name: County.objects.create(name=name) for name in COUNTIES}
    agencies = [
        Agency.objects.create(code=code, name=name, county=counties[county], category=category)
        for code, name, county, category, _website in AGENCIES
    ]
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, year=1405)
    goal = factories.GoalFactory(plan=plan, number=1)
    for agency in agencies:
        factories.MilestoneFactory(goal=goal, agency=agency)
    return plan


def demo_order():
    return persian_sorted(name for _code, name, *_rest in AGENCIES)


def test_the_expected_order_is_persian():
    names = demo_order()
    assert names.index("فرهنگ و ارشاد اسلامی") + 1 == names.index(LIBRARIES)
    assert names.index(LIBRARIES) + 2 == names.index("مدیریت بحران")  # «کمیته امداد امام خمینی (ره)» between
    assert names[0] == "آموزش و پرورش"
    assert names[-1].startswith(("ورزش", "هلال"))


def test_heatmap_sorted_by_name_and_the_workbook_agree(client, director_user, demo_plan):
    client.force_login(director_user)
    response = client.get(reverse("plans:heatmap", args=[demo_plan.pk]), {"cols": "name"})
    on_page = [agency.name for agency in response.context["agencies"]]
    assert on_page == demo_order()
    html = response.content.decode()
    assert html.index("فرهنگ و ارشاد اسلامی") < html.index(LIBRARIES) < html.index("مدیریت بحران")

    _summary, _goals, agencies, _milestones, heatmap = progress_sheets(demo_plan)
    assert [row[0] for row in agencies.rows] == on_page
    assert list(heatmap.headers[1:]) == on_page


def test_drop_downs_list_agencies_and_counties_in_persian_order(client, director_user, demo_plan):
    client.force_login(director_user)
    queue = client.get(reverse("reporting:review_queue"))
    agency_choices = [label for value, label in queue.context["filter_form"].fields["agency"].choices if value]
    assert agency_choices == demo_order()
    home = client.get(reverse("home"))
    county_choices = [label for value, label in home.context["form"].fields["county"].choices if value]
    assert county_choices == persian_sorted(COUNTIES)
    assert county_choices.index("کهگیلویه") < county_choices.index("گچساران") < county_choices.index("لنده")
