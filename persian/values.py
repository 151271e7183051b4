"""The one place where typed and uploaded values are read: pure cleaning functions, one per kind of value.

Every path that takes input from a person (forms, page filters, the round-trip sheet, the admin
import, an API) reads a value through one of these functions, either directly or through the form
field (persian.forms) or the import-export widget (fileformats.widgets) built on it. Each returns
the Python value or raises InvalidValue with a translatable message; a form field turns that into
a ValidationError and a widget into a ValueError, so all paths give the same message.

Digits: numbers are read in Persian, Arabic-Indic or Latin digits. Free text keeps the digits its
author typed (normalize_text never rewrites digits): only numeric parsing converts them.
"""

import datetime
import re
from decimal import Decimal

import jdatetime
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .jalali import (
    FIRST_SHOWN_DAY,
    FIRST_YEAR,
    INVALID_DATE_MESSAGE,
    LAST_SHOWN_DAY,
    LAST_YEAR,
    Quarter,
    persian_is_active,
    to_latin_digits,
    to_persian_digits,
)

# --- errors -----------------------------------------------------------------------------------


class InvalidValue(ValueError):
    """A value that cannot be read; `message % params` is for the user (Persian on Persian pages)."""

    def __init__(self, message, code="invalid", params=None):
        persian = persian_is_active()
        self.message, self.code = message, code
        self.params = {
            key: to_persian_digits(value) if persian and isinstance(value, int) else value
            for key, value in (params or {}).items()
        }
        super().__init__(code)

    def __str__(self):
        return str(self.message) % self.params if self.params else str(self.message)

    def as_validation_error(self):
        from django.core.exceptions import ValidationError

        return ValidationError(self.message, code=self.code, params=self.params or None)


# --- text ---------------------------------------------------------------------------------------

# Arabic letters that Persian keyboards and old documents still produce, and stray direction marks.
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200f": "", "\u200e": ""})


def normalize_text(text):
    """THE Persian text normaliser: Persian ی/ک for Arabic ي/ك, no stray direction marks,
    line endings unified, each line's trailing spaces and the text's outer spaces removed.

    Digits stay as typed (a title's «۲۰٪» stays «۲۰٪»), and so does the zero-width non-joiner.
    """
    if text is None:
        return ""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").translate(_ARABIC_LETTERS).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


TEXT_TOO_LONG = _("Keep this to at most %(max)s characters (it has %(length)s).")


def clean_text(value, *, max_length=None):
    text = normalize_text(value)
    if max_length is not None and len(text) > max_length:
        raise InvalidValue(TEXT_TOO_LONG, "max_length", {"max": max_length, "length": len(text)})
    return text


# Letters written several ways: hamza seats, the Arabic forms, tatweel and short vowels.
_LOOKUP_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "ۀ": "ه",
        "ء": "",
        "ـ": "",
        **{chr(code): "" for code in (*range(0x064B, 0x0660), 0x0670)},
    }
)
_SPACES = re.compile(r"[\s\u200c\u200d\u00a0]+")


def lookup_key(text):
    """How two spellings of one label are compared: normalised, hamza and vowels folded, digits Latin,
    every space and half-space removed (so «متوقف / با تاخیر» and «متوقف/با تأخیر» meet), case folded."""
    text = to_latin_digits(normalize_text(text)).translate(_LOOKUP_FOLD)
    return _SPACES.sub("", text).casefold()


def _typed(value):
    """Typed text as the parsers read it: Latin digits, outer spaces and direction marks gone, and one
    leading apostrophe (a spreadsheet's "keep this as text" mark, which LibreOffice sometimes keeps) dropped."""
    text = to_latin_digits(value).replace("\u200e", "").replace("\u200f", "").strip()
    return text[1:].strip() if text.startswith("'") else text


# --- numbers ------------------------------------------------------------------------------------

MAX_DIGITS = 18  # at most this many digits are read: every such number fits a 64-bit column
MAX_ID = 2**63 - 1
NOT_A_WHOLE_NUMBER = _("Enter a whole number.")
NUMBER_TOO_LONG = _("Enter a whole number of at most %(digits)s digits.")
NUMBER_OUT_OF_RANGE = _("Enter a whole number from %(min)s to %(max)s.")
NOT_AN_ID = _("Enter an id: a whole number greater than zero.")
NOT_A_PERCENT = _("Enter a progress from 0 to 100 (a percentage), like 65.")
_INTEGER = re.compile(r"^([+-]?)(\d+)(?:[.٫]0*)?$")


