from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, County
from persian.forms import IdModelChoiceField, QuarterField
from plans.models import StrategicPlan

from .export import ExportFilters

FORMATS = [("xlsx", "Excel (xlsx)"), ("csv", "CSV")]


class ExportFilterForm(forms.Form):
    """The dashboard's filters, as query parameters of the export link."""

    plan = IdModelChoiceField(queryset=StrategicPlan.objects.all(), required=False)
    county = IdModelChoiceField(queryset=County.objects.all(), required=False)
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


class SheetQuarterForm(forms.Form):
    """The round trip's ?quarter=1405-3; empty means the current quarter, a bad code is an error."""

    quarter = QuarterField(required=False)
