"""A real worker: a task enqueued through the database backend is run by `manage.py db_worker` in its own
process, against the test database (the SQLite file or PostgreSQL), and its effect is visible here."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from notifications import tasks
from notifications.models import Notification
from plans.models import ProgressUpdate
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    user = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{user}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_a_task_enqueued_in_the_database(settings, agency, officer_user, director_user):
    update = factories.ProgressUpdateFactory(milestone=factories.MilestoneFactory(agency=agency), author=officer_user)
    # Returned directly in the table: the review service would run the task at once in the test backend.
    ProgressUpdate.objects.filter(pk=update.pk).update(
        review_state="returned",
        review_reason="مستند ناخوانا است",
        reviewed_by=director_user,
        reviewed_at=update.created_at,
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = tasks.notify_report_reviewed.enqueue(update.pk)
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    assert not Notification.objects.exists()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prcouncil.settings.local",
        "DATABASE_URL": database_url(),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    assert "state=SUCCESSFUL" in worker.stdout + worker.stderr
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    notification = Notification.objects.get(recipient=officer_user)
    assert (notification.kind, notification.update_id) == ("returned", update.pk)
