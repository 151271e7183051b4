"""Jalali dates in page text, as Iranian sites print them (persian.textdates).

Each case is a real-looking snippet and the Gregorian dates a reader would take from it.
1405/09/06 is 2026-11-27; 1405 is a common year (Esfand has 29 days), 1403 a leap year.
"""

import datetime

import pytest

from persian.textdates import find_jalali_dates, newest_jalali_date

D = datetime.date
AZAR_6 = D(2026, 11, 27)

FOUND = [
    # digit sets
    ("تاریخ انتشار: ۱۴۰۵/۰۹/۰۶", [AZAR_6]),
    ("تاریخ انتشار: ١٤٠٥/٠٩/٠٦", [AZAR_6]),
    ("Published 1405/09/06", [AZAR_6]),
    ("تاریخ: ۱۴۰۵/09/٠٦", [AZAR_6]),
    # separators and padding
    ("۱۴۰۵-۰۹-۰۶", [AZAR_6]),
    ("۱۴۰۵.۰۹.۰۶", [AZAR_6]),
    ("۱۴۰۵/۹/۶", [AZAR_6]),
    ("۱۴۰۵ / ۰۹ / ۰۶", [AZAR_6]),
    ("۰۶/۰۹/۱۴۰۵", [AZAR_6]),
    ("۱۴۰۵/۰۹/۰۶ - ۱۲:۳۰", [AZAR_6]),
    ("کد خبر: ۴۵۶۷۸۹ | ۱۴۰۵/۰۹/۰۶", [AZAR_6]),
    # month names and word orders
    ("۶ آذر ۱۴۰۵", [AZAR_6]),
    ("۰۶ آذر ۱۴۰۵", [AZAR_6]),
    ("۶ آذرماه ۱۴۰۵", [AZAR_6]),
    ("۶ آذر\u200cماه ۱۴۰۵", [AZAR_6]),
    ("۶ اذر ۱۴۰۵", [AZAR_6]),
    ("آذر ۶، ۱۴۰۵", [AZAR_6]),
    ("آذر 6, 1405", [AZAR_6]),
    ("۶ آذر، ۱۴۰۵", [AZAR_6]),
    ("۱ فروردین ۱۴۰۵", [D(2026, 3, 21)]),
    ("۱ فروردين ۱۴۰۵", [D(2026, 3, 21)]),  # Arabic yeh
    ("۱۰ اردیبهشت ۱۴۰۵", [D(2026, 4, 30)]),
    ("۱۰ اردی‌بهشت ۱۴۰۵", [D(2026, 4, 30)]),
    ("۱۴ خرداد ۱۴۰۵", [D(2026, 6, 4)]),
    ("۱۲ تیر ۱۴۰۵", [D(2026, 7, 3)]),
    ("۵ مرداد ۱۴۰۵", [D(2026, 7, 27)]),
    ("۵ امرداد ۱۴۰۵", [D(2026, 7, 27)]),
    ("۳۱ شهریور ۱۴۰۵", [D(2026, 9, 22)]),
    ("۱ مهر ۱۴۰۵", [D(2026, 9, 23)]),
    ("۱۳ آبان ۱۴۰۵", [D(2026, 11, 4)]),
    ("۱۳ ابان ۱۴۰۵", [D(2026, 11, 4)]),
    ("۱۰ دی ۱۴۰۵", [D(2026, 12, 31)]),
    ("۲۲ بهمن ۱۴۰۵", [D(2027, 2, 11)]),
    ("۲۹ اسفند ۱۴۰۵", [D(2027, 3, 20)]),
    ("۳۰ اسفند ۱۴۰۳", [D(2025, 3, 20)]),  # leap year
    # weekday prefixes and surrounding text
    ("شنبه ۶ آذر ۱۴۰۵", [AZAR_6]),
    ("پنج‌شنبه، ۶ آذر ۱۴۰۵ ساعت ۱۰:۴۵", [AZAR_6]),
    ("جمعه ۰۶ آذر ۱۴۰۵ - ۱۳:۲۰ | کد خبر: ۸۹۷۶", [AZAR_6]),
    ("<span class='date'>\u200f۱۴۰۵/۰۹/۰۶\u200f</span>", [AZAR_6]),
    # several dates: found in order
    (
        "نشست خبری مدیرکل — ۲ آذر ۱۴۰۵ … بازدید از پروژه — ۱۴۰۵/۰۸/۲۹",
        [D(2026, 11, 23), D(2026, 11, 20)],
    ),
    ("۱۳۰۰/۰۱/۰۱ و ۱۵۰۰/۰۱/۰۱", [D(1921, 3, 21), D(2121, 3, 21)]),
]

NOT_DATES = [
    # phone numbers
    "تلفن: ۰۷۴-۳۳۲۲۱۴۰۵",
    "تلفن: ۰۷۴۳-۱۴۰۵-۰۹۰۶",
    "همراه: ۰۹۱۷۱۴۰۵۰۹۰۶",
    "فکس ۰۷۴۳۳۳۱۴۰۵۹",
    # prices
    "قیمت: ۱,۴۰۵,۰۰۰ ریال",
    "۱۴۰۵.۹۰ تومان",
    "مبلغ ۱۴۰۵ میلیارد ریال",
    # codes, letter numbers, postal codes, versions
    "شماره نامه: ۱۴۰۵/۲/۳۴۵۶",
    "کد رهگیری ۱۴۰۵/۱۲/۴۵",
    "کد پستی ۷۵۹۱۸-۱۴۰۵۶",
    "نسخه ۱.۱۴.۰۵",
    "شناسه 21405/09/06",
    # Gregorian and out-of-range years, impossible days
    "2026/11/27",
    "۶ آذر ۲۰۲۶",
    "۱۲۹۹/۱۲/۲۹",
    "۱۵۰۱/۰۱/۰۱",
    "۳۱ مهر ۱۴۰۵",
    "۳۰ اسفند ۱۴۰۵",
    "۱۴۰۵/۱۳/۰۱",
    "۱۴۰۵/۰۰/۱۰",
    # a month name inside another word, or without a year
    "۱۲ مهربانی ۱۴۰۵",
    "۶ آذر",
    "۱۴۰۵ آذر",
    # two-digit years are ambiguous
    "۰۵/۰۹/۰۶",
    # time, score
    "ساعت ۱۴:۰۵:۰۹",
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[text for text, _ in FOUND])
def test_dates_are_found(text, expected):
    assert [found.date for found in find_jalali_dates(text)] == expected


@pytest.mark.parametrize("text", NOT_DATES)
def test_numbers_that_are_not_dates_are_not_read_as_dates(text):
    assert find_jalali_dates(text) == []


def test_found_date_keeps_the_jalali_parts():
    (found,) = find_jalali_dates("یکشنبه ۱۴ خرداد ۱۴۰۵")
    assert (found.year, found.month, found.day) == (1405, 3, 14)
    assert found.text == "14 خرداد 1405"


def test_newest_date_ignores_dates_after_the_limit():
    text = "۱۴۰۵/۰۹/۰۶ · ۱۴۰۵/۰۸/۰۱ · ۱۴۰۶/۰۱/۰۱"
    assert newest_jalali_date(text) == D(2027, 3, 21)
    assert newest_jalali_date(text, not_after=D(2026, 12, 1)) == AZAR_6
    assert newest_jalali_date("هیچ تاریخی ندارد") is None
