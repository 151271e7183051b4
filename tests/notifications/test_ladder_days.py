"""Frozen-clock runs of the daily reminder task: exactly the expected reminder days around Fridays,
holidays, the year's end and Nowruz (N = 3 working days before, M = 5 working days after).

Each test runs the real daily job once a day over a span of days and reads which days the officer's
email named the milestone. The expected days are worked out by hand from the calendar in the comments.
"""

import datetime

import pytest
from django.core import mail

from notifications.tasks import send_daily_reminders
from notifications.workdays import Ladder, WorkingDays
from plans.services import report_progress
from tests import factories

from .conftest import at, jalali

pytestmark = pytest.mark.usefixtures("official_holidays", "ladder_settings")


def days_reminded(milestone, first, last):
    """Run the daily task each day from `first` to `last` (Jalali); the days whose email named the milestone."""
    day, last, named = jalali(first), jalali(last), []
    while day <= last:
        before = len(mail.outbox)
        with at(day):
            send_daily_reminders.enqueue()
        if any(milestone.title in message.body for message in mail.outbox[before:]):
            named.append(day)
        day += datetime.timedelta(days=1)
    return named


def due_on(goal, agency, due):
    return factories.MilestoneFactory(
        goal=goal, agency=agency, title=f"گام با مهلت {due}", start_date=jalali("1405/01/15"), due_date=jalali(due)
    )


def test_due_on_a_friday(goal, agency, officer_with_email):
    # Due Friday 1405/09/13. Three working days before: Tue 09/10 (Thu 09/12, Wed 09/11, Tue 09/10).
    # Due day is a Friday: Thursday 09/12 instead. Then every 5 working days: Wed 09/18, Tue 09/24,
    # Mon 09/30; Tue 1405/10/01 is a holiday (13 Rajab), so the next is Mon 10/07, not Sun 10/06.
    milestone = due_on(goal, agency, "1405/09/13")
    assert days_reminded(milestone, "1405/09/01", "1405/10/10") == [
        jalali(day) for day in ("1405/09/10", "1405/09/12", "1405/09/18", "1405/09/24", "1405/09/30", "1405/10/07")
    ]


def test_due_on_a_holiday(goal, agency, officer_with_email):
    # Due Thursday 1405/11/22 (the revolution's anniversary, a holiday), then a Friday.
    # Before: Mon 11/19; due reminder on the last working day before it, Wed 11/21; after: Wed 11/28
    # (Sat 11/25 is the first working day after), Tue 12/04, then Tue 12/11, skipping Sun 12/09
    # (21 Ramadan, a holiday).
    milestone = due_on(goal, agency, "1405/11/22")
    assert days_reminded(milestone, "1405/11/10", "1405/12/12") == [
        jalali(day) for day in ("1405/11/19", "1405/11/21", "1405/11/28", "1405/12/04", "1405/12/11")
    ]


def test_due_at_the_year_end_esfand_29(goal, agency, officer_with_email):
    # Due Saturday 1405/12/29, the last day of 1405 and a holiday (oil nationalisation), after Friday 12/28.
    # Before: Tue 12/25; due: Thu 12/27. Nowruz 1406/01/01–04 and Friday 01/06 are off, so the first
    # working days after are Thu 01/05, Sat 01/07, 01/08, 01/09 and Tue 01/10 (the 5th); then
    # Wed 01/11, (01/12 and 01/13 are holidays) Sat 01/14, 01/15, 01/16, Tue 01/17.
    milestone = due_on(goal, agency, "1405/12/29")
    assert days_reminded(milestone, "1405/12/15", "1406/01/20") == [
        jalali(day) for day in ("1405/12/25", "1405/12/27", "1406/01/10", "1406/01/17")
    ]


def test_due_just_after_nowruz(goal, agency, officer_with_email):
    # Due Thursday 1406/01/05, the one working day of Nowruz week. Three working days before it skip
    # Nowruz, 1405/12/29 and Friday 12/28: Thu 12/27, Wed 12/26, Tue 12/25. Due day: 01/05 itself.
    # After: Sat 01/07, 01/08, 01/09, 01/10, Wed 01/11; then (01/12, 01/13 off) Sat 01/14 … Wed 01/18.
    milestone = due_on(goal, agency, "1406/01/05")
    assert days_reminded(milestone, "1405/12/15", "1406/01/20") == [
        jalali(day) for day in ("1405/12/25", "1406/01/05", "1406/01/11", "1406/01/18")
    ]


def test_a_report_stops_the_chase(goal, agency, officer_with_email):
    milestone = due_on(goal, agency, "1405/09/13")
    assert days_reminded(milestone, "1405/09/01", "1405/09/10") == [jalali("1405/09/10")]
    with at("1405/09/11", 10):
        report_progress(
            milestone=milestone,
            author=officer_with_email,
            status="in_progress",
            progress=60,
            note="نیمی از اخبار ارسال شد",
            expected_version=milestone.version,
        )
    assert days_reminded(milestone, "1405/09/11", "1405/10/10") == []


def test_a_report_before_the_chase_began_does_not_stop_it(goal, agency, officer_with_email):
    milestone = due_on(goal, agency, "1405/09/13")
    with at("1405/08/20", 10):
        report_progress(
            milestone=milestone,
            author=officer_with_email,
            status="in_progress",
            progress=20,
            expected_version=milestone.version,
        )
    assert days_reminded(milestone, "1405/09/01", "1405/09/12") == [jalali("1405/09/10"), jalali("1405/09/12")]


def test_the_ladder_in_a_leap_year_esfand_30():
    # 1403 had an Esfand 30 (Thursday 2025-03-20). Days off here: 1403/12/29 and Nowruz 1404/01/01–04
    # (Fri 03-21 … Mon 03-24), and Fridays.
    days = WorkingDays([jalali(day) for day in ("1403/12/29", "1404/01/01", "1404/01/02", "1404/01/03", "1404/01/04")])
    ladder = Ladder(days, before=3, every=5)
    assert ladder.reminder_days(jalali("1403/12/30"), until=jalali("1404/01/20")) == [
        (jalali("1403/12/26"), "before"),  # Tue 12/28, Mon 12/27, Sun 12/26 (Wed 12/29 is off)
        (jalali("1403/12/30"), "due"),
        (jalali("1404/01/10"), "after"),  # Tue 01/05, 01/06, 01/07, (Fri 01/08) Sat 01/09, Sun 01/10
        (jalali("1404/01/16"), "after"),  # 01/11, 01/12, 01/13, 01/14, (Fri 01/15) Sat 01/16
    ]
