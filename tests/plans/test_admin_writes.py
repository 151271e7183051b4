"""Admin writes go through the services (issue 11, part 3): no admin form, inline or import writes a
milestone's status or progress around report_progress, and a stale admin save or re-import is refused."""

import io
import threading

import lxml.html
import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from persian.jalali import format_datetime
from plans.models import Milestone, ProgressUpdate, Status
from plans.services import DONE_NEEDS_EVIDENCE, StaleEdit, report_progress
from tests import factories, importing
from tests.plans.test_concurrency import production_database_options  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(agency):
    return factories.MilestoneFactory(agency=agency, status=Status.IN_PROGRESS, progress=91, target="۴ نشست")


@pytest.fixture
def director_client(client, director_user):
    client.force_login(director_user)
    return client


def opened_form(client, url, form_id):
    """The admin form as the director's browser has it: every field's name and value, as it would post them."""
    response = client.get(url)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    form = page.get_element_by_id(form_id)
    data = {}
    for name, value in form.form_values():
        data[name] = value
    return data


def officer_reports(milestone, progress):
    officer = factories.officer(milestone.agency)
    fresh = Milestone.objects.get(pk=milestone.pk)
    return report_progress(
        milestone=fresh, author=officer, status=Status.IN_PROGRESS, progress=progress, expected_version=fresh.version
    )


def visible_errors(response):
    page = lxml.html.fromstring(response.content.decode())
    return " ".join(node.text_content() for node in page.find_class("errorlist"))


# --- the change form ------------------------------------------------------------------------------


def test_the_lost_update_on_the_milestone_form_is_refused_and_names_what_changed(director_client, milestone):
    url = reverse("admin:plans_milestone_change", args=[milestone.pk])
    data = opened_form(director_client, url, "milestone_form")  # 1. the director opens the milestone
    assert "progress" not in data
    assert "status" not in data
    assert "version" not in data
    officer_reports(milestone, 99)  # 2. the officer reports 99 %
    data["target"] = "۵ نشست"  # 3. the director edits only the target and saves
    response = director_client.post(url, data)
    assert response.status_code == 200
    errors = visible_errors(response)
    assert "۹۱ ← ۹۹" in errors
    assert "پیشرفت" in errors
    milestone.refresh_from_db()
    assert (milestone.progress, milestone.target) == (99, "۴ نشست")  # 4. progress stays 99, nothing saved


def test_a_fresh_admin_save_changes_the_plan_fields_and_keeps_the_reports_progress(director_client, milestone):
    officer_reports(milestone, 99)
    url = reverse("admin:plans_milestone_change", args=[milestone.pk])
    data = opened_form(director_client, url, "milestone_form")
    data["target"] = "۵ نشست"
    data["progress"], data["status"] = "10", Status.DONE  # a hand-made post cannot set them either
    response = director_client.post(url, data)
    assert response.status_code == 302, visible_errors(response)
    milestone.refresh_from_db()
    assert (milestone.target, milestone.progress, milestone.status) == ("۵ نشست", 99, Status.IN_PROGRESS)


def test_a_post_without_the_version_it_was_opened_at_is_refused(director_client, milestone):
    url = reverse("admin:plans_milestone_change", args=[milestone.pk])
    data = opened_form(director_client, url, "milestone_form")
    del data["seen_version"]
    data["target"] = "۵ نشست"
    assert director_client.post(url, data).status_code == 200
    milestone.refresh_from_db()
    assert milestone.target == "۴ نشست"


def test_the_lost_update_through_the_goal_pages_milestone_inline_is_refused(director_client, milestone):
    url = reverse("admin:plans_goal_change", args=[milestone.goal.pk])
    data = opened_form(director_client, url, "goal_form")
    assert not any(name.endswith("-progress") or name.endswith("-status") for name in data)
    officer_reports(milestone, 99)
    title_key = next(name for name, value in data.items() if name.endswith("-title") and value == milestone.title)
    data[title_key] = milestone.title + " (بازنگری)"
    response = director_client.post(url, data)
    assert response.status_code == 200
    assert "۹۱ ← ۹۹" in visible_errors(response)
    milestone.refresh_from_db()
    assert (milestone.progress, milestone.title) == (99, data[title_key].removesuffix(" (بازنگری)"))


def test_an_untouched_inline_row_does_not_block_saving_the_goal(director_client, milestone):
    url = reverse("admin:plans_goal_change", args=[milestone.goal.pk])
    data = opened_form(director_client, url, "goal_form")
    officer_reports(milestone, 99)
    data["title"] = "هدف بازنگری‌شده"
    response = director_client.post(url, data)
    assert response.status_code == 302, visible_errors(response)
    milestone.refresh_from_db()
    assert milestone.progress == 99
    assert milestone.goal.title == "هدف بازنگری‌شده"


# --- progress reports ------------------------------------------------------------------------------


