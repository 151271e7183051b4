import datetime
import zoneinfo

import pytest
import time_machine

from notifications import holidays
from notifications.models import Holiday
from persian.values import clean_date
from plans.models import StrategicPlan
from tests import factories

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def jalali(text):
    """A Gregorian date from a Jalali one written as in the app: 1405/09/13."""
    return clean_date(text)


def at(day, hour=8, minute=0):
    """Freeze the clock at `day` (a date or a Jalali string), `hour`:`minute` in Tehran."""
    if isinstance(day, str):
        day = jalali(day)
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TEHRAN), tick=False)


@pytest.fixture
def official_holidays(db):
    """The holiday table as the migration seeds it (a transactional test elsewhere may have emptied it)."""
    holidays.seed(Holiday, (1405, 1406))


@pytest.fixture
def ladder_settings(settings):
    settings.REMINDER_DAYS_BEFORE = 3
    settings.REMINDER_EVERY_DAYS_AFTER = 5
    settings.ESCALATION_OVERDUE_DAYS = 14
    settings.ESCALATION_SILENT_DAYS = 30
    settings.ESCALATION_REVIEW_DAYS = 7
    return settings


@pytest.fixture
def plan(db):
    return factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, title="برنامه راهبردی ۱۴۰۵")


@pytest.fixture
def goal(plan):
    return factories.GoalFactory(plan=plan, number=4, title="انعکاس به‌موقع اخبار و خدمات دولت در رسانه‌ها")


@pytest.fixture
def officer_with_email(agency):
    return factories.officer(agency, username="officer-education", email="pr@education.example.ir")


@pytest.fixture
def other_officer_with_email(other_agency):
    return factories.officer(other_agency, username="officer-gas", email="pr@gas.example.ir")


@pytest.fixture
def director_with_email(db):
    return factories.director(username="director", email="dg@ostan.example.ir")
