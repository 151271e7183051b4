"""The progress workbook prints (issue 16): every sheet has A4 page setup fitted to the width,
landscape where it is wide, its header row (and the heatmap's goal column) repeated on every page,
and a header row tall enough for its wrapped Persian headers."""

import io

import openpyxl
import pytest
from django.urls import reverse

from fileformats.writer import Sheet, write_xlsx
from plans.models import StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_sheet_of_the_progress_workbook_has_page_setup(client, director_user, agency, other_agency):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    goal = factories.GoalFactory(plan=plan, number=1)
    factories.MilestoneFactory(goal=goal, agency=agency)
    factories.MilestoneFactory(goal=goal, agency=other_agency)
    client.force_login(director_user)
    response = client.get(reverse("spreadsheets:export"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    orientation = {}
    for sheet in workbook.worksheets:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.print_area, sheet.title
        assert sheet.row_dimensions[1].height >= 21, sheet.title
        orientation[sheet.title] = sheet.page_setup.orientation
    assert orientation == {
        "خلاصه": "landscape",
        "اهداف": "landscape",
        "دستگاه‌ها": "landscape",
        "گام‌های اجرایی": "landscape",
        "نقشه حرارتی": "landscape",
    }
    assert workbook["نقشه حرارتی"].print_title_cols == "$A:$A"  # goal labels on every colour page


def test_a_narrow_sheet_prints_portrait_and_a_long_header_gets_a_tall_row(tmp_path):
    path = tmp_path / "narrow.xlsx"
    write_xlsx(
        [
            Sheet(title="narrow", headers=["کد", "نام"], rows=[[1, "الف"]], column_widths=[8, 30]),
            Sheet(
                title="wrapped",
                headers=["تعداد گام‌های اجرایی انجام‌شده در این فصل", "پیشرفت"],
                rows=[[1, 2]],
                column_widths=[10, 10],
            ),
        ],
        path,
    )
    workbook = openpyxl.load_workbook(path)
    assert workbook["narrow"].page_setup.orientation == "portrait"
    assert workbook["narrow"].row_dimensions[1].height == 21  # one line
    # 41 characters in a 10-wide column wrap onto 6 lines: the row holds them (15 pt a line).
    assert workbook["wrapped"].row_dimensions[1].height >= 15 * 5
