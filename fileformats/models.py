"""Background file jobs: an admin import (its preview, then the import) or a big download, run by the worker.

A job records who asked, the file, what kind of work it is, where it stands and what came of it. The
worker writes progress (rows done out of total) to a small file beside the job's files, not to the job's
row: the import runs in one transaction (all or nothing), so a row written inside it would not be seen
until the end, and on SQLite a second writer would wait for the import to finish.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

JOBS_DIR = "jobs"


def private_storage():
    """Job files live under PRIVATE_MEDIA_ROOT, outside any URL; read back only through a view asking who owns them."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def job_path(instance, filename):
    return f"{JOBS_DIR}/{timezone.now():%Y/%m}/{os.urandom(8).hex()}{Path(filename).suffix.lower()}"


class FileJob(models.Model):
    class Kind(models.TextChoices):
        PREVIEW = "preview", _("import preview")
        IMPORT = "import", _("import")
        EXPORT = "export", _("download")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="file_jobs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    # What the job works on: an admin import's model ("plans.Milestone") or a download's name.
    target = models.CharField(_("works on"), max_length=100)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=job_path, blank=True, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    # The preview a confirmed import came from (its file is read again).
    source = models.ForeignKey(
        "self", verbose_name=_("preview"), null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file job")
        verbose_name_plural = _("file jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.target} #{self.pk}"

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def ok(self):
        """Finished with nothing wrong: a preview that may be confirmed, an import that wrote, a file to fetch."""
        return self.state == self.State.DONE and not any(
            self.result.get(key) for key in ("errors", "row_errors", "invalid")
        )

    # --- progress, outside the database ------------------------------------------------

    def _progress_path(self):
        return Path(settings.PRIVATE_MEDIA_ROOT) / JOBS_DIR / "progress" / f"{self.pk}.json"

    def write_progress(self, done, total):
        path = self._progress_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"done": done, "total": total}))
        temporary.replace(path)  # atomic: a reader sees the old figures or the new ones

    def progress(self):
        """(rows done, rows in all): from the worker's progress file while it runs, from the row afterwards."""
        if not self.finished:
            try:
                figures = json.loads(self._progress_path().read_text())
                return int(figures["done"]), int(figures["total"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
        return self.rows_done, self.rows_total

    def percent(self):
        done, total = self.progress()
        return 100 if self.finished and self.state == self.State.DONE else (done * 100 // total if total else 0)

    def finish(self, state, *, result=None, rows_done=None, rows_total=None):
        self.state = state
        self.result = result or {}
        if rows_total is not None:
            self.rows_total = rows_total
        if rows_done is not None:
            self.rows_done = rows_done
        self.finished_at = timezone.now()
        self.save(update_fields=["state", "result", "rows_done", "rows_total", "finished_at"])
        self._progress_path().unlink(missing_ok=True)
