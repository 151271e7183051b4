"""Jalali dates found in running text, as Iranian web pages print them.

    >>> [found.date for found in find_jalali_dates("شنبه ۶ آذر ۱۴۰۵ - ۱۲:۳۰")]
    [datetime.date(2026, 11, 27)]

Read: the three digit sets (Persian ۱۴۰۵, Arabic-Indic ١٤٠٥, Latin 1405), numeric dates year first
(۱۴۰۵/۰۹/۰۶, 1405-9-6, ۱۴۰۵.۰۹.۰۶) or day first (۰۶/۰۹/۱۴۰۵), and month names in the common spellings
(فروردین … اسفند, Arabic ي/ك, آ or ا, "آذرماه") in both orders ("۶ آذر ۱۴۰۵", "آذر ۶، ۱۴۰۵"), with or without a
weekday before them. Only real calendar days of the years 1300–1500 count, so phone numbers, prices,
letter numbers and postal codes are not read as dates: a date needs its separators, a four-digit year
in range, a month 1–12 and a day that the month has, and no digit or separator glued to either end.

htmldate reads Gregorian dates only; monitoring uses this for the Jalali ones. Self-contained on
purpose (jdatetime for the calendar, its own digit table), so the input layer can change around it.
"""

import datetime
import re
from dataclasses import dataclass

import jdatetime

FIRST_YEAR, LAST_YEAR = 1300, 1500

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
# Arabic letters that Persian pages still carry, and the marks that sit between words and digits.
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "\u200f": " ", "\u200e": " ", "\xa0": " "})

MONTHS = {
    1: ("فروردین",),
    2: ("اردیبهشت", "اردی‌بهشت", "اردی بهشت"),
    3: ("خرداد",),
    4: ("تیر",),
    5: ("مرداد", "امرداد"),
    6: ("شهریور",),
    7: ("مهر",),
    8: ("آبان", "ابان"),
    9: ("آذر", "اذر"),
    10: ("دی",),
    11: ("بهمن",),
    12: ("اسفند",),
}
_MONTH_BY_NAME = {name: number for number, names in MONTHS.items() for name in names}
# Longest first, so "امرداد" wins over "مرداد" and "اردی بهشت" is one name.
_MONTH = "|".join(sorted((re.escape(name) for name in _MONTH_BY_NAME), key=len, reverse=True))
# A month name ends a word (optionally followed by "ماه", with or without a ZWNJ): "مهر" in "مهربانی" is no month.
_LETTER = r"\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff"
_MONTH_END = r"(?:\u200c?\s?ماه)?(?![" + _LETTER + r"\u200c])"
_NOT_GLUED_BEFORE = r"(?<![\d/.\-_])"
_NOT_GLUED_AFTER = r"(?![\d/\-_]|\.\d)"
_SEP = r"\s*([/.\-])\s*"

_PATTERNS = (
    # 1405/09/06, 1405-9-6, 1405.09.06 (the same separator twice)
    (
        "ymd",
        re.compile(_NOT_GLUED_BEFORE + r"(\d{4})" + _SEP + r"(\d{1,2})\s*\2\s*(\d{1,2})" + _NOT_GLUED_AFTER),
    ),
    # 06/09/1405
    (
        "dmy",
        re.compile(_NOT_GLUED_BEFORE + r"(\d{1,2})" + _SEP + r"(\d{1,2})\s*\2\s*(\d{4})" + _NOT_GLUED_AFTER),
    ),
    # 6 آذر 1405, ۶ آذرماه ۱۴۰۵, 6 آذر، 1405
    (
        "d_month_y",
        re.compile(r"(?<![\d])(\d{1,2})\s*(" + _MONTH + ")" + _MONTH_END + r"\s*[,،]?\s*(\d{4})(?!\d)"),
    ),
    # آذر 6, 1405 / آذر ۶، ۱۴۰۵
    (
        "month_d_y",
        re.compile(r"(?<![" + _LETTER + "])(" + _MONTH + ")" + _MONTH_END + r"\s*(\d{1,2})\s*[,،]\s*(\d{4})(?!\d)"),
    ),
)


@dataclass(frozen=True)
class FoundDate:
    date: datetime.date  # Gregorian
    year: int  # Jalali
    month: int
    day: int
    text: str  # as matched in the normalised text


def normalise(text):
    """Latin digits, Persian letters for their Arabic look-alikes, direction marks as spaces."""
    return str(text).translate(_LETTERS).translate(_DIGITS)


def _to_date(year, month, day):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:  # no such day (31 Mehr, 30 Esfand of a common year, month 13…)
        return None


def find_jalali_dates(text):
    """Every Jalali date in `text`, in the order found (each span read once)."""
    text = normalise(text)
    found, taken = [], []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(start < span[1] and span[0] < end for start, end in taken):
                continue
            groups = match.groups()
            if kind == "ymd":
                year, month, day = int(groups[0]), int(groups[2]), int(groups[3])
            elif kind == "dmy":
                day, month, year = int(groups[0]), int(groups[2]), int(groups[3])
            elif kind == "d_month_y":
                day, month, year = int(groups[0]), _MONTH_BY_NAME[groups[1]], int(groups[2])
            else:
                month, day, year = _MONTH_BY_NAME[groups[0]], int(groups[1]), int(groups[2])
            date = _to_date(year, month, day)
            if date is None:
                continue
            taken.append(span)
            found.append((span[0], FoundDate(date, year, month, day, match.group(0).strip())))
    return [item for _start, item in sorted(found, key=lambda pair: pair[0])]


def newest_jalali_date(text, *, not_after=None):
    """The latest Jalali date in `text` (Gregorian), ignoring dates after `not_after`; None if there is none."""
    dates = [found.date for found in find_jalali_dates(text)]
    if not_after is not None:
        dates = [date for date in dates if date <= not_after]
    return max(dates, default=None)
