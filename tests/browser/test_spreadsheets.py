"""The officer's round trip in a real browser: download, edit two rows, upload, preview, confirm."""

import datetime
import io

import openpyxl
import pytest

from plans.models import ProgressUpdate, StrategicPlan
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan_with_milestones(agency, other_agency):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    goal = factories.GoalFactory(plan=plan, number=1, title="انعکاس به‌موقع اخبار")
    dates = {"start_date": datetime.date(2026, 9, 23), "due_date": datetime.date(2026, 12, 21)}
    own = [
        factories.MilestoneFactory(goal=goal, agency=agency, title=f"نشست خبری {n}", progress=20, **dates)
        for n in range(3)
    ]
    foreign = factories.MilestoneFactory(goal=goal, agency=other_agency, title="گام شرکت گاز", **dates)
    return own, foreign


def rows_by_id(worksheet):
    return {row[0].value: row for row in worksheet.iter_rows(min_row=2)}


def test_officer_round_trip(page, login, screenshot, console_errors, officer_user, plan_with_milestones, tmp_path):
    own, foreign = plan_with_milestones
    login(officer_user.username)
    page.goto("/spreadsheets/sheet/?quarter=1405-3")
    assert page.locator("h1").inner_text() == "کاربرگ پیشرفت"
    screenshot("spreadsheets-agency-sheet")

    with page.expect_download() as info:
        page.click("#download-sheet")
    path = tmp_path / "sheet.xlsx"
    info.value.save_as(path)
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook.active
    assert worksheet.sheet_view.rightToLeft
    rows = rows_by_id(worksheet)
    assert set(rows) == {m.pk for m in own}
    rows[own[0].pk][9].value = 65
    rows[own[0].pk][10].value = "دو نشست خبری برگزار شد"
    rows[own[1].pk][8].value = "انجام شده"
    rows[own[1].pk][11].value = "https://example.org/yasuj/news/12"
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)

    page.set_input_files("#upload-sheet input[type=file]", str(edited))
    page.click("#upload-sheet button[type=submit]")
    page.wait_for_selector("#sheet-preview")
    assert page.locator("#sheet-preview tbody tr[data-milestone]").count() == 2
    assert "۶۵٪" in page.locator(f"tr[data-milestone='{own[0].pk}']").inner_text()
    screenshot("spreadsheets-preview")
    page.click("#confirm-sheet")
    page.wait_for_selector(".alert-success")
    assert ProgressUpdate.objects.filter(milestone=own[0], progress=65, author=officer_user).exists()
    assert ProgressUpdate.objects.filter(milestone=own[1], status="done", author=officer_user).exists()
    assert ProgressUpdate.objects.count() == 2

    # Another agency's milestone slipped into a fresh sheet is refused, and nothing can be confirmed.
    with page.expect_download() as info:
        page.click("#download-sheet")
    info.value.save_as(path)
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook.active
    worksheet.append([foreign.pk, foreign.version, 1, "", "", None, None, None, "انجام شده", 100, "", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page.set_input_files(
        "#upload-sheet input[type=file]",
        files=[{"name": "sheet.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}],
    )
    page.click("#upload-sheet button[type=submit]")
    page.wait_for_selector("#sheet-errors")
    assert "متعلق به دستگاه دیگری است" in page.locator("#sheet-errors").inner_text()
    assert page.locator("#confirm-sheet").count() == 0
    screenshot("spreadsheets-refused")
    assert ProgressUpdate.objects.filter(milestone=foreign).count() == 0
    assert console_errors == []
