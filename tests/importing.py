"""Helpers for admin imports, which run as background jobs (tests run tasks at once).

Posting the upload queues the preview job and redirects to its page; with the immediate backend the
preview is done by then. Confirming posts the job's id to process_import, which queues the import.
"""

from django.urls import reverse

from fileformats.models import FileJob


def upload(client, admin_name, data):
    """POST the import form; returns (response, the preview job or None when the form refused the file)."""
    response = client.post(reverse(f"admin:{admin_name}_import"), data)
    if response.status_code != 302:
        return response, None
    job = FileJob.objects.filter(kind=FileJob.Kind.PREVIEW).latest("pk")
    assert response.url == reverse(f"admin:{admin_name}_import_job", args=[job.pk])
    return client.get(response.url), job


def confirm(client, admin_name, preview):
    """Confirm the preview; returns (the import job's page, the import job)."""
    response = client.post(reverse(f"admin:{admin_name}_process_import"), {"job": preview.pk})
    assert response.status_code == 302, response.status_code
    job = preview.imports.get()
    assert response.url == reverse(f"admin:{admin_name}_import_job", args=[job.pk])
    return client.get(response.url), job


def import_file(client, admin_name, data):
    """Upload, check the preview can be confirmed, confirm; returns the import job."""
    page, preview = upload(client, admin_name, data)
    assert preview is not None, page.content.decode()[:2000]
    preview.refresh_from_db()
    assert preview.ok, preview.result
    _page, job = confirm(client, admin_name, preview)
    job.refresh_from_db()
    return job
