"""The per-agency round trip: download, fill, upload, preview, confirm — as if typed in the form."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from persian.jalali import to_persian_digits
from plans.models import Evidence, Milestone, ProgressUpdate, Status, StrategicPlan
from spreadsheets import roundtrip
from tests import factories

pytestmark = pytest.mark.django_db

DOWNLOAD = "spreadsheets:agency_sheet_download"


@pytest.fixture
def plan():
    return factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)


@pytest.fixture
def milestones(plan, agency):
    goal = factories.GoalFactory(plan=plan, number=1)
    spring = {"start_date": datetime.date(2026, 3, 21), "due_date": datetime.date(2026, 6, 21)}
    return [
        factories.MilestoneFactory(goal=goal, agency=agency, title=f"گام بهار {n}", progress=20, **spring)
        for n in range(3)
    ]


@pytest.fixture
def foreign(plan, other_agency):
    goal = factories.GoalFactory(plan=plan, number=2)
    return factories.MilestoneFactory(
        goal=goal,
        agency=other_agency,
        title="گام دستگاه دیگر",
        start_date=datetime.date(2026, 3, 21),
        due_date=datetime.date(2026, 6, 21),
    )


def download(client, **params):
    response = client.get(reverse(DOWNLOAD), {"quarter": "1405-1", **params})
    assert response.status_code == 200, response
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def as_upload(workbook, name="sheet.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row_of(worksheet, milestone):
    for row in worksheet.iter_rows(min_row=2):
        if row[0].value == milestone.pk:
            return row
    raise AssertionError(milestone)


def test_the_sheet_is_prefilled_right_to_left_and_protected(client, officer_user, milestones, foreign):
    client.force_login(officer_user)
    worksheet = download(client).active
    assert worksheet.sheet_view.rightToLeft
    assert worksheet.protection.sheet
    assert [cell.value for cell in worksheet[1]][:2] == ["شناسه گام", "نسخه"]
    ids = [row[0].value for row in worksheet.iter_rows(min_row=2)]
    assert ids == [m.pk for m in milestones]  # the agency's own, nothing of the other agency
    first = row_of(worksheet, milestones[0])
    assert first[5].value == "۱۴۰۵/۰۳/۳۱"
    assert first[8].value == "در حال اجرا"
    assert first[8].protection.locked is False
    assert first[4].protection.locked is not False


def test_upload_preview_confirm_posts_reports_like_the_form(client, officer_user, milestones):
    client.force_login(officer_user)
    workbook = download(client)
    worksheet = workbook.active
    first, second = row_of(worksheet, milestones[0]), row_of(worksheet, milestones[1])
    first[9].value = "۶۰"
    first[10].value = "-۱ نشست لغو شد، بقیه برگزار شد"
    second[8].value = "انجام شده"
    second[11].value = "https://example.org/news/1"

    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook)})
    assert response.status_code == 302
    preview = client.get(response.url)
    page = preview.content.decode()
    assert "پیش‌نمایش" in page
    assert preview.context["can_confirm"]
    assert [row["milestone_id"] for row in preview.context["rows"]] == [milestones[0].pk, milestones[1].pk]
    assert preview.context["unchanged"] == 1
    assert ProgressUpdate.objects.count() == 0  # the preview is a dry run

    token = preview.context["token"]
    # Re-posted data is ignored: the rows come from the session.
    response = client.post(reverse("spreadsheets:agency_sheet_confirm"), {"token": token, "progress": "100"})
    assert response.status_code == 302
    milestones[0].refresh_from_db()
    milestones[1].refresh_from_db()
    assert (milestones[0].status, milestones[0].progress) == (Status.IN_PROGRESS, 60)
    assert (milestones[1].status, milestones[1].progress) == (Status.DONE, 100)
    report = ProgressUpdate.objects.get(milestone=milestones[0])
    assert report.author == officer_user
    assert report.note == "-۱ نشست لغو شد، بقیه برگزار شد"
    assert report.review_state == ProgressUpdate.ReviewState.SUBMITTED
    assert Evidence.objects.get(update__milestone=milestones[1]).url == "https://example.org/news/1"
    assert milestones[0].history.first().history_user == officer_user
    # The same token cannot be replayed.
    client.post(reverse("spreadsheets:agency_sheet_confirm"), {"token": token})
    assert ProgressUpdate.objects.count() == 2


def test_another_agencys_milestone_is_refused_and_nothing_can_be_confirmed(client, officer_user, milestones, foreign):
    client.force_login(officer_user)
    workbook = download(client)
    worksheet = workbook.active
    row_of(worksheet, milestones[0])[9].value = 70
    worksheet.append([foreign.pk, foreign.version, 2, "x", "x", None, None, None, "در حال اجرا", 90, "نفوذ", None])
    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook)}, follow=True)
    page = response.content.decode()
    assert f"ردیف ۵، ستون «شناسه گام»: گام {to_persian_digits(foreign.pk)} متعلق به دستگاه دیگری است" in page
    assert not response.context["can_confirm"]
    response = client.post(reverse("spreadsheets:agency_sheet_confirm"), {"token": response.context["token"]})
    assert ProgressUpdate.objects.count() == 0
    foreign.refresh_from_db()
    assert foreign.progress == 40


def test_a_stale_row_is_refused(client, officer_user, milestones):
    client.force_login(officer_user)
    workbook = download(client)
    row_of(workbook.active, milestones[0])[9].value = 55
    milestones[0].progress = 25
    milestones[0].save()  # someone else changed it after the download
    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook)}, follow=True)
    assert "پس از دریافت کاربرگ تغییر کرده است" in response.content.decode()
    assert not response.context["can_confirm"]


def test_service_rules_show_in_the_preview(client, officer_user, milestones):
    client.force_login(officer_user)
    workbook = download(client)
    worksheet = workbook.active
    row_of(worksheet, milestones[0])[8].value = "انجام شده"  # done without evidence
    row_of(worksheet, milestones[1])[8].value = "متوقف/با تأخیر"  # delayed without a reason
    row_of(worksheet, milestones[2])[9].value = "۱۵۰"
    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook)}, follow=True)
    page = response.content.decode()
    assert "مستند" in page
    assert "ستون «پیشرفت جدید (۰ تا ۱۰۰)»" in page
    assert not response.context["can_confirm"]
    assert ProgressUpdate.objects.count() == 0


def test_confirm_is_all_or_nothing(officer_user, milestones):
    rows = [
        roundtrip.PreviewRow(
            row=2,
            milestone_id=milestones[0].pk,
            version=milestones[0].version,
            new_status="in_progress",
            new_progress=50,
        ),
        roundtrip.PreviewRow(
            row=3, milestone_id=milestones[1].pk, version=99, new_status="in_progress", new_progress=50
        ),
    ]
    from dataclasses import asdict

    with pytest.raises(roundtrip.ConfirmFailed):
        roundtrip.confirm([asdict(row) for row in rows], agency=milestones[0].agency, user=officer_user)
    assert ProgressUpdate.objects.count() == 0


def test_a_file_that_is_not_our_sheet_is_refused(client, officer_user, plan):
    client.force_login(officer_user)
    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "value"])
    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook)})
    assert response.status_code == 200
    assert "ستون نخست" in response.content.decode()


def test_permission_ladder(client, officer_user, viewer_user, director_user, other_agency, milestones):
    url = reverse("spreadsheets:agency_sheet")
    assert client.get(url).status_code == 302  # anonymous: log in
    client.force_login(viewer_user)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(officer_user)
    assert client.get(url).status_code == 200
    assert client.get(url, {"agency": other_agency.code}).status_code == 404
    assert client.get(reverse(DOWNLOAD), {"agency": other_agency.code}).status_code == 404
    client.force_login(director_user)
    assert client.get(url, {"agency": other_agency.code}).status_code == 200
    worksheet = download(client, agency=milestones[0].agency.code).active
    assert worksheet.max_row == 4


def test_a_sheet_downloaded_in_english_can_be_uploaded_in_persian(client, officer_user, plan, milestones):
    from django.utils import translation

    from persian.jalali import Quarter

    buffer = io.BytesIO()
    with translation.override("en"):
        roundtrip.write_agency_sheet(roundtrip.quarter_milestones(milestones[0].agency, Quarter(1405, 1), plan), buffer)
    workbook = openpyxl.load_workbook(buffer)
    worksheet = workbook.active
    assert worksheet["A1"].value == "Milestone id"
    assert worksheet.sheet_view.rightToLeft in (None, False)
    row_of(worksheet, milestones[2])[8].value = "Delayed / blocked"
    row_of(worksheet, milestones[2])[10].value = "منتظر تأیید استانداری"
    client.force_login(officer_user)
    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook)}, follow=True)
    assert response.context["can_confirm"]
    assert response.context["rows"][0]["new_status"] == Status.DELAYED


def test_a_directors_sheet_for_one_agency_refuses_another_agencys_rows(
    client, director_user, agency, milestones, foreign
):
    client.force_login(director_user)
    workbook = download(client, agency=agency.code)
    worksheet = workbook.active
    worksheet.append([foreign.pk, foreign.version, 2, "", "", "", "", 0, "", 50, "", ""])
    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook), "agency": agency.code})
    assert response.status_code == 302
    preview = client.get(response.url)
    assert not preview.context["can_confirm"]
    assert "متعلق به دستگاه دیگری" in " ".join(preview.context["errors"])


def test_the_preview_kept_in_the_session_is_capped(client, officer_user, milestones):
    client.force_login(officer_user)
    workbook = download(client)
    for _n in range(150):
        workbook.active.append(["not an id", 1])
    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook)})
    errors = client.get(response.url).context["errors"]
    assert len(errors) == roundtrip.MAX_PREVIEW_ERRORS + 1
    assert to_persian_digits(50) in errors[-1]


def test_a_preview_too_big_for_the_session_is_refused(client, officer_user, milestones, monkeypatch):
    monkeypatch.setattr(roundtrip, "MAX_PREVIEW_TEXT", 100)
    client.force_login(officer_user)
    workbook = download(client)
    row_of(workbook.active, milestones[0])[10].value = "گزارش " * 40
    response = client.post(reverse("spreadsheets:agency_sheet"), {"file": as_upload(workbook)})
    assert response.status_code == 200
    assert "یکجا" in response.content.decode()
    assert "spreadsheets.agency_sheet" not in client.session


# --- the sheet LibreOffice filled (tests/data/README.md) ---------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data"


def test_the_round_trip_sheet_carries_its_drop_downs_and_libreoffice_keeps_them():
    """The sheet as handed out, and as saved again by LibreOffice: openpyxl reads both validations back."""
    for name in ("roundtrip-template.xlsx", "roundtrip-filled-fa-IR.xlsx"):
        sheet = openpyxl.load_workbook(DATA / name).active
        rules = {str(rule.sqref).split(":")[0]: rule for rule in sheet.data_validations.dataValidation}
        status, progress = rules["I2"], rules["J2"]
        assert status.type == "list"
        assert status.formula1 == '"شروع نشده,در حال اجرا,انجام شده,متوقف / با تأخیر"'  # no «لغو شده» for an officer
        assert (progress.type, progress.operator, progress.formula1, progress.formula2) == (
            "whole",
            "between",
            "0",
            "100",
        )
        assert status.showErrorMessage


def test_a_sheet_filled_in_libreoffice_is_previewed_with_the_labels_it_holds(agency, officer_user):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    goal = factories.GoalFactory(plan=plan, number=1)
    for pk, progress in ((9101, 10), (9102, 20), (9103, 30)):
        factories.MilestoneFactory(pk=pk, goal=goal, agency=agency, status=Status.IN_PROGRESS, progress=progress)
    Milestone.objects.update(version=1)
    upload = SimpleUploadedFile("sheet.xlsx", (DATA / "roundtrip-filled-fa-IR.xlsx").read_bytes())
    preview = roundtrip.read_upload(upload, agency=agency, user=officer_user)
    assert not preview.has_errors, (preview.errors, [row.errors for row in preview.rows])
    changes = {row.milestone_id: (row.new_status, row.new_progress) for row in preview.rows}
    # «متوقف/با تأخیر» (no spaces around the slash) is the label «متوقف / با تأخیر»
    assert changes == {9101: (Status.IN_PROGRESS, 65), 9102: (Status.DELAYED, 40), 9103: (Status.NOT_STARTED, 0)}
    assert [row.note for row in preview.rows if row.milestone_id == 9102] == ["در انتظار پاسخ ۲ دستگاه"]
