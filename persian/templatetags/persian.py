"""Template filters for Jalali dates and Persian digits (loaded as a builtin)."""

import datetime
import re

from django import template
from django.utils import timezone

from persian import jalali

register = template.Library()
DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


@register.filter
def jdate(value):
    """A date (or datetime) as ۱۴۰۵/۰۹/۰۶ in Persian, 2026-11-27 in English."""
    return jalali.format_date(value)


@register.filter
def jdatetime(value):
    if isinstance(value, datetime.datetime):
        return jalali.format_datetime(value)
    return jalali.format_date(value)


@register.filter
def digits(value):
    """Persian digits (and the Persian decimal separator: ۷۴٫۲) in Persian pages; unchanged in English."""
    if value is None:
        return ""
    if not jalali.persian_is_active():
        return str(value)
    return jalali.to_persian_digits(DECIMAL_POINT.sub("٫", str(value)))


@register.filter
def quarter(value):
    """The Solar Hijri quarter of a date: «پاییز ۱۴۰۵»."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not jalali.FIRST_SHOWN_DAY <= value <= jalali.LAST_SHOWN_DAY:
        return value.isoformat()  # a stored value the app cannot show as Jalali never breaks the page
    return jalali.Quarter.containing(value).label
