from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from persian.forms import IdModelChoiceField, JalaliDateField, PercentField, PersianIntegerField, PersianTextField
from persian.jalali import Quarter
from persian.templatetags.persian import digits

from . import measures
from .services import UNSCORED

NOT_APPLICABLE = "na"


class OpenRoundForm(forms.Form):
    year = PersianIntegerField(label=_("Solar Hijri year"), min_value=1300, max_value=1500)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[(1, _("Spring")), (2, _("Summer")), (3, _("Autumn")), (4, _("Winter"))],
    )
    deadline = JalaliDateField(label=_("Scoring deadline"))
    execution_weight = PersianIntegerField(
        label=_("Execution weight (%)"),
        min_value=0,
        max_value=100,
        help_text=_("The execution score's share of the final score; the council score has the rest."),
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        current = Quarter.containing(timezone.localdate())
        self.fields["year"].initial = current.year
        self.fields["quarter"].initial = current.number
        self.fields["execution_weight"].initial = settings.EVALUATION_EXECUTION_WEIGHT

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year") and cleaned.get("quarter") and cleaned.get("deadline"):
            start = Quarter(cleaned["year"], cleaned["quarter"]).bounds()[0]
            if cleaned["deadline"] < start:
                self.add_error("deadline", _("The scoring deadline cannot be before the quarter begins."))
        return cleaned

    @property
    def period(self):
        return Quarter(self.cleaned_data["year"], self.cleaned_data["quarter"])


EMPTY_SHEET = _("Score at least one sub-criterion, or choose N/A where it does not apply, before saving.")
# What each point of the usual 1–5 scale means (shown in every drop-down and above the sheet).
SCALE = {
    1: _("very weak"),
    2: _("weak"),
    3: _("acceptable"),
    4: _("good"),
    5: _("excellent"),
}


def scale_label(value, low, high):
    """«۴ — خوب» on the 1–5 scale; on another range, the ends only («۰ — lowest», «۱۰ — highest»)."""
    if (low, high) == (1, 5):
        return f"{digits(value)} — {SCALE[value]}"
    if value == low:
        return f"{digits(value)} — {_('lowest')}"
    if value == high:
        return f"{digits(value)} — {_('highest')}"
    return digits(value)


class ScoreSheetForm(forms.Form):
    """One field per sub-criterion (a score in its range, or N/A), then the private note and public comment."""

    private_note = PersianTextField(
        label=_("Private note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by the council only, never by the agency."),
    )
    public_comment = PersianTextField(
        label=_("Public comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the agency on its scorecard."),
    )

    def __init__(self, *args, criteria, sheet=None, measured=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        existing = {score.sub_criterion_id: score.value for score in sheet.scores.all()} if sheet else {}
        measured = measured or {}
        self.groups = []
        for criterion in criteria:
            names, shown = [], []
            for sub in criterion.sub_criteria.all():
                if sub.is_measured:  # the app measures it: shown with its value and score, not a field
                    shown.append((sub, measured.get(sub.pk)))
                    continue
                name = f"sub_{sub.pk}"
                choices = [("", _("— not scored —")), (NOT_APPLICABLE, _("N/A"))] + [
                    (str(value), scale_label(value, sub.min_score, sub.max_score))
                    for value in range(sub.min_score, sub.max_score + 1)
                ]
                initial = ""
                if sub.pk in existing:
                    initial = NOT_APPLICABLE if existing[sub.pk] is None else str(existing[sub.pk])
                self.fields[name] = forms.ChoiceField(label=sub.name, choices=choices, required=False, initial=initial)
                self.fields[name].sub = sub
                names.append(name)
            self.groups.append((criterion, [self[name] for name in names], shown))
        if sheet is not None:
            self.fields["private_note"].initial = sheet.private_note
            self.fields["public_comment"].initial = sheet.public_comment

    def clean(self):
        cleaned = super().clean()
        values = {}
        for name, field in self.fields.items():
            if not name.startswith("sub_"):
                continue
            raw = cleaned.get(name) or ""
            if raw == "":
                values[field.sub.pk] = UNSCORED
                continue
            values[field.sub.pk] = None if raw == NOT_APPLICABLE else int(raw)
        if values and all(value is UNSCORED for value in values.values()):
            # An empty sheet saved "successfully" and showed as «۰» scored: nothing to save.
            raise forms.ValidationError(EMPTY_SHEET, code="empty_sheet")
        cleaned["values"] = values
        return cleaned


class CorrectionForm(forms.Form):
    """Correcting a locked result: the agency's new council and execution scores, and why."""

    result = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    council_score = forms.DecimalField(
        label=_("Council score"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    execution_score = forms.DecimalField(
        label=_("Execution score"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    reason = PersianTextField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("A correction after locking needs a written reason.")},
    )

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = results
        self.fields["result"].empty_label = _("Choose an agency")
        self.fields["result"].label_from_instance = lambda result: result.agency.name

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("A correction after locking needs a written reason."), code="reason_required")
        return reason


class MeasureOverrideForm(forms.Form):
    """The director-general's override of one agency's measured score, with the reason."""

    agency = IdModelChoiceField(label=_("Agency"), queryset=None)
    sub_criterion = IdModelChoiceField(label=_("Measured sub-criterion"), queryset=None)
    percent = PercentField(label=_("Score (%)"))
    reason = PersianTextField(
        label=_("Reason for the override"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Overriding a measured score needs a written reason.")},
    )

    def __init__(self, *args, agencies, sub_criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["sub_criterion"].queryset = sub_criteria

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                _("Overriding a measured score needs a written reason."), code="reason_required"
            )
        return reason


def _measure_choices():
    return [("", _("— scored by the evaluators —")), *measures.choices()]


class ScaledItemAdminForm(forms.ModelForm):
    """A sub-criterion in the admin (rubric or a round's copy): the measure is chosen from those registered."""

    measure = forms.ChoiceField(label=_("measured by"), choices=_measure_choices, required=False)
