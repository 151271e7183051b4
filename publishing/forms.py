"""The director-general's bulletin forms; every value through persian.forms fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Round
from persian.forms import IdModelChoiceField, JalaliDateField, PersianIntegerField, PersianTextField
from plans.models import StrategicPlan

from .services import NARRATIVE_FIELDS

TEXT_LIMIT = 4000
PRESS_TEXT_LIMIT = 10000


def _text(label, limit=TEXT_LIMIT, rows=3, required=False):
    return PersianTextField(
        label=label, required=required, max_length=limit, widget=forms.Textarea(attrs={"rows": rows})
    )


class NewBulletinForm(forms.Form):
    round = IdModelChoiceField(
        label=_("Evaluation round"),
        queryset=Round.objects.locked().filter(bulletin__isnull=True),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a locked round that has no bulletin yet.")},
    )
    plan = IdModelChoiceField(
        label=_("Plan"),
        queryset=StrategicPlan.objects.exclude(status=StrategicPlan.Status.DRAFT),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a plan that is not a draft.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = StrategicPlan.objects.active().first()
        if active is not None:
            self.fields["plan"].initial = active.pk


class VersionForm(forms.Form):
    version = PersianIntegerField(min_value=1, widget=forms.HiddenInput)


NARRATIVE_LABELS = {"done": _("What was done"), "next": _("What is next"), "obstacles": _("Obstacles")}


class BulletinForm(VersionForm):
    """The press text and a narrative (done / next / obstacles) per goal."""

    press_text = _text(_("Press text"), PRESS_TEXT_LIMIT, rows=10)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            for field in NARRATIVE_FIELDS:
                self.fields[f"{field}_{goal.pk}"] = _text(NARRATIVE_LABELS[field], rows=2)

    def goal_rows(self):
        """(goal, [bound fields]) for the template."""
        return [(goal, [self[f"{field}_{goal.pk}"] for field in NARRATIVE_FIELDS]) for goal in self.goals]

    def narratives(self):
        return {
            goal.pk: {field: self.cleaned_data.get(f"{field}_{goal.pk}", "") for field in NARRATIVE_FIELDS}
            for goal in self.goals
        }


class PublishForm(VersionForm):
    published_on = JalaliDateField(label=_("Publication date"))


class ErratumForm(forms.Form):
    text = _text(_("Correction"), required=True, rows=4)
    published_on = JalaliDateField(label=_("Date"))
    refresh_figures = forms.BooleanField(
        label=_("Read the figures again from the round's (corrected) results"),
        required=False,
        help_text=_("The figures shown until now are kept with the erratum."),
    )
