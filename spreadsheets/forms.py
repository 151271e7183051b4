from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, County
from persian.jalali import InvalidDate, Quarter, to_latin_digits
from plans.models import StrategicPlan

from .export import ExportFilters

FORMATS = [("xlsx", "Excel (xlsx)"), ("csv", "CSV")]


class QuarterField(forms.CharField):
    """A quarter written as its code, 1405-3 (Persian digits accepted)."""

    default_error_messages = {"invalid": _("Enter a quarter like 1405-3.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return Quarter.from_code(value)
        except (InvalidDate, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class LatinDigitsModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        return super().to_python(to_latin_digits(value) if value not in self.empty_values else value)


class ExportFilterForm(forms.Form):
    """The dashboard's filters, as query parameters of the export link."""

    plan = LatinDigitsModelChoiceField(queryset=StrategicPlan.objects.all(), required=False)
    county = LatinDigitsModelChoiceField(queryset=County.objects.all(), required=False)
    category = forms.ChoiceField(choices=[("", ""), *Agency.Category.choices], required=False)
    quarter = QuarterField(required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), to_field_name="code", required=False)
    format = forms.ChoiceField(choices=FORMATS, required=False)

    def filters(self):
        data = self.cleaned_data
        return ExportFilters(
            agency=data["agency"], county=data["county"], category=data["category"], quarter=data["quarter"]
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled progress sheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