class PercentCell(float):
    """A number read from a cell formatted as a percentage: stored 0–1 (65% is 0.65)."""


def clean_integer(value, *, min_value=None, max_value=None, message=None):
    """A whole number in any digit set (a cell's 65.0 too); at most MAX_DIGITS digits are read."""
    if isinstance(value, bool):
        raise InvalidValue(message or NOT_A_WHOLE_NUMBER)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if not (value == value and abs(value) < 10**MAX_DIGITS) or value != int(value):
            raise InvalidValue(message or NOT_A_WHOLE_NUMBER)
        number = int(value)
    else:
        match = _INTEGER.match(_typed(value))
        if match is None:
            raise InvalidValue(message or NOT_A_WHOLE_NUMBER)
        digits = match.group(2).lstrip("0") or "0"
        if len(digits) > MAX_DIGITS:
            raise InvalidValue(message or NUMBER_TOO_LONG, "max_digits", None if message else {"digits": MAX_DIGITS})
        number = int(match.group(1) + digits)
    if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
        params = {"min": min_value if min_value is not None else "", "max": max_value if max_value is not None else ""}
        raise InvalidValue(message or NUMBER_OUT_OF_RANGE, "out_of_range", None if message else params)
    return number


def clean_id(value):
    """A row's id: a whole number from 1 to 2^63 − 1 (the database's bigint)."""
    return clean_integer(value, min_value=1, max_value=MAX_ID, message=NOT_AN_ID)


_PERCENT_SIGNS = "%٪﹪％"


def clean_percent(value):
    """A progress from 0 to 100: ۶۵, 65, ٪۶۵, 65%, ۶۵٫۰۰%, or 0.65 from a cell formatted as a percentage."""
    if isinstance(value, PercentCell):
        value = round(float(value) * 100, 6)
    elif isinstance(value, str):
        value = _typed(value)
        if value[:1] in _PERCENT_SIGNS:
            value = value[1:]
        elif value[-1:] in _PERCENT_SIGNS:
            value = value[:-1]
    return clean_integer(value, min_value=0, max_value=100, message=NOT_A_PERCENT)


# --- dates --------------------------------------------------------------------------------------

DATE_OUT_OF_RANGE = _("Enter a date from the Solar Hijri year 1300 to 1500, like 1405/09/06.")
DATE_CELL_OUT_OF_RANGE = _(
    "The cell holds a date in the year %(year)s, which is neither a Solar Hijri year from 1300 to 1500 nor a "
    "Gregorian year from 1900 to 2100; type the date as text, like 1405/09/06."
)
DATE_CELL_NOT_JALALI = _(
    "The spreadsheet program stored the date typed as %(typed)s as a date of its own calendar, and it is not a "
    "Solar Hijri date; type the date as text, like 1405/09/06."
)
_DATE = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:[ T]00:00(?::00)?)?$")
FIRST_DAY, LAST_DAY = FIRST_SHOWN_DAY, LAST_SHOWN_DAY
GREGORIAN_YEARS = (1900, 2100)  # a typed or stored Gregorian year is believed only in this span
# Before this day LibreOffice shows and reads dates in the Julian calendar.
GREGORIAN_REFORM = datetime.date(1582, 10, 15)


def julian_calendar_date(value):
    """The (year, month, day) the Julian calendar gives a (proleptic Gregorian) date."""
    c = value.toordinal() + 1721425 + 32082  # the Julian day number, shifted
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    return d - 4800 + m // 10, m + 3 - 12 * (m // 10), e - (153 * m + 2) // 5 + 1


def _in_range(day):
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidValue(DATE_OUT_OF_RANGE, "out_of_range")
    return day


def _jalali(year, month, day):
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        raise InvalidValue(INVALID_DATE_MESSAGE) from None


