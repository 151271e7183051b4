"""The Solar Hijri (Jalali) calendar and Persian digits, used at the edges only.

Dates are stored as ordinary (Gregorian) dates; these helpers turn them into what a
Persian reader expects and back. The calendar arithmetic itself is jdatetime's.
"""

import datetime
from dataclasses import dataclass

import jdatetime
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, LATIN_DIGITS * 2)
_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)

QUARTER_NAMES = {
    1: pgettext_lazy("season", "Spring"),
    2: pgettext_lazy("season", "Summer"),
    3: pgettext_lazy("season", "Autumn"),
    4: pgettext_lazy("season", "Winter"),
}

# The Solar Hijri years a plan, a quarter or a filter may name (as the plan's CheckConstraint).
FIRST_YEAR, LAST_YEAR = 1300, 1500
FIRST_SHOWN_DAY = datetime.date(1921, 3, 21)  # 1300/01/01
LAST_SHOWN_DAY = datetime.date(2122, 3, 20)  # 1500/12/30 (1500 is a leap year)


def to_latin_digits(value):
    return str(value).translate(_TO_LATIN)


def to_persian_digits(value):
    return str(value).translate(_TO_PERSIAN)


def persian_is_active():
    return (get_language() or "fa").split("-")[0] == "fa"


def format_date(value, persian=None):
    """۱۴۰۵/۰۹/۰۶ in Persian, 2026-11-27 in English (or as asked)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.tzinfo is None else _local(value).date()
    if persian is None:
        persian = persian_is_active()
    if not persian or not _showable(value):
        return value.isoformat()
    return to_persian_digits(jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"))


def format_datetime(value, persian=None):
    if value is None:
        return ""
    value = _local(value)
    if persian is None:
        persian = persian_is_active()
    if not persian or not _showable(value.date()):
        return value.strftime("%Y-%m-%d %H:%M")
    return to_persian_digits(
        jdatetime.datetime.fromgregorian(datetime=value.replace(tzinfo=None)).strftime("%Y/%m/%d %H:%M")
    )


def _showable(value):
    """Whether a stored day falls in the Solar Hijri years the app shows (1300–1500).

    Inputs refuse anything else (persian.values), but a value stored before that rule, or by a
    path that skipped it, must never break a page: it is shown as the raw ISO date instead.
    """
    return FIRST_SHOWN_DAY <= value <= LAST_SHOWN_DAY


def _local(value):
    from django.utils import timezone

    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def shift_years(day, years):
    """The same Jalali day `years` Jalali years later (30 Esfand becomes 29 Esfand in a common year)."""
    jday = jdatetime.date.fromgregorian(date=day)
    try:
        return jdatetime.date(jday.year + years, jday.month, jday.day).togregorian()
    except ValueError:
        return jdatetime.date(jday.year + years, jday.month, jday.day - 1).togregorian()


def year_bounds(year):
    """First and last Gregorian day of Jalali year `year`."""
    start = jdatetime.date(year, 1, 1).togregorian()
    end = jdatetime.date(year + 1, 1, 1).togregorian() - datetime.timedelta(days=1)
    return start, end


@dataclass(frozen=True, order=True)
class Quarter:
    """A Solar Hijri quarter: its seasons are its quarters (1 = Spring, Farvardin–Khordad)."""

    year: int
    number: int

    def __post_init__(self):
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.number}.")

    @classmethod
    def containing(cls, value):
        jdate = jdatetime.date.fromgregorian(date=value)
        return cls(jdate.year, (jdate.month - 1) // 3 + 1)

    @property
    def first_month(self):
        return (self.number - 1) * 3 + 1

    def bounds(self):
        """Gregorian first and last day (inclusive)."""
        return self.bounds_start(), self.next().bounds_start() - datetime.timedelta(days=1)

    def bounds_start(self):
        return jdatetime.date(self.year, self.first_month, 1).togregorian()

    def next(self):
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self):
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def name(self):
        return QUARTER_NAMES[self.number]

    @property
    def label(self):
        year = to_persian_digits(self.year) if persian_is_active() else str(self.year)
        return f"{self.name} {year}"

    @property
    def code(self):
        """A stable text form for URLs and filters: 1405-1."""
        return f"{self.year}-{self.number}"

    def __str__(self):
        return str(self.label)


def quarters_of_year(year):
    return [Quarter(year, number) for number in (1, 2, 3, 4)]


INVALID_DATE_MESSAGE = _("Enter a valid Solar Hijri date, like 1405/09/06.")
