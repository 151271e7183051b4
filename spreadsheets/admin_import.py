"""django-import-export, hardened: what every admin resource and import/export admin here builds on.

- Export: every cell goes through writer.safe_cell (import-export's own setting strips only "=");
  CSV is written with a byte-order mark so Excel shows Persian.
- Import: the upload limits run in the form, before tablib/openpyxl parse anything; the import is
  all or nothing (rollback_on_validation_errors) with model validation on; Jalali dates, Persian
  digits and Arabic ي/ك are accepted; agencies are found by code or exact name; errors are Persian.
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm

from agencies.models import Agency
from persian.jalali import (
    INVALID_DATE_MESSAGE,
    InvalidDate,
    format_date,
    normalize_persian,
    parse_date,
    to_latin_digits,
)
from plans.models import Status

from .limits import UploadRefused, check_upload
from .writer import safe_cell


class CouncilResource(resources.ModelResource):
    """Base of every admin resource: sanitised export cells, validated all-or-nothing imports."""

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class PersianTextWidget(widgets.CharWidget):
    """Text with Arabic ي/ك turned into Persian ی/ک, digits made Latin and stray direction marks removed."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        return normalize_persian(value) if value else value


class PersianIntegerWidget(widgets.IntegerWidget):
    """A whole number in Persian or Latin digits; an empty cell gives `default` (None: left empty)."""

    def __init__(self, default=None, **kwargs):
        super().__init__(**kwargs)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = to_latin_digits(value).strip()
        try:
            number = super().clean(value, row, **kwargs)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ValueError(_("Enter a whole number.")) from exc
        return self.default if number is None else number


class JalaliDateWidget(widgets.Widget):
    """A date typed as Jalali (1405/09/06, ۱۴۰۵/۰۹/۰۶) or Gregorian, or a real date cell; shown as Jalali."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value))
        except InvalidDate as exc:
            raise ValueError(str(INVALID_DATE_MESSAGE)) from exc

    def render(self, value, obj=None, **kwargs):
        return format_date(value) if value else ""


class StatusWidget(widgets.Widget):
    """A milestone status by its code or its Persian or English label."""

    def clean(self, value, row=None, **kwargs):
        from .roundtrip import status_from_text

        if value is None or not str(value).strip():
            return Status.NOT_STARTED
        status = status_from_text(str(value))
        if status is None:
            raise ValueError(
                _("“%(value)s” is not a status; use one of: %(choices)s.")
                % {"value": value, "choices": "، ".join(str(label) for label in Status.labels)}
            )
        return status

    def render(self, value, obj=None, **kwargs):
        return str(Status(value).label) if value in Status.values else value or ""


class AgencyWidget(widgets.ForeignKeyWidget):
    """An agency found by its code or its exact name (Arabic letters and Latin/Persian digits forgiven)."""

    def __init__(self, **kwargs):
        super().__init__(Agency, field="code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return None
        raw = str(value).strip()
        normalised = normalize_persian(raw)
        agency = Agency.objects.filter(Q(code__in=[raw, normalised]) | Q(name__in=[raw, normalised])).first()
        if agency is None:
            agency = next(
                (
                    item
                    for item in Agency.objects.only("pk", "name", "code")
                    if normalize_persian(item.name) == normalised
                ),
                None,
            )
        if agency is None:
            raise ValueError(_("No agency has the code or name “%(value)s”.") % {"value": raw})
        return agency


class PersianForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by id, typed with Persian or Latin digits; a clear message when it does not exist."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = to_latin_digits(value).strip()
        try:
            return super().clean(value, row, **kwargs)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise ValueError(
                _("No %(model)s with id “%(value)s”.") % {"model": self.model._meta.verbose_name, "value": value}
            ) from exc


class LimitedImportForm(ImportForm):
    """The admin's import form, with the upload limits checked before anything parses the file.

    django-import-export parses the file in the format the user chose, whatever the file is called,
    so the limits are checked for that format, and a file whose bytes are another kind is refused.
    """

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats

    def clean(self):
        cleaned_data = super().clean()
        uploaded, chosen = cleaned_data.get("import_file"), cleaned_data.get("format")
        if uploaded is None or chosen in (None, ""):
            return cleaned_data  # the form is invalid already: nothing is parsed
        kind = self.format_classes[int(chosen)]().get_extension()
        try:
            check_upload(uploaded, kinds=(kind,))
        except UploadRefused as exc:
            self.add_error("import_file", forms.ValidationError(str(exc), code="refused"))
        return cleaned_data


class CSVWithBOM(base_formats.CSV):
    """CSV that Excel opens as UTF-8 (Persian readable)."""

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


class CouncilImportExportMixin(ImportExportMixin):
    """Every import/export admin: limited uploads, xlsx and CSV only, all-or-nothing imports."""

    import_form_class = LimitedImportForm
    import_formats = [base_formats.XLSX, base_formats.CSV]
    export_formats = [base_formats.XLSX, CSVWithBOM]

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs
