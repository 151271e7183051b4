"""Form fields for every kind of value a person types, each built on its cleaning function in persian.values.

The same functions back the import-export widgets (fileformats.widgets), the round-trip sheet and
the page filters, so a value is accepted or refused, with the same message, wherever it is typed.
"""

import datetime

from django import forms
from django.utils.translation import gettext

from . import values
from .jalali import format_date, persian_is_active


class JalaliDateInput(forms.TextInput):
    """A text box showing ۱۴۰۵/۰۹/۰۶ in Persian (with the local Jalali date picker) and ISO in English."""

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_date(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("inputmode", "numeric")
        widget_attrs.setdefault("autocomplete", "off")
        widget_attrs.setdefault("dir", "ltr")
        # The placeholder shows the order of the parts, never a date that could pass for a real one.
        if persian_is_active():
            widget_attrs.setdefault("data-jdp", "")
        widget_attrs.setdefault("placeholder", gettext("yyyy/mm/dd") if persian_is_active() else "YYYY-MM-DD")
        return context


class NumberInput(forms.TextInput):
    """A text box (not type=number, which refuses Persian digits in some browsers) for numbers."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "dir": "ltr", "autocomplete": "off", **(attrs or {})})


class CleanedField(forms.Field):
    """A field whose value is read by one cleaning function of persian.values."""

    def clean_value(self, value):
        raise NotImplementedError

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return self.clean_value(value)
        except values.InvalidValue as exc:
            raise exc.as_validation_error() from None


class PersianIntegerField(CleanedField):
    """A whole number in Persian, Arabic-Indic or Latin digits, optionally bounded."""

    widget = NumberInput

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def clean_value(self, value):
        return values.clean_integer(value, min_value=self.min_value, max_value=self.max_value)


class IdField(CleanedField):
    """A row's id: 1 to 2^63 − 1, at most 18 digits read."""

    widget = NumberInput

    def clean_value(self, value):
        return values.clean_id(value)


class PercentField(CleanedField):
    """A progress from 0 to 100: ۶۵, 65, ٪۶۵, 65%."""

    widget = NumberInput

    def clean_value(self, value):
        return values.clean_percent(value)


class JalaliDateField(CleanedField):
    """A date typed in Jalali (or Gregorian ISO), any digits; only Solar Hijri years 1300 to 1500."""

    widget = JalaliDateInput

    def clean_value(self, value):
        return values.clean_date(value)


class QuarterField(CleanedField):
    """A Solar Hijri quarter by its code, 1405-3."""

    def clean_value(self, value):
        return values.clean_quarter(value)


class NormalizedChoiceField(forms.ChoiceField):
    """A choice matched by code or by its Persian or English label, however spaces, half-spaces,
    hamza and Arabic letters were typed (persian.values.clean_choice)."""

    def __init__(self, *, invalid_message=values.NOT_A_CHOICE, **kwargs):
        self.invalid_message = invalid_message
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return ""
        try:
            return values.clean_choice(value, self.choices, message=self.invalid_message)
        except values.InvalidValue as exc:
            raise exc.as_validation_error() from None


class PersianTextField(forms.CharField):
    """Text through the one normaliser (persian.values.normalize_text); digits stay as typed."""

    def to_python(self, value):
        return values.normalize_text(super().to_python(value))


class PersianURLField(CleanedField):
    """A web address (http or https), no longer than the model field it is stored in."""

    widget = forms.TextInput(attrs={"dir": "ltr"})

    def __init__(self, *, max_length, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def clean_value(self, value):
        return values.clean_url(value, max_length=self.max_length)


class IdModelChoiceField(forms.ModelChoiceField):
    """A row chosen by its id, typed in any digits; an id that cannot be a row's is refused before any query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, self.queryset.model):
            try:
                value = values.clean_id(value)
            except values.InvalidValue:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        return super().to_python(value)
