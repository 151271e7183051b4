"""The reporting pages' forms: the review decision and the page filters.

The report form itself (ProgressReportForm) is plans.forms': the round-trip sheet validates its
rows with it too, and a feature app does not import another.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from persian.forms import IdField, IdModelChoiceField, NormalizedChoiceField, PersianTextField
from persian.templatetags.persian import digits
from plans.models import Goal, Status


def goal_label(goal):
    """«۵. عنوان» in Persian, as the headings write it (str(goal) has Latin digits)."""
    return f"{digits(goal.number)}. {goal.title}"


class GoalChoiceField(IdModelChoiceField):
    def label_from_instance(self, obj):
        return goal_label(obj)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for revision"))],
        widget=forms.RadioSelect,
    )
    reason = PersianTextField(
        label=_("Reason (for a return)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgencyPageFilter(forms.Form):
    """The agency page's filters (?status=, ?goal=), read here and never by hand in the view."""

    status = NormalizedChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    goal = forms.TypedChoiceField(label=_("Goal"), required=False, coerce=int, empty_value=None)
    # ?milestone=<id> (a notification's link): open the page of the list that holds that milestone.
    milestone = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("All goals")), *((goal.pk, goal_label(goal)) for goal in goals)]


class ReviewQueueFilter(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False, queryset=Agency.objects.none(), to_field_name="code", empty_label=_("All")
    )
    goal = GoalChoiceField(label=_("Goal"), required=False, queryset=Goal.objects.none(), empty_label=_("All"))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.active()
        self.fields["goal"].queryset = Goal.objects.filter(plan=plan) if plan else Goal.objects.none()
