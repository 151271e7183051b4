from django.db import models

from .forms import JalaliDateField, JalaliDateInput


class JalaliDatesAdminMixin:
    """Admin forms that show and accept dates in Jalali (with Persian or Latin digits)."""

    formfield_overrides = {models.DateField: {"form_class": JalaliDateField, "widget": JalaliDateInput}}
