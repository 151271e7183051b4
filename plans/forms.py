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
    IdModelChoiceField,
    JalaliDateField,
    NormalizedChoiceField,
    NumberInput,
    PercentField,
    PersianIntegerField,
    PersianTextField,
)
from persian.jalali import persian_is_active, quarters_of_year, to_latin_digits, to_persian_digits

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
            Field("files", template="plans/_file_field.html"),
            Field("links"),
            Field("letter_number"),
            Field("letter_date"),
        )

    @property
    def dropped_files(self):
        """The names of the files sent with a form that came back with errors: the browser forgets them."""
        if not self.is_bound or not self.files or not self.errors:
            return []
        names = self.upload_names or [item.name for item in self.files.getlist("files")]
        return [name for name in names if name][:20]

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


# --- the plan editor (issue 11): the director-general's forms; every value through persian.forms ---

REASON_HELP = _("Needed when the due date, the weight or the agency changes; the agency's officer sees it.")
CHOOSE_AGENCIES = _("Choose the agencies.")
CHOOSE_CATEGORY = _("Choose a category.")
CHOOSE_COUNTY = _("Choose a county.")
BAD_ORDER = _("The order of the goals could not be read; reload the page.")


class PersianNumberInput(NumberInput):
    """A number box whose value is shown in Persian digits on Persian pages (typed in any digits)."""

    def format_value(self, value):
        value = super().format_value(value)
        return to_persian_digits(value) if value is not None and persian_is_active() else value


def _number(label, *, min_value, max_value, **kwargs):
    return PersianIntegerField(
        label=label, min_value=min_value, max_value=max_value, widget=PersianNumberInput, **kwargs
    )


def _version_field():
    return PersianIntegerField(min_value=0, max_value=values.MAX_ID, widget=forms.HiddenInput)


def _text(label, max_length, *, required=True, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    kwargs = {"widget": widget} if widget else {}
    return PersianTextField(label=label, max_length=max_length, required=required, help_text=help_text, **kwargs)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by their ids, each read by persian.values.clean_id before any query."""

    def _check_values(self, value):
        try:
            ids = [values.clean_id(item) for item in value]
        except values.InvalidValue:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            ) from None
        return super()._check_values(ids)


class EditorForm(forms.Form):
    """A crispy form rendered inside the page's own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class PlanForm(EditorForm):
    version = _version_field()
    title = _text(_("Title"), 200)
    year = _number(_("Solar Hijri year"), min_value=1300, max_value=1500)
    description = _text(_("Description"), 4000, required=False, rows=3)
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Publish a progress page that anyone may read without logging in."),
    )

    def __init__(self, *args, plan=None, **kwargs):
        if plan is not None:
            kwargs.setdefault("initial", {name: getattr(plan, name) for name in (*self.base_fields,)})
        super().__init__(*args, **kwargs)
        self.fields["version"].required = plan is not None


class GoalForm(EditorForm):
    version = _version_field()
    number = _number(
        _("Number"), min_value=1, max_value=32767, required=False, help_text=_("Empty: after the last goal.")
    )
    title = _text(_("Title"), 300)
    description = _text(_("Description"), 4000, required=False, rows=3)
    weight = _number(_("Weight"), min_value=1, max_value=32767, initial=1)
    owner = IdModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.all(), required=False)

    def __init__(self, *args, goal=None, **kwargs):
        if goal is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": goal.version,
                    "number": goal.number,
                    "title": goal.title,
                    "description": goal.description,
                    "weight": goal.weight,
                    "owner": goal.owner_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["version"].required = goal is not None
        self.fields["number"].required = goal is not None
        self.fields["owner"].queryset = Agency.objects.only("pk", "name")


class MilestoneValuesForm(EditorForm):
    """What a milestone asks: the same fields for one agency's milestone and for many at once."""

    title = _text(_("Title"), 300)
    description = _text(_("Description"), 4000, required=False, rows=2)
    target = _text(_("Target"), 300, required=False, help_text=_("The expected output, e.g. '4 press conferences'."))
    start_date = JalaliDateField(label=_("Start date"))
    due_date = JalaliDateField(label=_("Due date"))
    weight = _number(_("Weight"), min_value=1, max_value=32767, initial=1)

    def milestone_values(self):
        return {name: self.cleaned_data[name] for name in MilestoneValuesForm.base_fields}


