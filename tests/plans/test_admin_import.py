"""The admin import: all or nothing, per-row and per-column Persian errors, Jalali dates and Persian digits."""

import io

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency
from plans.models import Goal, Milestone
from tests import factories, importing

pytestmark = pytest.mark.django_db

HEADERS = ["goal", "agency", "title", "target", "start_date", "due_date", "weight", "status", "progress"]


@pytest.fixture
def goal(agency):
    return factories.GoalFactory(number=3)


def good_rows(goal, agency):
    return [
        [
            str(goal.pk),
            agency.code,
            "نشست خبری فصل بهار",
            "۴ نشست",
            "۱۴۰۵/۰۱/۱۵",
            "۱۴۰۵/۰۳/۳۱",
            "۲",
            "در حال اجرا",
            "۳۰",
        ],
        [goal.pk, agency.name, "به‌روزرسانی پایگاه", "", "1405/02/01", "2026-09-01", 1, "not_started", 0],
        [goal.pk, agency.code, "گزارش فصلی", "", "1405/4/1", "1405/6/31", 1, "", ""],
    ]


def import_kwargs():
    """What the admin passes to import_data (so these tests exercise the admin's own settings)."""
    return admin.site._registry[Milestone].get_import_data_kwargs()


def run_import(rows, *, dry_run=False):
    from plans.admin import MilestoneResource

    dataset = tablib.Dataset(*rows, headers=HEADERS)
    return MilestoneResource().import_data(dataset, dry_run=dry_run, raise_errors=False, **import_kwargs())


def test_valid_rows_with_jalali_dates_persian_digits_and_labels_are_imported(goal, agency):
    result = run_import(good_rows(goal, agency))
    assert not result.has_errors(), result.base_errors
    assert not result.has_validation_errors(), [row.error_dict for row in result.invalid_rows]
    first = Milestone.objects.get(title="نشست خبری فصل بهار")
    assert first.start_date.isoformat() == "2026-04-04"
    assert first.due_date.isoformat() == "2026-06-21"
    assert (first.weight, first.progress, first.status) == (2, 30, "in_progress")
    assert first.target == "۴ نشست"  # free text keeps the digits typed (issue 11: an export imports back unchanged)
    assert Milestone.objects.count() == 3


def test_arabic_letters_are_normalised_and_agencies_matched_by_exact_name(goal):
    agency = factories.AgencyFactory(name="بهزیستی", code="welfare")
    row = [goal.pk, "بهزيستي", "كارگاه آموزشي", "", "1405/01/15", "1405/03/31", 1, "شروع نشده", 0]
    result = run_import([row])
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    milestone = Milestone.objects.get()
    assert milestone.agency == agency
    assert milestone.title == "کارگاه آموزشی"


