"""import-export widgets, each built on the cleaning function its form field uses (persian.values).

A widget raises ValueError with the same message the form field gives, so the admin import, the
form and the round trip accept and refuse the same spellings with the same words.
"""

import contextlib
import contextvars

from django.utils.translation import gettext as _
from import_export import widgets

from persian import values
from persian.jalali import format_date, to_persian_digits

from .writer import unneutralise

_lookups = contextvars.ContextVar("fileformats_lookups", default=None)


@contextlib.contextmanager
def lookups_cached():
    """Within it (one import), a related row found once is not looked up again: 20,000 rows naming the
    same goal ask for it once. Outside it every lookup asks the database."""
    token = _lookups.set({})
    try:
        yield
    finally:
        _lookups.reset(token)


def cached_lookup(key, find):
    """find() once per key within lookups_cached(); every time outside it."""
    cache = _lookups.get()
    if cache is None:
        return find()
    if key not in cache:
        cache[key] = find()
    return cache[key]


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


class CleanedWidget(widgets.Widget):
    """A cell read by one persian.values function; an empty cell gives `default`."""

    def __init__(self, *, default=None, **kwargs):
        super().__init__(**kwargs)
        self.default = default

    def clean_value(self, value):
        raise NotImplementedError

    def clean(self, value, row=None, **kwargs):
        if _empty(value):
            return self.default
        try:
            return self.clean_value(value)
        except values.InvalidValue as exc:
            raise ValueError(str(exc)) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class IntegerWidget(CleanedWidget):
    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        super().__init__(**kwargs)
        self.min_value, self.max_value = min_value, max_value

    def clean_value(self, value):
        return values.clean_integer(value, min_value=self.min_value, max_value=self.max_value)


class IdWidget(CleanedWidget):
    def clean_value(self, value):
        return values.clean_id(value)


class PercentWidget(CleanedWidget):
    def clean_value(self, value):
        return values.clean_percent(value)


class JalaliDateWidget(CleanedWidget):
    """A date typed as Jalali or Gregorian text, or a date cell (docs/input.md); exported as Jalali text."""

    def clean_value(self, value):
        return values.clean_date(value)

    def render(self, value, obj=None, **kwargs):
        return format_date(value) if value else ""


class ChoiceWidget(CleanedWidget):
    """A choice by code or by its Persian or English label (persian.values.clean_choice); exported as its label."""

    def __init__(self, choices, *, message=values.NOT_A_CHOICE, **kwargs):
        super().__init__(**kwargs)
        self.choices, self.message = choices, message

    def clean_value(self, value):
        return values.clean_choice(value, self.choices, message=self.message)

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class TextWidget(CleanedWidget):
    """Text through the one normaliser, digits as typed; the apostrophe our export puts before a
    leading = + - @ is taken off again, so an export imported back changes nothing."""

    def __init__(self, *, max_length=None, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)
        self.max_length = max_length

    def clean_value(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return values.clean_text(unneutralise(str(value)), max_length=self.max_length)


class URLWidget(CleanedWidget):
    def __init__(self, *, max_length, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)
        self.max_length = max_length

    def clean_value(self, value):
        return values.clean_url(unneutralise(str(value)), max_length=self.max_length)


class ForeignKeyByIdWidget(widgets.ForeignKeyWidget):
    """A related row by its id (any digits); a clear message when the id is not a row's."""

    def clean(self, value, row=None, **kwargs):
        if _empty(value):
            return None
        try:
            pk = values.clean_id(value)
        except values.InvalidValue as exc:
            raise ValueError(str(exc)) from None
        found = cached_lookup(
            (self.__class__, self.model, pk), lambda: self.get_queryset(value, row, **kwargs).filter(pk=pk).first()
        )
        if found is None:
            raise ValueError(
                _("No %(model)s has the id %(value)s.")
                % {"model": self.model._meta.verbose_name, "value": to_persian_digits(pk)}
            )
        return found
