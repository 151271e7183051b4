"""The progress pages' filters: county, agency category and Jalali quarter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, County
from persian.jalali import InvalidDate, Quarter, quarters_of_year

from .models import milestone_scope


class ProgressFilterForm(forms.Form):
    """Narrows the milestones every figure is computed from.

    The quarter keeps the milestones *due* in that Jalali quarter (its first to last day).
    """

    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), required=False)
    category = forms.ChoiceField(label=_("Agency category"), required=False)
    quarter = forms.ChoiceField(
        label=_("Quarter"), required=False, help_text=_("Keeps the milestones due in this quarter.")
    )

    def __init__(self, data=None, *, plan, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Agency.Category.choices]
        self.fields["county"].empty_label = _("All counties")
        self.fields["quarter"].choices = [("", _("Whole year"))] + [
            (quarter.code, quarter.label) for quarter in quarters_of_year(plan.year)
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def clean_quarter(self):
        code = self.cleaned_data["quarter"]
        try:
            return Quarter.from_code(code) if code else None
        except InvalidDate as exc:  # the choices already refuse it; kept for direct use
            raise forms.ValidationError(_("Choose a quarter of the plan's year."), code="invalid_quarter") from exc

    def scope(self, prefix=""):
        """A Q on milestones; an invalid form narrows nothing (its errors are shown)."""
        if not self.is_valid():
            return milestone_scope(prefix)
        return milestone_scope(
            prefix,
            county=self.cleaned_data["county"],
            category=self.cleaned_data["category"] or None,
            quarter=self.cleaned_data["quarter"],
        )

    def summary(self):
        """The chosen filters as readable labels, for the printed page."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        labels = [str(data["county"])] if data["county"] else []
        if data["category"]:
            labels.append(str(dict(Agency.Category.choices)[data["category"]]))
        if data["quarter"]:
            labels.append(str(data["quarter"].label))
        return labels

    @property
    def active(self):
        return self.is_valid() and any(self.cleaned_data.values())
