"""The API's GET parameters, read through small forms built on persian.forms (one input layer).

A bad value is a 400 with the same Persian message a page filter gives; nothing is guessed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from persian.forms import IdField, JalaliDateField, NormalizedChoiceField, PersianTextField, QuarterField
from plans.models import ProgressUpdate, Status, milestone_scope

DATES_REVERSED = _("The first due date must not be after the last one.")
REPORT_DATES_REVERSED = _("The first report date must not be after the last one.")
UNKNOWN_PARAMETER = _("Unknown parameter “%(name)s”; this list accepts: %(known)s.")


class ApiFilterForm(forms.Form):
    """A filter form that also refuses parameters it does not know (a typo should not return everything)."""

    ignored = ("cursor", "format")
    # (first day's field, last day's field, the message when they are reversed), or None.
    date_range = None

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.unknown = sorted(set(data) - set(self.fields) - set(self.ignored))

    def clean(self):
        cleaned = super().clean()
        for name in self.unknown:
            self.add_error(
                None,
                ValidationError(
                    UNKNOWN_PARAMETER,
                    code="unknown",
                    params={"name": name, "known": "، ".join([*self.fields, *self.ignored])},
                ),
            )
        if self.date_range:
            first_name, last_name, message = self.date_range
            first, last = cleaned.get(first_name), cleaned.get(last_name)
            if first and last and first > last:
                self.add_error(last_name, ValidationError(message, code="reversed"))
        return cleaned


class ScopeFilterForm(ApiFilterForm):
    """The dashboard's filters (county, agency category, quarter): they narrow the milestones figures come from."""

    county = IdField(required=False)
    category = NormalizedChoiceField(choices=Agency.Category.choices, required=False)
    quarter = QuarterField(required=False)

    def scope(self, prefix=""):
        data = self.cleaned_data
        return milestone_scope(
            prefix, county=data["county"], category=data["category"] or None, quarter=data["quarter"]
        )


class AgencyFilterForm(ApiFilterForm):
    county = IdField(required=False)
    category = NormalizedChoiceField(choices=Agency.Category.choices, required=False)

    def filter(self, agencies):
        data = self.cleaned_data
        if data["county"] is not None:
            agencies = agencies.filter(county_id=data["county"])
        if data["category"]:
            agencies = agencies.filter(category=data["category"])
        return agencies


class MilestoneFilterForm(ScopeFilterForm):
    plan = IdField(required=False)
    goal = IdField(required=False)
    agency = IdField(required=False)
    status = NormalizedChoiceField(choices=Status.choices, required=False)
    due_from = JalaliDateField(required=False)
    due_to = JalaliDateField(required=False)
    date_range = ("due_from", "due_to", DATES_REVERSED)

    def filter(self, milestones):
        data = self.cleaned_data
        condition = self.scope()
        for name, lookup in (("plan", "goal__plan_id"), ("goal", "goal_id"), ("agency", "agency_id")):
            if data[name] is not None:
                condition &= Q(**{lookup: data[name]})
        if data["status"]:
            condition &= Q(status=data["status"])
        if data["due_from"]:
            condition &= Q(due_date__gte=data["due_from"])
        if data["due_to"]:
            condition &= Q(due_date__lte=data["due_to"])
        return milestones.filter(condition)


class NoFilterForm(ApiFilterForm):
    """A list without filters: any parameter but the cursor is refused (a typo should not pass unseen)."""


class ReportFilterForm(ApiFilterForm):
    plan = IdField(required=False)
    goal = IdField(required=False)
    milestone = IdField(required=False)
    agency = IdField(required=False)
    status = NormalizedChoiceField(choices=Status.choices, required=False)
    review_state = NormalizedChoiceField(choices=ProgressUpdate.ReviewState.choices, required=False)
    reported_from = JalaliDateField(required=False)
    reported_to = JalaliDateField(required=False)
    date_range = ("reported_from", "reported_to", REPORT_DATES_REVERSED)

    def filter(self, reports):
        data = self.cleaned_data
        condition = Q()
        for name, lookup in (
            ("plan", "milestone__goal__plan_id"),
            ("goal", "milestone__goal_id"),
            ("milestone", "milestone_id"),
            ("agency", "milestone__agency_id"),
        ):
            if data[name] is not None:
                condition &= Q(**{lookup: data[name]})
        for name in ("status", "review_state"):
            if data[name]:
                condition &= Q(**{name: data[name]})
        # Days in Tehran: the report's local date is between the two days, inclusive.
        if data["reported_from"]:
            condition &= Q(created_at__date__gte=data["reported_from"])
        if data["reported_to"]:
            condition &= Q(created_at__date__lte=data["reported_to"])
        return reports.filter(condition)


class NewTokenForm(forms.Form):
    """A new personal token: only its name is asked; the secret is made by the app."""

    name = PersianTextField(
        label=_("What is the token for?"),
        max_length=100,
        help_text=_("For example “national dashboard”. You can revoke it here at any time."),
    )
