"""The progress summary stays equal to a fresh aggregation on every write path (issue 15)."""

import datetime

import pytest

from plans import summary
from plans.models import ProgressSummary, Status, StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


def assert_summary_is_fresh():
    drift = summary.differences()
    assert drift == [], drift


@pytest.fixture
def world(db):
    plan = factories.StrategicPlanFactory(year=1405, status=StrategicPlan.Status.ACTIVE)
    goals = [factories.GoalFactory(plan=plan, number=n, weight=n) for n in (1, 2)]
    agencies = [factories.AgencyFactory(code=f"a{n}") for n in (1, 2)]
    return {"plan": plan, "goals": goals, "agencies": agencies, "author": factories.UserFactory(username="author")}


def make(world, n, **extra):
    fields = {
        "goal": world["goals"][n % 2],
        "agency": world["agencies"][n // 2 % 2],
        "title": f"m{n}",
        "start_date": datetime.date(2026, 3, 21),
        "due_date": datetime.date(2026, 4, 1) + datetime.timedelta(days=40 * n),
        "weight": 1 + n % 3,
        "status": Status.IN_PROGRESS,
        "progress": 10 * n % 100,
    }
    fields.update(extra)
    return factories.MilestoneFactory(**fields)


def test_direct_save_and_delete(world):
    m = make(world, 1)
    assert_summary_is_fresh()
    assert ProgressSummary.objects.get().milestone_count == 1
    m.progress, m.weight = 55, 3
    m.save()
    assert_summary_is_fresh()
    m.due_date = datetime.date(2026, 12, 1)  # another quarter
    m.save()
    assert_summary_is_fresh()
    assert ProgressSummary.objects.get().due_quarter == 14053
    m.delete()
    assert_summary_is_fresh()
    assert not ProgressSummary.objects.exists()
