"""Admin imports on the background worker (issue 10): the job page, its htmx poll, all or nothing at 20,000 rows.

Tests run tasks at once (the immediate backend), so a job is finished when the upload's redirect comes
back; the running state is set up by hand to see what the poll shows meanwhile.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fileformats.models import FileJob
from plans.models import Milestone
from tests import factories, importing

pytestmark = pytest.mark.django_db

HEADERS = ["goal", "agency", "title", "target", "start_date", "due_date", "weight", "status", "progress"]
CSV = "1"


@pytest.fixture
def goal(agency):
    return factories.GoalFactory(number=3)


def csv_upload(goal, agency, count, *, last=None):
    lines = [",".join(HEADERS)]
    for number in range(1, count + 1):
        lines.append(f"{goal.pk},{agency.code},گام شماره {number},,۱۴۰۵/۰۱/۱۵,1405/03/31,1,در حال اجرا,{number % 100}")
    if last is not None:
        lines[-1] = last
    return SimpleUploadedFile("milestones.csv", ("\ufeff" + "\n".join(lines) + "\n").encode())


@pytest.mark.slow
def test_a_20000_row_import_through_the_admin_previews_then_imports_every_row(client, director_user, goal, agency):
    client.force_login(director_user)
    started = time.perf_counter()
    page, preview = importing.upload(
        client, "plans_milestone", {"format": CSV, "import_file": csv_upload(goal, agency, 20_000)}
    )
    preview.refresh_from_db()
    assert (preview.state, preview.rows_done, preview.rows_total) == ("done", 20_000, 20_000)
    assert preview.result["totals"]["new"] == 20_000
    text = page.content.decode()
    assert "۲۰۰۰۰" in text  # rows read, in Persian digits
    assert f'name="job" value="{preview.pk}"' in text
    assert Milestone.objects.count() == 0
    _page, job = importing.confirm(client, "plans_milestone", preview)
    job.refresh_from_db()
    assert job.ok, job.result
    assert Milestone.objects.count() == 20_000
    assert Milestone.objects.filter(title="گام شماره 20000", progress=0).exists()
    print(f"20,000 rows: preview and import in {time.perf_counter() - started:.1f} s")  # noqa: T201


def test_a_bad_last_row_found_at_import_time_writes_nothing(client, director_user, goal, agency):
    """The preview was clean; by the time the import runs the last row's title is taken: nothing is written."""
    client.force_login(director_user)
    _page, preview = importing.upload(
        client, "plans_milestone", {"format": CSV, "import_file": csv_upload(goal, agency, 500)}
    )
    preview.refresh_from_db()
    assert preview.ok
    factories.MilestoneFactory(goal=goal, agency=agency, title="گام شماره 500")
    history = Milestone.history.count()
    page, job = importing.confirm(client, "plans_milestone", preview)
    job.refresh_from_db()
    assert job.state == FileJob.State.DONE
    assert not job.ok
    assert job.result["invalid_count"] == 1
    assert job.result["invalid"][0]["row"] == 500
    assert Milestone.objects.count() == 1
    assert Milestone.history.count() == history
    text = page.content.decode()
    assert "هیچ چیز ذخیره نشد" in text
    assert "۵۰۰" in text


def test_a_bad_last_row_in_the_file_shows_in_the_preview_and_cannot_be_confirmed(client, director_user, goal, agency):
    client.force_login(director_user)
    bad = f"{goal.pk},{agency.code},گام آخر,,۱۴۰۵/۱۳/۰۱,1405/03/31,1,,0"
    page, preview = importing.upload(
        client, "plans_milestone", {"format": CSV, "import_file": csv_upload(goal, agency, 300, last=bad)}
    )
    preview.refresh_from_db()
    assert [row["row"] for row in preview.result["invalid"]] == [300]
    assert 'name="job"' not in page.content.decode()
    assert client.post(reverse("admin:plans_milestone_process_import"), {"job": preview.pk}).status_code == 404
    assert Milestone.objects.count() == 0
    assert not FileJob.objects.filter(kind=FileJob.Kind.IMPORT).exists()


def running_job(user, done, total):
    job = FileJob.objects.create(
        user=user,
        kind=FileJob.Kind.PREVIEW,
        target="plans.Milestone",
        state=FileJob.State.RUNNING,
        original_name="big.xlsx",
    )
    job.write_progress(done, total)
    return job


def test_the_job_page_polls_with_htmx_and_shows_rows_done_out_of_total(client, director_user):
    client.force_login(director_user)
    job = running_job(director_user, 4_200, 20_000)
    url = reverse("admin:plans_milestone_import_job", args=[job.pk])

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<html" in text
    assert "htmx" in text  # the script is on the page (with the CSP nonce)
    assert f'hx-get="{url}"' in text
    assert 'hx-trigger="every 1s"' in text

    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text
    assert text.lstrip().startswith('<div id="import-job"')
    assert "۴۲۰۰ از ۲۰۰۰۰ ردیف" in text
    assert 'value="21"' in text  # the progress bar, in percent
    assert {"private", "no-store"} <= {part.strip() for part in fragment["Cache-Control"].split(",")}

    job.finish(
        FileJob.State.DONE,
        result={"totals": {"new": 20_000}, "headers": [], "preview": []},
        rows_done=20_000,
        rows_total=20_000,
    )
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done  # finished: the poll stops
    assert 'name="job"' in done  # and the preview can be confirmed


def test_another_persons_job_and_another_models_job_are_404(client, director_user):
    other = factories.director(username="director-2")
    job = running_job(other, 1, 10)
    client.force_login(director_user)
    assert client.get(reverse("admin:plans_milestone_import_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("admin:plans_milestone_process_import"), {"job": job.pk}).status_code == 404
    mine = running_job(director_user, 1, 10)
    assert client.get(reverse("admin:plans_goal_import_job", args=[mine.pk])).status_code == 404
    assert client.get(reverse("admin:plans_milestone_import_job", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("job_id", ["", "abc", "-1", "9" * 5000, "9223372036854775808", "\x00"])
def test_a_bad_job_id_to_confirm_is_404(client, director_user, job_id):
    client.force_login(director_user)
    # A NUL anywhere in a request is refused at the door (400); any other bad id names no job (404).
    assert client.post(reverse("admin:plans_milestone_process_import"), {"job": job_id}).status_code in {400, 404}


def test_confirming_twice_queues_one_import(client, director_user, goal, agency):
    client.force_login(director_user)
    _page, preview = importing.upload(
        client, "plans_milestone", {"format": CSV, "import_file": csv_upload(goal, agency, 3)}
    )
    first = client.post(reverse("admin:plans_milestone_process_import"), {"job": preview.pk})
    second = client.post(reverse("admin:plans_milestone_process_import"), {"job": preview.pk})
    assert first.url == second.url
    assert preview.imports.count() == 1
    assert Milestone.objects.count() == 3
