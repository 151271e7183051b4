"""Background tasks of spreadsheets (Django's Tasks API; `manage.py db_worker` runs them, tests run them at once).

A big progress workbook is written here rather than in the request: the job (fileformats.FileJob) keeps
the filters that were asked for, and the file is written as its owner would have seen it (their rows only).
A job runs once: a second run of a finished or running job does nothing.
"""

import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from fileformats.models import FileJob

from .export import export_filename, write_progress
from .forms import ExportFilterForm

logger = logging.getLogger(__name__)
WORKBOOK = "spreadsheets.progress"


@task()
def write_workbook(job_id):
    with transaction.atomic():
        job = FileJob.objects.select_for_update().filter(pk=job_id, target=WORKBOOK).first()
        if job is None or job.state != FileJob.State.QUEUED:
            return "skipped"
        job.state = FileJob.State.RUNNING
        job.save(update_fields=["state"])
    try:
        with translation.override(job.params.get("language") or None):
            _write(job)
    except Exception:
        logger.exception("workbook job %s failed", job_id)
        job.finish(FileJob.State.FAILED, result={"errors": [_("The file could not be written; try again.")]})
        raise
    return job.state


def _write(job):
    form = ExportFilterForm(job.params.get("query", {}))
    if not form.is_valid() or form.cleaned_data["plan"] is None:
        job.finish(FileJob.State.FAILED, result={"errors": [_("The filters of this download are no longer valid.")]})
        return
    plan, fmt, filters = form.cleaned_data["plan"], form.cleaned_data["format"] or "xlsx", form.filters()
    total = job.rows_total
    job.write_progress(0, total)
    with tempfile.TemporaryFile() as handle:
        write_progress(
            plan, handle, fmt=fmt, filters=filters, user=job.user, progress=lambda done: job.write_progress(done, total)
        )
        handle.seek(0)
        name = export_filename(plan, fmt, filters)
        job.original_name = name
        job.file.save(name, File(handle), save=False)
    job.save(update_fields=["file", "original_name"])
    job.finish(FileJob.State.DONE, result={"format": fmt}, rows_done=total, rows_total=total)
