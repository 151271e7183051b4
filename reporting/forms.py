from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from persian.forms import JalaliDateField
from persian.jalali import to_latin_digits
from plans.models import Evidence, Status
from plans.services import EvidenceLink

from .uploads import check_uploads, names_as_sent, safe_display_name

BAD_LINK = _("“%(link)s” is not a web address (it should start with https://).")
LETTER_NEEDS_NUMBER = _("Give the letter's number as well as its date.")


class PersianIntegerField(forms.IntegerField):
    """An integer typed with Persian, Arabic or Latin digits."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin_digits(value).strip().rstrip("%٪")
        return super().to_python(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each one passes reporting.uploads before the form is valid."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [item for item in files if item]
        for item in files:
            super().clean(item, initial)
        return check_uploads(files)


class ProgressReportForm(forms.Form):
    """What an officer may change on a milestone: status, progress, note and evidence (nothing else)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    progress = PersianIntegerField(
        label=_("Progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)], help_text=_("0 to 100.")
    )
    note = forms.CharField(
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
        if user is None or not user.has_perm("plans.cancel_milestone", milestone):
            self.fields["status"].choices = [c for c in Status.choices if c[0] != Status.CANCELLED]
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

    def clean_note(self):
        return normalize_persian_text(self.cleaned_data["note"])

    def clean_links(self):
        links, validate = [], URLValidator(schemes=["http", "https"])
        for line in self.cleaned_data["links"].splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                validate(line)
                if len(line) > Evidence._meta.get_field("url").max_length:
                    raise ValidationError(BAD_LINK)
            except ValidationError:
                raise ValidationError(BAD_LINK, code="bad_link", params={"link": line[:80]}) from None
            links.append(line)
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


def normalize_persian_text(text):
    """Persian letters for Arabic look-alikes; digits and line breaks as typed."""
    return "\n".join(normalize_persian_letters(line) for line in text.strip().splitlines())


def normalize_persian_letters(line):
    # normalize_persian also turns digits Latin; a note keeps the digits its author typed.
    return line.translate(str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})).rstrip()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for revision"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (for a return)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
