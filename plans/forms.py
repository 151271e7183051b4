"""The progress pages' filters and GET parameters, read through forms (never by hand in a view)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, County
from fileformats.uploads import check_evidence_files, names_as_sent, safe_display_name
from persian import values
from persian.forms import (
    IdField,
    JalaliDateField,
    NormalizedChoiceField,
    PercentField,
    PersianIntegerField,
    PersianTextField,
)
from persian.jalali import quarters_of_year, to_latin_digits

from .models import Evidence, Status, milestone_scope
from .services import EvidenceFile, EvidenceLink

LETTER_NEEDS_NUMBER = _("Give the letter's number as well as its date.")
NOT_A_STATUS = _("“%(value)s” is not a status; use one of: %(choices)s.")


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
            return values.clean_quarter(code) if code else None
        except values.InvalidValue as exc:  # the choices already refuse it; kept for direct use
            raise exc.as_validation_error() from None

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

    def filters(self):
        """The chosen filters as keyword arguments (county, category, quarter); none if the form is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"county": data["county"], "category": data["category"] or None, "quarter": data["quarter"]}

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


class PlanChoiceForm(forms.Form):
    """The dashboard's ?plan=<id>; anything but a plan's id leaves the active plan chosen."""

    plan = IdField(required=False)

    def chosen(self, plans):
        if not self.is_valid() or self.cleaned_data["plan"] is None:
            return None
        return next((plan for plan in plans if plan.pk == self.cleaned_data["plan"]), None)


class GoalNumberForm(forms.Form):
    """The agency page's ?goal=<number> (any digits); a bad number filters nothing."""

    goal = PersianIntegerField(required=False, min_value=1, max_value=32767)

    def number(self):
        return self.cleaned_data["goal"] if self.is_valid() else None


class HeatmapOrderForm(forms.Form):
    """The heatmap's ?rows=number|progress and ?cols=name|progress."""

    rows = forms.ChoiceField(choices=[("number", "number"), ("progress", "progress")], required=False)
    cols = forms.ChoiceField(choices=[("name", "name"), ("progress", "progress")], required=False)

    def order(self):
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("rows") or "number", data.get("cols") or "name"


class OverdueForm(forms.Form):
    """The overdue page's ?days=N (1 to 366): agencies with no report in that many days."""

    days = PersianIntegerField(required=False, min_value=1, max_value=366)

    def days_or(self, default):
        if not self.is_valid() or self.cleaned_data["days"] is None:
            return default
        return self.cleaned_data["days"]


# --- the progress report: one form for the report page, the agency page's row and the round-trip sheet ---


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each one passes the upload checker (fileformats.uploads) before the form is valid."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [item for item in files if item]
        for item in files:
            super().clean(item, initial)
        return [EvidenceFile(**vars(checked)) for checked in check_evidence_files(files)]


class ProgressReportForm(forms.Form):
    """What an officer may change on a milestone: status, progress, note and evidence (nothing else)."""

    version = PersianIntegerField(min_value=0, max_value=values.MAX_ID, widget=forms.HiddenInput)
    status = NormalizedChoiceField(label=_("Status"), choices=Status.choices, invalid_message=NOT_A_STATUS)
    progress = PercentField(label=_("Progress (%)"), help_text=_("0 to 100."))
    note = PersianTextField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done; for a delayed milestone, why."),
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, JPG, PNG, Word (docx) or Excel (xlsx); you can choose several files."),
    )
    links = forms.CharField(
        label=_("News links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("One web address per line."),
    )
    letter_number = forms.CharField(label=_("Letter number"), required=False, max_length=100)
    letter_date = JalaliDateField(label=_("Letter date"), required=False)

    def __init__(self, *args, milestone, user=None, upload_names=(), **kwargs):
        kwargs.setdefault(
            "initial", {"version": milestone.version, "status": milestone.status, "progress": milestone.progress}
        )
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self.upload_names = list(upload_names)
        self.fields["status"].choices = self.status_choices_for(user, milestone)
        self.fields["files"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "version",
            Field("status"),
            Field("progress"),
            Field("note"),
            Field("files"),
            Field("links"),
            Field("letter_number"),
            Field("letter_date"),
        )

    @staticmethod
    def status_choices_for(user, milestone=None):
        """The statuses a person may report: cancelling is the rules' decision (plans.cancel_milestone)."""
        if user is not None and user.has_perm("plans.cancel_milestone", milestone):
            return list(Status.choices)
        return [choice for choice in Status.choices if choice[0] != Status.CANCELLED]

    def clean_links(self):
        links, max_length = [], Evidence._meta.get_field("url").max_length
        for line in self.cleaned_data["links"].splitlines():
            if not line.strip():
                continue
            try:
                links.append(values.clean_url(line, max_length=max_length))
            except values.InvalidValue as exc:
                raise exc.as_validation_error() from None
        return links

    def clean_letter_number(self):
        return to_latin_digits(self.cleaned_data["letter_number"]).strip()

    def clean(self):
        cleaned = super().clean()
        # The names as the browser sent them: Django has already cleaned the ones in `files`.
        try:
            for name in self.upload_names:
                safe_display_name(name)
        except ValidationError as exc:
            self.add_error("files", exc)
        else:
            if cleaned.get("files"):
                cleaned["files"] = names_as_sent(cleaned["files"], self.upload_names)
        if cleaned.get("letter_date") and not cleaned.get("letter_number"):
            self.add_error("letter_number", ValidationError(LETTER_NEEDS_NUMBER, code="letter_needs_number"))
        return cleaned

    def evidence_links(self):
        links = [EvidenceLink(url=url) for url in self.cleaned_data["links"]]
        if self.cleaned_data["letter_number"]:
            links.append(
                EvidenceLink(
                    letter_number=self.cleaned_data["letter_number"], letter_date=self.cleaned_data["letter_date"]
                )
            )
        return links
