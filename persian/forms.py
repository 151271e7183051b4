"""Form fields that accept what Persian users type: Jalali dates and Persian digits."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from .jalali import INVALID_DATE_MESSAGE, InvalidDate, format_date, parse_date, persian_is_active


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
        if persian_is_active():
            widget_attrs.setdefault("data-jdp", "")
            widget_attrs.setdefault("placeholder", "۱۴۰۵/۰۹/۰۶")
        else:
            widget_attrs.setdefault("placeholder", "2026-11-27")
        return context


class JalaliDateField(forms.Field):
    widget = JalaliDateInput
    default_error_messages = {"invalid": INVALID_DATE_MESSAGE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(value)
        except InvalidDate:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
