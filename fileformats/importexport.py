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
import logging
import operator
from types import SimpleNamespace

import tablib
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export import fields, resources
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.signals import post_import

from persian import values
from persian.forms import IdField
from persian.jalali import to_persian_digits

from .models import FileJob
from .uploads import UploadRefused, check_spreadsheet, decode_csv
from .widgets import ChoiceWidget, IdWidget, IntegerWidget, PercentWidget, lookups_cached
from .writer import Sheet, Validation, safe_cell, write_xlsx

logger = logging.getLogger(__name__)

# How often the worker tells the progress page where it is (rows).
PROGRESS_EVERY = 200
# What a finished job keeps to show: the first rows of the preview, the first rows with errors.
SHOWN_ROWS = 100


class _Unsupported(Exception):
    """A check constraint's condition this module cannot evaluate in Python: the database is asked instead."""


_COMPARE = {
    "exact": operator.eq,
    "gte": operator.ge,
    "gt": operator.gt,
    "lte": operator.le,
    "lt": operator.lt,
}


def _holds(condition, instance):
    """A check constraint's condition evaluated on the instance in Python, as SQL would (NULL passes).

    Handles what the models' constraints use: Q trees of exact/in/gte/gt/lte/lt lookups on the model's
    own fields, with literals or F() of another field. Anything else raises _Unsupported. True, False or
    None (unknown: a NULL took part, which a CHECK lets through).
    """
    if not isinstance(condition, Q):
        raise _Unsupported
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_holds(child, instance))
            continue
        lookup, expected = child
        name, _sep, kind = lookup.partition("__")
        kind = kind or "exact"
        if "__" in kind or (kind not in _COMPARE and kind != "in"):
            raise _Unsupported
        field = instance._meta.get_field(name)
        if field.is_relation:
            raise _Unsupported
        value = getattr(instance, field.attname)
        if isinstance(expected, F):
            expected = getattr(instance, instance._meta.get_field(expected.name).attname)
        elif hasattr(expected, "resolve_expression"):
            raise _Unsupported
        if value is None or expected is None:
            results.append(None)
        elif kind == "in":
            results.append(value in expected)
        else:
            results.append(_COMPARE[kind](value, expected))
    if condition.connector == Q.AND:
        outcome = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        outcome = True if True in results else (None if None in results else False)
    else:
        raise _Unsupported
    if condition.negated and outcome is not None:
        outcome = not outcome
    return outcome


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

    def __init__(self, *args, progress=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress = progress  # called with the rows done so far, every PROGRESS_EVERY rows
        self._rows_done = 0

    def import_data(self, dataset, *args, **kwargs):
        """As import-export's, with related rows looked up once per import (widgets.lookups_cached)."""
        self._rows_done = 0
        with lookups_cached():
            return super().import_data(dataset, *args, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        self._rows_done += 1
        if self.progress is not None and self._rows_done % PROGRESS_EVERY == 0:
            self.progress(self._rows_done)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model validation as full_clean does it, with the check constraints evaluated in Python.

        Django asks the database about every check constraint of every row (a query each: five per
        milestone, most of a 20,000-row import's time). The same conditions are evaluated here on the
        instance; one this module cannot read is still asked of the database. Related rows found by a
        widget are not looked up a second time.
        """
        errors = dict(import_validation_errors or {})
        if not self._meta.clean_model_instances:
            if errors:
                raise ValidationError(errors)
            return
        exclude = set(errors)
        for field in instance._meta.concrete_fields:
            if field.is_relation and field.name in instance._state.fields_cache:
                related = instance._state.fields_cache[field.name]
                if related is not None and related.pk is not None:
                    exclude.add(field.name)  # found by the widget a moment ago; its own validate would query again
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        constraint_errors = []
        for constraint in instance._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                if any(name in errors for name in _fields_of(constraint.condition)):
                    continue  # a field it reads is wrong already: that error says more
                try:
                    if _holds(constraint.condition, instance) is False:
                        constraint_errors.append(ValidationError(constraint.get_violation_error_message()))
                    continue
                except _Unsupported:
                    pass
            try:
                constraint.validate(instance.__class__, instance, exclude=set(errors))
            except ValidationError as exc:
                constraint_errors.append(exc)
        if constraint_errors:
            errors = ValidationError(constraint_errors).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

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


def _fields_of(condition):
    names = set()
    for child in getattr(condition, "children", ()):
        if isinstance(child, Q):
            names |= _fields_of(child)
        else:
            names.add(child[0].split("__")[0])
            if isinstance(child[1], F):
                names.add(child[1].name)
    return names


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


class ConfirmImportForm(forms.Form):
    """The preview a director confirms: its job's id (the file stays with the job, never in the form)."""

    job = IdField()


class CouncilImportExportMixin(ImportExportMixin):
    """Every import/export admin: checked uploads, xlsx and CSV only, all-or-nothing imports on the worker.

    The upload is checked in the request (LimitedImportForm) and kept with a FileJob; the worker runs the
    dry run (fileformats.tasks.run_import_job), the director watches the job page (an htmx poll shows
    rows done out of total), reads the preview there and confirms it, which queues the real import: one
    transaction, so one bad row writes nothing. No import runs in a web request, however big the file.
    """

    import_form_class = LimitedImportForm
    import_formats = [CouncilXLSX, CouncilCSV]
    export_formats = [CouncilXLSXExport, CSVWithBOM]
    import_job_template_name = "admin/import_export/job.html"

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

    # --- the job's pages ------------------------------------------------------------------

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="{}_{}_import_job".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_action(self, request, **kwargs):
        """The upload, checked as always; then a preview job for the worker, and its page."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = self.create_import_form(request)
            if form.is_valid():
                upload = form.cleaned_data["import_file"]
                job = FileJob(
                    user=request.user,
                    kind=FileJob.Kind.PREVIEW,
                    target=self.model._meta.label,
                    params={"format": int(form.cleaned_data["format"]), "resource": self.get_resource_index(form)},
                    original_name=upload.name[:255],
                )
                job.file.save(upload.name, upload, save=False)
                job.save()
                self.enqueue_import_job(job)
                return redirect(self._job_url(job))
        return super().import_action(request, **kwargs)

    def enqueue_import_job(self, job):
        from .tasks import run_import_job

        run_import_job.enqueue(job.pk)

    def _job_url(self, job):
        return reverse("admin:{}_{}_import_job".format(*self.get_model_info()), args=[job.pk])

    def _own_job(self, request, job_id):
        """The person's own import job of this model; anyone else's, or another model's, is a 404."""
        return get_object_or_404(
            FileJob,
            pk=job_id,
            user=request.user,
            target=self.model._meta.label,
            kind__in=(FileJob.Kind.PREVIEW, FileJob.Kind.IMPORT),
        )

    def import_job_view(self, request, job_id):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = self._own_job(request, job_id)
        confirmed = job.imports.order_by("-pk").first() if job.kind == FileJob.Kind.PREVIEW else None
        done, total = job.progress()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "job": job,
            "done": done,
            "total": total,
            "percent": job.percent(),
            "confirmed": confirmed,
            "can_confirm": job.kind == FileJob.Kind.PREVIEW and job.ok and confirmed is None,
            "changelist_url": reverse("admin:{}_{}_changelist".format(*self.get_model_info())),
            "import_url": reverse("admin:{}_{}_import".format(*self.get_model_info())),
            "process_url": reverse("admin:{}_{}_process_import".format(*self.get_model_info())),
        }
        template = self.import_job_template_name
        if getattr(request, "htmx", False):
            template += "#status"
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm a preview: the real import is queued (once), and its job's page shown."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ConfirmImportForm(request.POST)
        if not form.is_valid():
            raise Http404
        preview = self._own_job(request, form.cleaned_data["job"])
        if preview.kind != FileJob.Kind.PREVIEW or not preview.ok:
            raise Http404
        existing = preview.imports.order_by("-pk").first()
        if existing is not None:
            return redirect(self._job_url(existing))  # a second click shows the import already queued
        job = FileJob.objects.create(
            user=request.user,
            kind=FileJob.Kind.IMPORT,
            target=preview.target,
            params=preview.params,
            file=preview.file.name,
            original_name=preview.original_name,
            rows_total=preview.rows_total,
            source=preview,
        )
        self.enqueue_import_job(job)
        return redirect(self._job_url(job))

    # --- what the worker runs ---------------------------------------------------------------

    def run_import_job(self, job):
        """Read the job's file and run the dry run (a preview) or the import, all or nothing; record the outcome."""
        input_format = self.get_import_formats()[job.params["format"]]()
        try:
            with job.file.open("rb") as handle:
                data = handle.read()
            if not input_format.is_binary():
                data = data.decode(self.from_encoding)
            dataset = input_format.create_dataset(data)
        except UploadRefused as exc:
            job.finish(FileJob.State.FAILED, result={"errors": list(exc.messages)})
            return
        except Exception:
            logger.info("import job %s: the file could not be read", job.pk, exc_info=True)
            message = _("The file could not be read in the format you chose; check the format and upload it again.")
            job.finish(FileJob.State.FAILED, result={"errors": [message]})
            return
        total = len(dataset)
        if not total:
            message = _("No valid data to import. Ensure your file has the correct headers or data for import.")
            job.finish(FileJob.State.FAILED, result={"errors": [message]}, rows_total=0)
            return
        job.write_progress(0, total)
        resource_class = self.get_import_resource_classes(None)[job.params.get("resource", 0)]
        resource = resource_class(
            **self.get_import_resource_kwargs(None), progress=lambda done: job.write_progress(done, total)
        )
        dry_run = job.kind == FileJob.Kind.PREVIEW
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            file_name=job.original_name,
            user=job.user,
            retain_instance_in_row_result=not dry_run,
            **self.get_import_data_kwargs(),
        )
        summary = summarise(result, dataset)
        failed = result.has_errors() or result.has_validation_errors()
        if not dry_run and not failed:
            request = SimpleNamespace(user=job.user)
            self.generate_log_entries(result, request)
            post_import.send(sender=None, model=self.model)
        job.finish(FileJob.State.DONE, result=summary, rows_done=total, rows_total=total)


def summarise(result, dataset):
    """What the job page shows of an import-export Result, as JSON: totals, errors, the first rows."""
    headers = [str(header) for header in dataset.headers or ()]
    row_errors = []
    for number, errors in result.row_errors()[:SHOWN_ROWS]:
        row_errors.append({"row": number, "messages": [str(error.error) for error in errors]})
    invalid = []
    for row in result.invalid_rows[:SHOWN_ROWS]:
        messages = []
        for field, field_messages in row.error_dict.items():
            for message in field_messages:
                messages.append({"field": "" if field == "__all__" else str(field), "message": str(message)})
        invalid.append({"row": row.number, "messages": messages})
    preview = []
    for number, row_result in enumerate(result.rows[:SHOWN_ROWS], 1):
        preview.append(
            {"row": number, "type": row_result.import_type, "values": [_shown(value) for value in dataset[number - 1]]}
        )
    return {
        "totals": {key: int(value) for key, value in result.totals.items()},
        "errors": [str(error.error) for error in result.base_errors][:SHOWN_ROWS],
        "row_errors": row_errors,
        "invalid": invalid,
        "invalid_count": len(result.invalid_rows),
        "headers": headers,
        "preview": preview,
    }


def _shown(value):
    return "" if value is None else str(value)[:200]
