"""Background tasks of files (Django's Tasks API; `manage.py db_worker` runs them, tests run them at once).

An admin import runs here: the admin that queued the job (found by the job's model in the admin site's
registry) reads the file and imports it. A job runs once: a second run of a finished job does nothing.
"""

import logging

from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from .models import FileJob

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id):
    with transaction.atomic():
        job = FileJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != FileJob.State.QUEUED:
            return "skipped"
        job.state = FileJob.State.RUNNING
        job.save(update_fields=["state"])
    try:
        model_admin = admin.site._registry[apps.get_model(job.target)]
        model_admin.run_import_job(job)
    except Exception:
        logger.exception("import job %s failed", job_id)
        job.finish(FileJob.State.FAILED, result={"errors": [_("The import failed; nothing was written.")]})
        raise
    return job.state
