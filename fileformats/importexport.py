"""django-import-export, hardened: what every admin resource and import/export admin here builds on.

A leaf: it knows no app's models (the resources live in each app's admin.py).
- Export: every cell goes through writer.safe_cell (import-export's own setting strips only "=");
  CSV is written with a byte-order mark so Excel shows Persian.
- Import: the upload checker runs in the form, before tablib/openpyxl parse anything; CSV is read
  as UTF-8 or Windows-1256 (uploads.decode_csv); an xlsx cell formatted as a percentage comes in as
  persian.values.PercentCell; a row's id is empty (a new row) or an existing row's; the import is all
  or nothing (rollback_on_validation_errors) with model validation on; the cells are read by the
  widgets in widgets.py, so every value is accepted or refused as the forms do it.
"""

import io

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm

from persian import values
from persian.jalali import to_persian_digits

from .uploads import UploadRefused, check_spreadsheet, decode_csv
from .widgets import ChoiceWidget, IdWidget, IntegerWidget, PercentWidget
from .writer import Sheet, Validation, safe_cell, write_xlsx


class CouncilResource(resources.ModelResource):
    """Base of every admin resource: sanitised export cells, validated all-or-nothing imports.

    A row's id, when given, must be a positive whole number naming an existing row (within the
    resource's queryset); an empty id adds a row. Ids like -1 or 5.5 are refused, never created.
    """

    id = fields.Field(attribute="id", column_name="id", widget=IdWidget())

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def export(self, *args, **kwargs):
        dataset = super().export(*args, **kwargs)
        dataset.council_validations = self.sheet_validations(list(dataset.headers or ()))
        return dataset

    def sheet_validations(self, headers):
        """Drop-downs for every choice column and number bounds for every bounded number column, from the
        widgets that will read the file back: an export meant to be filled and imported helps the typing."""
        found = []
        for field in self.get_export_fields():
            if field.column_name not in headers:
                continue
            column, widget = headers.index(field.column_name), field.widget
            try:
                if isinstance(widget, ChoiceWidget):
                    found.append(
                        Validation.choice(column, [label for _value, label in widget.choices], title=field.column_name)
                    )
                elif isinstance(widget, PercentWidget):
                    found.append(Validation.whole_number(column, 0, 100, title=field.column_name))
                elif isinstance(widget, IntegerWidget) and None not in (widget.min_value, widget.max_value):
                    found.append(
                        Validation.whole_number(column, widget.min_value, widget.max_value, title=field.column_name)
                    )
            except ValueError:
                continue  # a label a list validation cannot hold (a comma): the column is read all the same
        return found

    def get_instance(self, instance_loader, row):
        if tuple(self.get_import_id_fields()) != ("id",):
            return super().get_instance(instance_loader, row)  # e.g. agencies by code: a new code adds one
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        if any(field.column_name not in row for field in id_fields):
            return None
        try:
            lookup = {field.attribute: field.clean(row) for field in id_fields}
        except ValueError as exc:
            raise ValidationError({id_fields[0].attribute: str(exc)}) from None
        if any(value is None or value == "" for value in lookup.values()):
            return None  # a new row
        instance = self.get_queryset().filter(**lookup).first()
        if instance is None:
            shown = ", ".join(to_persian_digits(value) for value in lookup.values())
            raise ValidationError(
                {
                    id_fields[0].attribute: _("No %(model)s has the id %(value)s; leave the id empty to add a new one.")
                    % {"model": self._meta.model._meta.verbose_name, "value": shown}
                }
            )
        return instance

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class CouncilXLSX(base_formats.XLSX):
    """xlsx read cell by cell, so that a percentage-formatted cell (65% is stored as 0.65) is known as one."""

    def create_dataset(self, in_stream):
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows()
            dataset = tablib.Dataset()
            header = next(rows, ())
            dataset.headers = [cell.value for cell in header]
            for row in rows:
                dataset.append([_cell_value(cell) for cell in row][: len(dataset.headers)])
        finally:
            workbook.close()
        return dataset


def _cell_value(cell):
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return values.PercentCell(value)
    return value


class CouncilXLSXExport(base_formats.XLSX):
    """xlsx written by the project's one writer, with the resource's drop-downs and number bounds."""

    def export_data(self, dataset, **kwargs):
        output = io.BytesIO()
        sheet = Sheet(
            title=dataset.title or "Sheet",
            headers=[str(header) for header in dataset.headers or ()],
            rows=list(dataset),
            validations=getattr(dataset, "council_validations", ()),
        )
        write_xlsx([sheet], output)
        return output.getvalue()


class CouncilCSV(base_formats.CSV):
    """CSV read as bytes, then decoded as UTF-8 (with or without BOM) or Windows-1256 (uploads.decode_csv)."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode_csv(in_stream)
        return tablib.import_set(in_stream, format="csv", **kwargs)

    def get_read_mode(self):
        return "rb"

    def is_binary(self):
        return True


class CSVWithBOM(base_formats.CSV):
    """CSV that Excel opens as UTF-8 (Persian readable)."""

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


class LimitedImportForm(ImportForm):
    """The admin's import form, with the upload checker run before anything parses the file.

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
            check_spreadsheet(uploaded, kinds=(kind,))
        except UploadRefused as exc:
            self.add_error("import_file", exc)
        return cleaned_data


class CouncilImportExportMixin(ImportExportMixin):
    """Every import/export admin: checked uploads, xlsx and CSV only, all-or-nothing imports."""

    import_form_class = LimitedImportForm
    import_formats = [CouncilXLSX, CouncilCSV]
    export_formats = [CouncilXLSXExport, CSVWithBOM]

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UploadRefused):
            form.add_error("import_file", e)
            return
        form.add_error(
            "import_file",
            _("The file could not be read in the format you chose; check the format and upload it again."),
        )