BAD_ROWS = {
    "unknown agency": (lambda row: row.__setitem__(1, "دستگاه ناموجود"), "agency", "دستگاه ناموجود"),
    "bad jalali date": (lambda row: row.__setitem__(4, "۱۴۰۵/۱۳/۰۱"), "start_date", "۱۴۰۵/۰۹/۰۶"),
    "over-long title": (
        lambda row: row.__setitem__(2, "گ" * 301),
        "title",
        "۳۰۰",
    ),  # numbers in messages in Persian digits
    "duplicate": (lambda row: row.__setitem__(2, "نشست خبری فصل بهار"), None, "عنوان"),
    "empty required cell": (lambda row: row.__setitem__(5, ""), "due_date", ""),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_one_bad_row_among_valid_ones_changes_nothing_and_names_row_and_column(goal, agency, case):
    spoil, column, hint = BAD_ROWS[case]
    existing = factories.MilestoneFactory(goal=goal, agency=agency, title="گام موجود", progress=10)
    history_before = Milestone.history.count()
    rows = good_rows(goal, agency)
    rows.insert(1, list(rows[0]))
    spoil(rows[1])
    result = run_import(rows)

    assert result.has_validation_errors()
    assert Milestone.objects.count() == 1
    existing.refresh_from_db()
    assert existing.progress == 10
    assert Milestone.history.count() == history_before
    [invalid] = result.invalid_rows
    assert invalid.number == 2  # the second data row (row 3 of the sheet, under the header)
    errors = invalid.error_dict
    if column is not None:
        assert column in errors, errors
    text = " ".join(str(message) for messages in errors.values() for message in messages)
    assert hint in text


def test_a_dry_run_changes_nothing_and_leaves_no_history(goal, agency):
    history_before = Milestone.history.count()
    result = run_import(good_rows(goal, agency), dry_run=True)
    assert not result.has_validation_errors()
    assert result.totals["new"] == 3
    assert Milestone.objects.count() == 0
    assert Milestone.history.count() == history_before


def xlsx_upload(rows, headers=HEADERS, name="milestones.xlsx"):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_the_admin_dry_run_shows_persian_errors_and_the_confirm_step_imports(client, director_user, goal, agency):
    client.force_login(director_user)
    rows = good_rows(goal, agency)
    bad = [*rows, [goal.pk, "ناموجود", "گام بد", "", "1405/01/01", "1405/02/01", 1, "", 0]]
    response, preview = importing.upload(client, "plans_milestone", {"format": "0", "import_file": xlsx_upload(bad)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "هیچ دستگاهی با کد یا نام «ناموجود» وجود ندارد." in page
    assert 'name="job"' not in page  # no confirm button
    assert Milestone.objects.count() == 0
    refused = client.post(reverse("admin:plans_milestone_process_import"), {"job": preview.pk})
    assert refused.status_code == 404  # a preview with errors cannot be confirmed
    assert Milestone.objects.count() == 0

    response, preview = importing.upload(client, "plans_milestone", {"format": "0", "import_file": xlsx_upload(rows)})
    assert response.status_code == 200
    assert f'name="job" value="{preview.pk}"' in response.content.decode()
    assert Milestone.objects.count() == 0  # the preview is a dry run
    response, job = importing.confirm(client, "plans_milestone", preview)
    assert response.status_code == 200
    assert job.source == preview
    assert Milestone.objects.count() == 3
    assert Milestone.history.filter(history_type="+").count() == 3  # no bulk mode: history is written


def test_the_admin_import_is_all_or_nothing(director_user):
    assert import_kwargs()["rollback_on_validation_errors"] is True
    model_admin = admin.site._registry[Agency]
    assert model_admin.get_import_data_kwargs()["rollback_on_validation_errors"] is True


def test_agencies_import_by_code_with_county_names_normalised(client, director_user):
    factories.CountyFactory(name="بویراحمد")
    client.force_login(director_user)
    upload = xlsx_upload(
        [["kgov", "استانداري", "بويراحمد", "governance", "", True]],
        headers=["code", "name", "county", "category", "website", "is_active"],
        name="agencies.xlsx",
    )
    importing.import_file(client, "agencies_agency", {"format": "0", "import_file": upload})
    agency = Agency.objects.get(code="kgov")
    assert agency.name == "استانداری"
    assert agency.county.name == "بویراحمد"


def test_agencies_import_from_csv_in_the_csv_format(client, director_user):
    factories.CountyFactory(name="بویراحمد")
    client.force_login(director_user)
    text = "code,name,county,category,website,is_active\nkcsv,استانداری,بویراحمد,governance,,1\n"
    upload = SimpleUploadedFile("agencies.csv", ("\ufeff" + text).encode())
    importing.import_file(client, "agencies_agency", {"format": "1", "import_file": upload})
    assert Agency.objects.get(code="kcsv").county.name == "بویراحمد"


@pytest.mark.parametrize("role", ["officer", "evaluator", "viewer"])
def test_only_the_director_can_import_through_the_admin(client, agency, goal, role):
    user = factories.officer(agency) if role == "officer" else getattr(factories, role)()
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("admin:plans_milestone_import"), {"format": "0", "import_file": xlsx_upload(good_rows(goal, agency))}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    response = client.post(
        reverse("admin:plans_milestone_process_import"),
        {"job": "1"},
    )
    assert response.status_code == 302
    assert Milestone.objects.count() == 0
    assert Goal.objects.count() == 1


# --- ids and the export → import round trip (issue 11, item 3, the import half) ---------------------


@pytest.mark.parametrize("bad_id", ["-1", "-5.5", "0", "1.5", "9223372036854775808", "9" * 40, "abc", "99999"])
def test_an_import_row_id_must_be_an_existing_rows_or_empty(goal, agency, bad_id):
    row = [goal.pk, agency.code, "گام با شناسه بد", "", "1405/01/15", "1405/03/31", 1, "", 0]
    dataset = tablib.Dataset([bad_id, *row], headers=["id", *HEADERS])
    from plans.admin import MilestoneResource

    result = MilestoneResource().import_data(dataset, dry_run=False, raise_errors=False, **import_kwargs())
    assert result.has_validation_errors()
    messages = " ".join(str(error) for row in result.invalid_rows for error in row.error_dict.get("id", []))
    assert "شناسه" in messages
    assert not Milestone.objects.filter(title="گام با شناسه بد").exists()
    assert not Milestone.objects.filter(pk__lte=0).exists()


def export_workbook(client, fmt="0"):
    from plans.admin import MilestoneResource

    fields = {f"milestoneresource_{name}": "on" for name in MilestoneResource().get_export_order()}
    response = client.post(reverse("admin:plans_milestone_export"), {"format": fmt, "resource": "0", **fields})
    assert response.status_code == 200
    return response.content


def test_an_export_imported_back_changes_nothing(client, director_user, goal, agency):
    kept = factories.MilestoneFactory(
        goal=goal, agency=agency, title="-گام با خط تیره و ۲۰٪", target="=۴ نشست @ فصل", progress=20
    )
    factories.MilestoneFactory(goal=goal, agency=agency, title="افزایش ۲۰٪ پوشش خبری", status="delayed", progress=35)
    before = {m.pk: (m.version, m.title, m.target, m.status, m.progress, m.due_date) for m in Milestone.objects.all()}
    history = Milestone.history.count()
    client.force_login(director_user)
    for fmt in ("0", "1"):  # xlsx, CSV
        exported = export_workbook(client, fmt)
        name = "export.xlsx" if fmt == "0" else "export.csv"
        job = importing.import_file(
            client, "plans_milestone", {"format": fmt, "import_file": SimpleUploadedFile(name, exported)}
        )
        assert job.state == job.State.DONE
    after = {m.pk: (m.version, m.title, m.target, m.status, m.progress, m.due_date) for m in Milestone.objects.all()}
    assert after == before
    assert Milestone.history.count() == history  # 0 history rows written
    assert Milestone.objects.get(pk=kept.pk).title == "-گام با خط تیره و ۲۰٪"


def test_the_admin_export_has_drop_downs_for_the_columns_the_import_reads(client, director_user, goal, agency):
    factories.MilestoneFactory(goal=goal, agency=agency)
    client.force_login(director_user)
    sheet = openpyxl.load_workbook(io.BytesIO(export_workbook(client))).active
    headers = [cell.value for cell in sheet[1]]
    rules = {
        headers[openpyxl.utils.column_index_from_string(str(r.sqref)[0]) - 1]: r
        for r in sheet.data_validations.dataValidation
    }
    assert rules["status"].type == "list"
    assert "در حال اجرا" in rules["status"].formula1
    assert (rules["progress"].type, rules["progress"].formula1, rules["progress"].formula2) == ("whole", "0", "100")
    assert rules["weight"].type == "whole"