def _date_cell(value):
    """A real date from a spreadsheet cell.

    Gregorian 1900–2100: believed. 1300–1500: a Jalali date that LibreOffice (fa-IR) or Excel read as
    its own calendar's; LibreOffice stores days before 1582-10-15 in the Julian calendar (1405/09/15
    becomes the Gregorian 1405-09-24), so the Julian reading of the stored day gives back the digits
    typed, which are then read as the Jalali date they were (docs/input.md).
    """
    if GREGORIAN_YEARS[0] <= value.year <= GREGORIAN_YEARS[1]:
        return _in_range(value)
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        year, month, day = julian_calendar_date(value) if value < GREGORIAN_REFORM else value.timetuple()[:3]
        try:
            return _in_range(jdatetime.date(year, month, day).togregorian())
        except ValueError:
            typed = f"{year}/{month:02}/{day:02}"
            typed = to_persian_digits(typed) if persian_is_active() else typed
            raise InvalidValue(DATE_CELL_NOT_JALALI, "date_cell", {"typed": typed}) from None
    raise InvalidValue(DATE_CELL_OUT_OF_RANGE, "date_cell", {"year": value.year})


def clean_date(value):
    """A date typed as Jalali (۱۴۰۵/۰۹/۰۶, 1405-9-6, any digits) or Gregorian (2026-11-27), or a date cell.

    Only days the app can show are accepted: Solar Hijri years 1300 to 1500.
    """
    if isinstance(value, datetime.datetime):
        return _date_cell(value.date())
    if isinstance(value, datetime.date):
        return _date_cell(value)
    match = _DATE.match(_typed(value))
    if match is None:
        raise InvalidValue(INVALID_DATE_MESSAGE)
    year, month, day = (int(part) for part in match.groups())
    if FIRST_YEAR <= year <= LAST_YEAR:
        return _in_range(_jalali(year, month, day))
    if GREGORIAN_YEARS[0] <= year <= GREGORIAN_YEARS[1]:
        try:
            day = datetime.date(year, month, day)
        except ValueError:
            raise InvalidValue(INVALID_DATE_MESSAGE) from None
        return _in_range(day)
    raise InvalidValue(DATE_OUT_OF_RANGE, "out_of_range")


# --- quarters -------------------------------------------------------------------------------------

NOT_A_QUARTER = _("Enter a quarter like 1405-3 (a Solar Hijri year from 1300 to 1500, then 1 to 4).")
_QUARTER = re.compile(r"^(\d{4})\s*-\s*(\d)$")


def clean_quarter(value):
    """A Solar Hijri quarter by its code, 1405-3 (any digits). A bad code is an error, never a fallback."""
    if isinstance(value, Quarter):
        return value
    match = _QUARTER.match(_typed(value))
    if match is None:
        raise InvalidValue(NOT_A_QUARTER)
    year, number = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= number <= 4):
        raise InvalidValue(NOT_A_QUARTER)
    return Quarter(year, number)


# --- choices ------------------------------------------------------------------------------------

NOT_A_CHOICE = _("“%(value)s” is not one of: %(choices)s.")


def choice_lookup(choices):
    """{lookup_key: value} for every value and its label in every language of the site."""
    from django.conf import settings

    choices = list(choices)
    lookup = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices:
                lookup.setdefault(lookup_key(str(label)), value)
    for value, _label in choices:
        lookup.setdefault(lookup_key(str(value)), value)
    return lookup


def clean_choice(value, choices, *, message=NOT_A_CHOICE):
    """A choice by its code or its Persian or English label, however its spaces, half-spaces,
    hamza and Arabic letters were typed. `message` gets %(value)s and %(choices)s."""
    lookup = choice_lookup(choices)
    found = lookup.get(lookup_key(str(value)))
    if found is None or found == "":
        labels = "، ".join(str(label) for code, label in choices if code != "")
        raise InvalidValue(message, "invalid_choice", {"value": str(value)[:80], "choices": labels})
    return found


# --- web addresses --------------------------------------------------------------------------------

NOT_A_LINK = _("“%(link)s” is not a web address (it should start with https://).")
LINK_TOO_LONG = _("The web address is longer than %(max)s characters; give a shorter one.")


def clean_url(value, *, max_length):
    """A web address (http or https), at most `max_length` characters (the model field's)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    link = str(value).strip()
    if len(link) > max_length:
        raise InvalidValue(LINK_TOO_LONG, "max_length", {"max": max_length})
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise InvalidValue(NOT_A_LINK, "bad_link", {"link": link[:80]}) from None
    return link
