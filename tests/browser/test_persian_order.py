"""The director-general sorts the heatmap by name and opens the review queue's agency filter: the demo's
agencies are in Persian alphabetical order, «کتابخانه‌های عمومی» between «فرهنگ و ارشاد اسلامی» and
«مدیریت بحران» (issue 17)."""

import pytest

from agencies.demo import AGENCIES, COUNTIES
from agencies.models import Agency, County
from persian.collation import persian_sorted
from plans.models import StrategicPlan
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIBRARIES = "کتابخانه‌های عمومی"


@pytest.fixture
def plan():
    counties = {name: County.objects.create(name=name) for name in COUNTIES}
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, year=1405)
    goal = factories.GoalFactory(plan=plan, number=1)
    for code, name, county, category, _website in AGENCIES:
        agency = Agency.objects.create(code=code, name=name, county=counties[county], category=category)
        factories.MilestoneFactory(goal=goal, agency=agency)
    return plan


def test_heatmap_by_name_and_agency_filter_are_in_persian_order(page, login, screenshot, console_errors, plan):
    expected = persian_sorted(name for _code, name, *_rest in AGENCIES)
    factories.director(username="director")
    login("director")

    page.goto(f"/plans/{plan.pk}/heatmap/?cols=name")
    heads = [text.strip() for text in page.locator("th.agency-head span").all_inner_texts()]
    assert heads == expected
    assert heads.index("فرهنگ و ارشاد اسلامی") < heads.index(LIBRARIES) < heads.index("مدیریت بحران")
    screenshot("heatmap-persian-order")

    page.goto("/reporting/review/")
    options = [text.strip() for text in page.locator("select[name=agency] option").all_inner_texts()][1:]
    assert options == expected
    assert options.index("فرهنگ و ارشاد اسلامی") < options.index(LIBRARIES) < options.index("مدیریت بحران")
    assert console_errors == []
