"""A big progress workbook is written by the worker (issue 10): a job page with rows written, then the file.

Tests run tasks at once, so the job is done when the export link's redirect comes back. Above
PROGRESS_EXPORT_BACKGROUND_ROWS milestones (set low here) the export link goes to the job page.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from fileformats.models import FileJob
from plans.models import StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(agency, other_agency, settings):
    settings.PROGRESS_EXPORT_BACKGROUND_ROWS = 3
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, year=1405)
    goal = factories.GoalFactory(plan=plan, number=1)
    for number in range(5):
        factories.MilestoneFactory(goal=goal, agency=agency, title=f"گام آموزش {number}")
    for number in range(2):
        factories.MilestoneFactory(goal=goal, agency=other_agency, title=f"گام گاز {number}")
    return plan


def test_a_big_workbook_is_written_by_the_worker_then_offered(client, director_user, plan):
    client.force_login(director_user)
    response = client.get(reverse("spreadsheets:export"))
    job = FileJob.objects.get(kind=FileJob.Kind.EXPORT)
    assert response.status_code == 302
    assert response.url == reverse("spreadsheets:export_job", args=[job.pk])
    assert (job.state, job.rows_total, job.rows_done) == ("done", 7, 7)

    page = client.get(response.url).content.decode()
    download = reverse("spreadsheets:export_job_download", args=[job.pk])
    assert download in page
    assert "hx-trigger" not in page  # done: no more polling
    assert "۷" in page

    file = client.get(download)
    assert file.status_code == 200
    assert "attachment" in file["Content-Disposition"]
    assert file["Cache-Control"] == "private, no-store"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content)), read_only=True)
    assert len(workbook.sheetnames) == 5
    assert sum(1 for _ in workbook.worksheets[3].iter_rows()) == 1 + 7


def test_an_officers_background_csv_has_their_agencys_rows_only(client, officer_user, plan):
    client.force_login(officer_user)
    response = client.get(reverse("spreadsheets:export"), {"format": "csv"})
    assert response.status_code == 302  # 5 of their agency's rows: still above the threshold of 3
    job = FileJob.objects.get()
    assert job.rows_total == 5
    file = client.get(reverse("spreadsheets:export_job_download", args=[job.pk]))
    text = b"".join(file.streaming_content).decode("utf-8-sig")
    titles = "\n".join(",".join(row) for row in csv.reader(io.StringIO(text)))
    assert "گام آموزش 4" in titles
    assert "گام گاز" not in titles


def test_a_small_workbook_is_still_sent_at_once(client, officer_user, other_officer_user, plan):
    client.force_login(other_officer_user)
    response = client.get(reverse("spreadsheets:export"))  # 2 rows of their agency
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert not FileJob.objects.exists()


def test_someone_elses_job_is_404(client, officer_user, other_officer_user, plan):
    client.force_login(officer_user)
    client.get(reverse("spreadsheets:export"))
    job = FileJob.objects.get()
    client.force_login(other_officer_user)
    assert client.get(reverse("spreadsheets:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("spreadsheets:export_job_download", args=[job.pk])).status_code == 404


def test_the_job_page_polls_while_the_file_is_written(client, director_user, plan):
    job = FileJob.objects.create(
        user=director_user, kind=FileJob.Kind.EXPORT, target="spreadsheets.progress", state="running", rows_total=9000
    )
    job.write_progress(2000, 9000)
    client.force_login(director_user)
    url = reverse("spreadsheets:export_job", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "۲۰۰۰ از ۹۰۰۰ ردیف" in fragment
    # Not written yet: nothing to download.
    assert client.get(reverse("spreadsheets:export_job_download", args=[job.pk])).status_code == 404


def test_a_second_run_of_a_finished_job_does_nothing(client, director_user, plan):
    from spreadsheets.tasks import write_workbook

    client.force_login(director_user)
    client.get(reverse("spreadsheets:export"))
    job = FileJob.objects.get()
    name = job.file.name
    assert write_workbook.call(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.file.name == name