def test_progress_reports_are_read_only_in_the_admin(director_client, milestone):
    update = officer_reports(milestone, 95)
    change = reverse("admin:plans_progressupdate_change", args=[update.pk])
    response = director_client.get(change)
    assert response.status_code == 200
    assert b'name="progress"' not in response.content
    director_client.post(change, {"progress": "10", "status": Status.DONE, "review_state": "accepted"})
    assert director_client.get(reverse("admin:plans_progressupdate_add")).status_code == 403
    assert director_client.post(reverse("admin:plans_progressupdate_delete", args=[update.pk]), {"post": "yes"})
    update.refresh_from_db()
    milestone.refresh_from_db()
    assert (update.progress, update.review_state, milestone.progress) == (95, "submitted", 95)
    assert ProgressUpdate.objects.count() == 1


# --- the import -------------------------------------------------------------------------------------


def export_xlsx(client):
    from plans.admin import MilestoneResource

    fields = {f"milestoneresource_{name}": "on" for name in MilestoneResource().get_export_order()}
    response = client.post(reverse("admin:plans_milestone_export"), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    return response.content


def import_xlsx(client, content):
    """Upload and, when the dry run is clean, confirm: what the director does (imports run as jobs,
    tests/importing.py). Returns the preview job's page and the preview job."""
    page, preview = importing.upload(
        client, "plans_milestone", {"format": "0", "import_file": SimpleUploadedFile("milestones.xlsx", content)}
    )
    assert preview is not None, page.content.decode()[:2000]
    preview.refresh_from_db()
    if preview.ok:
        importing.confirm(client, "plans_milestone", preview)
    return page, preview


def test_a_stale_re_import_of_an_old_export_is_refused_and_the_officers_progress_stands(director_client, milestone):
    old_export = export_xlsx(director_client)
    officer_reports(milestone, 99)
    history = Milestone.history.count()
    page, preview = import_xlsx(director_client, old_export)
    assert not preview.ok
    text = page.content.decode()
    assert "۹۱ ← ۹۹" in text
    milestone.refresh_from_db()
    assert milestone.progress == 99
    assert Milestone.history.count() == history


def test_a_fresh_export_imported_back_changes_0_rows_and_writes_0_history_rows(director_client, milestone):
    officer_reports(milestone, 99)
    before = list(Milestone.objects.values_list("pk", "version", "title", "target", "status", "progress"))
    history = Milestone.history.count()
    _page, preview = import_xlsx(director_client, export_xlsx(director_client))
    assert preview.ok
    assert preview.result["totals"]["update"] == preview.result["totals"]["new"] == 0
    assert list(Milestone.objects.values_list("pk", "version", "title", "target", "status", "progress")) == before
    assert Milestone.history.count() == history


def run_rows(headers, *rows):
    from plans.admin import MilestoneResource

    kwargs = admin.site._registry[Milestone].get_import_data_kwargs()
    return MilestoneResource().import_data(
        tablib.Dataset(*rows, headers=headers), dry_run=False, raise_errors=False, **kwargs
    )


def row_errors(result, column):
    return " ".join(str(error) for row in result.invalid_rows for error in row.error_dict.get(column, []))


HEADERS = ["id", "goal", "agency", "title", "start_date", "due_date", "status", "progress", "version"]


def existing_row(milestone, **changes):
    row = {
        "id": milestone.pk,
        "goal": milestone.goal.pk,
        "agency": milestone.agency.code,
        "title": milestone.title,
        "start_date": "1405/01/01",
        "due_date": "1405/06/31",
        "status": "در حال اجرا",
        "progress": "۹۱",
        "version": milestone.version,
        **changes,
    }
    return [row[name] for name in HEADERS]


def test_an_import_cannot_change_status_or_progress_even_with_the_current_version(milestone):
    result = run_rows(HEADERS, existing_row(milestone, progress="۲۰"))
    assert "گزارش پیشرفت" in row_errors(result, "status")
    milestone.refresh_from_db()
    assert milestone.progress == 91


def test_an_old_file_without_the_version_column_cannot_change_an_existing_row(milestone):
    row = existing_row(milestone, title="عنوان تازه")[:-1]
    result = run_rows(HEADERS[:-1], row)
    assert row_errors(result, "version")
    milestone.refresh_from_db()
    assert milestone.title != "عنوان تازه"


def test_a_new_row_marked_done_is_refused_with_the_apps_evidence_message(milestone):
    row = existing_row(milestone, id="", title="گام تازه", status="انجام‌شده", progress="۱۰۰", version="")
    result = run_rows(HEADERS, row)
    assert row_errors(result, "status") == str(DONE_NEEDS_EVIDENCE)  # the app's own words
    assert not Milestone.objects.filter(title="گام تازه").exists()


@pytest.mark.parametrize("bad_id", ["-1", "-5.5", "0", str(2**63), "۰"])
def test_a_row_id_that_is_not_a_positive_existing_id_is_refused_in_persian(milestone, bad_id):
    result = run_rows(HEADERS, existing_row(milestone, id=bad_id, title="گام با شناسه بد"))
    assert "شناسه" in row_errors(result, "id")
    assert not Milestone.objects.filter(title="گام با شناسه بد").exists()
    assert not Milestone.objects.filter(pk__lte=0).exists()


def test_persian_digits_and_a_leading_minus_survive_the_round_trip(director_client, milestone):
    milestone.title = "-افزایش ۲۰٪ پوشش خبری"
    milestone.save()
    content = export_xlsx(director_client)
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert any(str(cell.value).startswith("'-افزایش ۲۰٪") for row in sheet.iter_rows() for cell in row)
    version = Milestone.objects.get(pk=milestone.pk).version
    import_xlsx(director_client, content)
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("-افزایش ۲۰٪ پوشش خبری", version)


# --- at the same moment ---------------------------------------------------------------------------------

ROUNDS = 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("production_database_options")  # SQLite: the production options, or PostgreSQL
def test_the_director_saving_while_the_officer_reports_never_loses_either(agency, director_user):
    """The issue's probe, at the same moment: the director's admin save (target only) and the officer's 99 %
    report start together, ROUNDS times. One of them gets through, the other is refused as stale, and what got
    through is what the milestone shows: the report's 99 is never overwritten by the form's 91."""
    from django.db import connection
    from django.test import Client

    officer = factories.officer(agency, username="officer-at-once")
    outcomes = []
    for round_number in range(ROUNDS):
        milestone = factories.MilestoneFactory(
            agency=agency, status=Status.IN_PROGRESS, progress=91, title=f"گام همزمان {round_number}"
        )
        director = Client()
        director.force_login(director_user)
        url = reverse("admin:plans_milestone_change", args=[milestone.pk])
        data = opened_form(director, url, "milestone_form")
        data["target"] = f"هدف تازه {round_number}"
        seen = milestone.version
        barrier = threading.Barrier(2)
        result = {}

        def director_saves(director=director, url=url, data=data, result=result, barrier=barrier):
            try:
                barrier.wait()
                result["director"] = director.post(url, data).status_code
            finally:
                connection.close()  # this thread's own connection

        def officer_reports(milestone=milestone, seen=seen, result=result, barrier=barrier):
            try:
                barrier.wait()
                report_progress(
                    milestone=Milestone.objects.get(pk=milestone.pk),
                    author=officer,
                    status=Status.IN_PROGRESS,
                    progress=99,
                    expected_version=seen,
                )
                result["officer"] = "accepted"
            except StaleEdit:
                result["officer"] = "stale"
            finally:
                connection.close()  # this thread's own connection

        threads = [threading.Thread(target=director_saves), threading.Thread(target=officer_reports)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        milestone.refresh_from_db()
        saved, reported = result.get("director") == 302, result.get("officer") == "accepted"
        outcomes.append((saved, reported))
        assert saved != reported, (round_number, result)  # exactly one gets through, the other is told
        assert milestone.progress == (99 if reported else 91), (round_number, result)
        if saved:
            assert milestone.target == data["target"]
        else:
            assert milestone.target != data["target"]
    assert len(outcomes) == ROUNDS


@pytest.mark.parametrize("version", ["", "abc", "-3"])
def test_a_row_with_an_empty_or_bad_version_is_refused(milestone, version):
    result = run_rows(HEADERS, existing_row(milestone, title="عنوان تازه", version=version))
    assert row_errors(result, "version")
    milestone.refresh_from_db()
    assert milestone.title != "عنوان تازه"


def test_the_milestone_history_shows_the_report_in_jalali_and_persian(director_client, milestone):
    officer_reports(milestone, 99)
    response = director_client.get(reverse("admin:plans_milestone_history", args=[milestone.pk]))
    page = lxml.html.fromstring(response.content.decode())
    text = " ".join(" ".join(page.itertext()).split())
    assert "پیشرفت (٪): ۹۱ ← ۹۹" in text
    assert "نسخه" not in text  # the internal version is not among the changes
    assert "تاریخ و ساعت" in text
    record = milestone.history.order_by("history_id").first()
    assert format_datetime(record.history_date) in text  # Jalali date and time, Persian digits
    past = director_client.get(reverse("admin:plans_milestone_simple_history", args=[milestone.pk, record.history_id]))
    assert past.status_code == 200
    assert b'name="_save"' not in past.content  # no going back to it
    refused = director_client.post(
        reverse("admin:plans_milestone_simple_history", args=[milestone.pk, record.history_id]),
        {"target": "x", "seen_version": str(record.version)},
    )
    assert refused.status_code == 403
    milestone.refresh_from_db()
    assert milestone.progress == 99