class MilestoneEditForm(MilestoneValuesForm):
    version = _version_field()
    agency = IdModelChoiceField(label=_("Agency"), queryset=Agency.objects.all())
    reason = _text(_("Reason for the change"), 100, required=False, help_text=REASON_HELP)

    field_order = ["version", "title", "agency", "start_date", "due_date", "weight", "target", "description", "reason"]

    def __init__(self, *args, milestone, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": milestone.version,
                "agency": milestone.agency_id,
                **{name: getattr(milestone, name) for name in MilestoneValuesForm.base_fields},
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.only("pk", "name")

    def milestone_values(self):
        return {**super().milestone_values(), "agency": self.cleaned_data["agency"]}


class CancelMilestoneForm(EditorForm):
    version = _version_field()
    reason = _text(_("Reason for cancelling"), 100, help_text=_("Kept in the milestone's history."))


class AssignMilestoneForm(MilestoneValuesForm):
    """One milestone for many agencies: chosen by hand, by category, by county, or all active ones."""

    HAND, CATEGORY, COUNTY, ALL = "hand", "category", "county", "all"
    choose = NormalizedChoiceField(
        label=_("Which agencies"),
        choices=[
            (HAND, _("The agencies ticked below")),
            (CATEGORY, _("Every active agency of a category")),
            (COUNTY, _("Every active agency of a county")),
            (ALL, _("Every active agency")),
        ],
        initial=HAND,
        widget=forms.RadioSelect,
    )
    category = NormalizedChoiceField(label=_("Category"), choices=[], required=False)
    county = IdModelChoiceField(label=_("County"), queryset=County.objects.all(), required=False)
    agencies = IdModelMultipleChoiceField(
        label=_("Agencies"), queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *Agency.Category.choices]
        self.fields["county"].empty_label = "—"
        self.fields["agencies"].queryset = Agency.objects.active().only("pk", "name")

    def clean(self):
        cleaned = super().clean()
        choose = cleaned.get("choose")
        needed = {self.HAND: ("agencies", CHOOSE_AGENCIES), self.CATEGORY: ("category", CHOOSE_CATEGORY)}
        needed[self.COUNTY] = ("county", CHOOSE_COUNTY)
        if choose in needed:
            name, message = needed[choose]
            if not cleaned.get(name):
                self.add_error(name, ValidationError(message, code="required"))
        return cleaned

    def chosen_agencies(self):
        data = self.cleaned_data
        active = Agency.objects.active().order_by("name")
        if data["choose"] == self.CATEGORY:
            return list(active.filter(category=data["category"]))
        if data["choose"] == self.COUNTY:
            return list(active.filter(county=data["county"]))
        if data["choose"] == self.ALL:
            return list(active)
        return sorted(data["agencies"], key=lambda agency: agency.name)


class CopyPlanForm(EditorForm):
    title = _text(_("Title of the new plan"), 200, required=False, help_text=_("Empty: this plan's title, a year on."))
    carry_over = forms.BooleanField(
        label=_("Carry unfinished milestones over"),
        required=False,
        initial=True,
        help_text=_("Not started, in progress and delayed milestones move to the new plan a year on; done ones stay."),
    )


class VersionForm(forms.Form):
    version = _version_field()


class ReorderForm(forms.Form):
    """Move one goal up or down; `order` is the goals' order as the page showed it (ids)."""

    order = forms.CharField(max_length=2000)
    goal = IdField()
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])

    def clean_order(self):
        try:
            return [values.clean_id(part) for part in self.cleaned_data["order"].split(",")]
        except values.InvalidValue:
            raise ValidationError(BAD_ORDER, code="bad_order") from None

    def clean(self):
        cleaned = super().clean()
        if "order" in cleaned and cleaned.get("goal") not in cleaned["order"]:
            raise ValidationError(BAD_ORDER, code="bad_order")
        return cleaned

    def new_order(self):
        order = list(self.cleaned_data["order"])
        index = order.index(self.cleaned_data["goal"])
        other = index - 1 if self.cleaned_data["direction"] == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
        return order
