"""The progress workbook and CSV: right-to-left, Persian, Jalali, numeric percents, and never a formula."""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from fileformats.writer import DANGEROUS_PREFIXES, Sheet, safe_cell, write_csv, write_xlsx
from plans.models import Status, StrategicPlan
from spreadsheets.export import ExportFilters, progress_sheets, write_progress
from tests import factories

pytestmark = pytest.mark.django_db

NASTY_NOTES = ["=1+2", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil.example","x")']


@pytest.fixture
def plan(agency, other_agency):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE, title="برنامه راهبردی ۱۴۰۵")
    goal_1 = factories.GoalFactory(plan=plan, number=1, title="برنامه عملیاتی سالانه", owner=agency)
    goal_2 = factories.GoalFactory(plan=plan, number=2, title="=2+3 هدف خطرناک")
    author = factories.officer(agency)
    for index, note in enumerate(NASTY_NOTES):
        milestone = factories.MilestoneFactory(
            goal=goal_1 if index % 2 else goal_2,
            agency=agency if index < 5 else other_agency,
            title=f"گام {index}" if index else "-گام با خط تیره",
            target="+۴ نشست",
            progress=10 * index,
            start_date=datetime.date(2026, 3, 21),
            due_date=datetime.date(2026, 11, 27),
        )
        factories.ProgressUpdateFactory(milestone=milestone, note=note, author=author, progress=10 * index)
    factories.MilestoneFactory(goal=goal_1, agency=other_agency, status=Status.CANCELLED, progress=0)
    return plan


def all_cells(workbook):
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            yield from row


# What a reader may skip before deciding a cell is a formula: spaces, direction marks, ZWNJ, BOM.
SKIPPABLE = "\\s\u00a0\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
STARTS_A_FORMULA = re.compile(f"[{SKIPPABLE}\x00-\x1f]*[=+\\-@\uff1d\uff0b\uff0d\uff20]")
# Each hides a formula behind a character that is stripped on the way out or skipped by a reader.
DISGUISED = [
    "\x01=1+2",
    "\x0b@SUM(A1)",
    "\x00=1",
    "\x1f\x1e+1",
    " =1+2",
    "\u200f=1+2",
    "\u200e-1",
    "\u202b\u2067@SUM(A1)",
    "\u200c=1",
    "\ufeff=1",
    "\u00a0+1",
    "\uff1d1+2",
]


def starts_dangerously(text):
    return text.startswith(DANGEROUS_PREFIXES) or STARTS_A_FORMULA.match(text) is not None


def assert_nothing_dangerous(workbook):
    for cell in all_cells(workbook):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not starts_dangerously(cell.value), (cell.coordinate, cell.value)


def test_safe_cell_neutralises_text_and_keeps_numbers():
    for text in [*NASTY_NOTES, "\n=1", "-5", " =1", "\u200f=1"]:
        assert safe_cell(text) == "'" + text
    assert safe_cell("\x00=1") == "'=1"  # the NUL is removed first, then the formula is seen
    assert safe_cell("\x01=1+2") == "'=1+2"
    assert safe_cell(-5) == -5
    assert safe_cell(-2.5) == -2.5
    assert safe_cell(None) is None
    assert safe_cell("گام ۱") == "گام ۱"
    assert safe_cell(datetime.date(2026, 1, 1)) == datetime.date(2026, 1, 1)


def test_command_writes_a_persian_right_to_left_workbook_without_formulas(plan, tmp_path):
    path = tmp_path / "progress.xlsx"
    call_command("export_progress", plan=plan.pk, output=str(path), stdout=io.StringIO())
    workbook = openpyxl.load_workbook(path)

    assert workbook.sheetnames == ["خلاصه", "اهداف", "دستگاه‌ها", "گام‌های اجرایی", "نقشه حرارتی"]
    for worksheet in workbook.worksheets:
        assert worksheet.sheet_view.rightToLeft is True
        assert worksheet.freeze_panes == "A2"
        assert worksheet.auto_filter.ref
    milestones = workbook["گام‌های اجرایی"]
    headers = [cell.value for cell in milestones[1]]
    assert headers[:4] == ["شماره هدف", "هدف", "دستگاه اجرایی", "گام اجرایی"]
    assert "آخرین گزارش" in headers
    first = [cell for cell in milestones[2]]
    assert first[7].value == "۱۴۰۵/۰۱/۰۱"  # start date, Jalali text
    assert first[8].value == "۱۴۰۵/۰۹/۰۶"  # due date
    progress = first[6]
    assert progress.data_type == "n"
    assert "%" in progress.number_format
    notes = {row[10].value for row in milestones.iter_rows(min_row=2)}
    assert "'=1+2" in notes
    assert "'@SUM(A1)" in notes
    assert "'\t=1" in notes
    summary = workbook["خلاصه"]
    assert summary["F2"].data_type == "n"
    assert "%" in summary["F2"].number_format
    heatmap = workbook["نقشه حرارتی"]
    assert heatmap.conditional_formatting
    assert_nothing_dangerous(workbook)


def test_a_negative_number_stays_a_number(tmp_path):
    path = tmp_path / "n.xlsx"
    write_xlsx(
        [Sheet(title="x", headers=["a", "b", "c"], rows=[[-3, "-3", Decimal("80.00")]], percent_columns=[2])], path
    )
    worksheet = openpyxl.load_workbook(path).active
    assert worksheet["A2"].value == -3
    assert worksheet["A2"].data_type == "n"
    assert worksheet["B2"].value == "'-3"
    assert worksheet["C2"].value == 80
    # Persian digits in a Persian workbook (the number stays a number); plain in English.
    assert worksheet["C2"].number_format == '[$-3000429]General"%"'
    with translation.override("en"):
        write_xlsx([Sheet(title="x", headers=["c"], rows=[[80]], percent_columns=[0])], tmp_path / "en.xlsx")
    assert openpyxl.load_workbook(tmp_path / "en.xlsx").active["A2"].number_format == 'General"%"'


def test_figures_come_from_the_database(plan):
    sheets = progress_sheets(plan)
    summary = list(sheets[0].rows)
    # Goal 1 holds milestones 1, 3, 5 (progress 10, 30, 50) and a cancelled one, which counts
    # nowhere (as on the dashboard's goal table).
    goal_1 = next(row for row in summary if row[0] == 1)
    assert goal_1[2] == 3
    assert goal_1[5] == 30
    heatmap = list(sheets[4].rows)
    assert len(heatmap) == 2


def test_english_headers_when_the_user_reads_english(plan, tmp_path):
    path = tmp_path / "en.xlsx"
    call_command("export_progress", plan=plan.pk, output=str(path), language="en", stdout=io.StringIO())
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Summary", "Goals", "Agencies", "Milestones", "Heatmap"]
    milestones = workbook["Milestones"]
    assert milestones["A1"].value == "Goal number"
    assert milestones.sheet_view.rightToLeft in (None, False)
    assert milestones["H2"].is_date


def test_csv_is_utf8_with_bom_and_sanitised(plan, tmp_path):
    path = tmp_path / "progress.csv"
    call_command("export_progress", plan=plan.pk, output=str(path), stdout=io.StringIO())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("شماره هدف,هدف,دستگاه اجرایی,گام اجرایی")
    import csv

    for row in csv.reader(io.StringIO(text)):
        for value in row:
            assert not value.startswith(DANGEROUS_PREFIXES), value
    assert "۱۴۰۵/۰۹/۰۶" in text


def test_agency_option_narrows_the_milestones(plan, agency, tmp_path):
    path = tmp_path / "a.csv"
    call_command("export_progress", plan=plan.pk, output=str(path), agency=agency.code, stdout=io.StringIO())
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 5


def test_command_refuses_an_unknown_plan(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("export_progress", plan=999, output=str(tmp_path / "x.xlsx"))


def test_query_count_does_not_grow_with_rows(plan, django_assert_num_queries):
    def run():
        output = io.BytesIO()
        write_progress(plan, output, filters=ExportFilters())
        return output

    # From the progress summary: goals and their overdue milestones of this quarter, agencies and
    # theirs, heatmap cells; then the milestones' rows.
    with django_assert_num_queries(6):
        run()
    goal = plan.goals.first()
    for index in range(20):
        factories.MilestoneFactory(goal=goal, title=f"بیشتر {index}")
    with django_assert_num_queries(6):
        output = run()
    rows = openpyxl.load_workbook(output)["گام‌های اجرایی"].max_row
    assert rows == 1 + 8 + 20


# --- the web download -----------------------------------------------------------------------


def test_web_export_streams_the_workbook_with_filters(client, director_user, plan, agency):
    client.force_login(director_user)
    response = client.get(reverse("spreadsheets:export"), {"agency": agency.code, "quarter": "۱۴۰۵-۳"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook["گام‌های اجرایی"].max_row == 1 + 5
    assert_nothing_dangerous(workbook)


def test_web_export_csv(client, director_user, plan):
    client.force_login(director_user)
    response = client.get(reverse("spreadsheets:export"), {"format": "csv", "plan": plan.pk})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")


def test_an_officer_exports_only_what_they_may_open(client, officer_user, plan):
    client.force_login(officer_user)
    response = client.get(reverse("spreadsheets:export"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    agencies = {row[2].value for row in workbook["گام‌های اجرایی"].iter_rows(min_row=2)}
    assert agencies == {"آموزش و پرورش"}


def test_bad_filters_are_a_persian_400_not_a_500(client, director_user, plan):
    client.force_login(director_user)
    response = client.get(reverse("spreadsheets:export"), {"quarter": "بهار", "agency": "nope"})
    assert response.status_code == 400
    assert "فصل" in response.content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("spreadsheets:export"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_admin_export_goes_through_safe_cell(plan):
    from plans.admin import MilestoneResource

    dataset = MilestoneResource().export()
    for row in dataset:
        for value in row:
            assert not (isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES)), value
    assert "'-گام با خط تیره" in dataset["title"]


def test_every_admin_resource_is_hardened():
    from django.contrib import admin

    from fileformats.importexport import CouncilImportExportMixin, CouncilResource

    hardened = 0
    for model_admin in admin.site._registry.values():
        if hasattr(model_admin, "resource_classes"):
            assert isinstance(model_admin, CouncilImportExportMixin), model_admin
            for resource in model_admin.resource_classes:
                assert issubclass(resource, CouncilResource), resource
            hardened += 1
    assert hardened == 4


def test_no_cell_begins_dangerously_after_stripping_or_behind_invisible_marks(tmp_path):
    sheet = Sheet(title="x", headers=[*DISGUISED], rows=[[text, 1, text] for text in DISGUISED])
    path = tmp_path / "disguised.xlsx"
    write_xlsx([sheet], path)
    workbook = openpyxl.load_workbook(path)
    assert_nothing_dangerous(workbook)
    values = [cell.value for cell in all_cells(workbook) if isinstance(cell.value, str)]
    assert len(values) == 3 * len(DISGUISED)
    assert all(value.startswith("'") for value in values)
    csv_path = tmp_path / "disguised.csv"
    write_csv(sheet, csv_path)
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [value for row in csv.reader(handle) for value in row if value != "1"]
    assert len(cells) == 3 * len(DISGUISED)
    for value in cells:
        assert not starts_dangerously(value), value
        assert not any(ord(char) < 32 and char not in "\t\r\n" for char in value), value


def test_numbers_that_are_not_finite_are_written_as_text(tmp_path):
    import zipfile

    path = tmp_path / "odd.xlsx"
    rows = [[float("inf"), float("-inf"), float("nan"), Decimal("NaN"), Decimal("Infinity"), 10**30, 2.5]]
    write_xlsx([Sheet(title="x", headers=list("abcdefg"), rows=rows, percent_columns=[1])], path)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert not re.search(rb"<v>-?(inf|nan|Infinity|NaN)", sheet, re.IGNORECASE)
    cells = openpyxl.load_workbook(path).active[2]
    assert [cell.data_type for cell in cells] == ["s", "s", "s", "s", "s", "n", "n"]
    assert cells[6].value == 2.5


def test_every_part_has_a_plain_local_header(tmp_path):
    """No zip64 extra in a local header that the central directory does not repeat."""
    import struct
    import zipfile

    path = tmp_path / "plain.xlsx"
    write_xlsx([Sheet(title="x", headers=["a"], rows=[[n] for n in range(10)])], path)
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            header = raw[info.header_offset : info.header_offset + 30]
            assert header[:4] == b"PK\x03\x04"
            version_needed = struct.unpack("<H", header[4:6])[0]
            extra_length = struct.unpack("<H", header[28:30])[0]
            assert (info.filename, version_needed, extra_length) == (info.filename, 20, len(info.extra))


def test_writer_output_is_csv_too(tmp_path):
    path = tmp_path / "s.csv"
    write_csv(Sheet(title="x", headers=["=a"], rows=[[1.0, "@x", None, datetime.date(2026, 3, 21)]]), path)
    with translation.override("fa"):
        pass
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["'=a", "1,'@x,,۱۴۰۵/۰۱/۰۱"]


def test_awkward_text_survives_and_every_part_is_well_formed_xml(tmp_path):
    import zipfile

    from defusedxml import ElementTree

    awkward = [
        "a & b < c > d",
        "tab\there",
        "line\nbreak",
        "\x01control\x1f chars",
        "_x0041_ stays literal",
        " leading space",
        "گ" * 40_000,
        "quote \" and apostrophe '",
    ]
    path = tmp_path / "awkward.xlsx"
    write_xlsx(
        [
            Sheet(title="a/b:c*?[]" + "x" * 40, headers=["متن"], rows=[[text] for text in awkward]),
            Sheet(
                title="a/b:c*?[]" + "x" * 40,
                headers=["عدد", "درصد"],
                rows=[[1.5, 12.5], [10**12, -3]],
                percent_columns=[1],
            ),
        ],
        path,
    )
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
    workbook = openpyxl.load_workbook(path)
    first, second = workbook.worksheets
    assert len(set(workbook.sheetnames)) == 2
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    values = [row[0].value for row in first.iter_rows(min_row=2)]
    assert values[0] == "a & b < c > d"
    assert values[1] == "tab\there"
    assert values[2] == "line\nbreak"
    assert values[3] == "control chars"
    # Excel reads _x005F_ as "_", so it shows "_x0041_ stays literal"; openpyxl does not unescape.
    assert values[4] == "_x005F_x0041_ stays literal"
    assert values[5] == " leading space"
    assert len(values[6]) == 32_767
    assert values[7] == "quote \" and apostrophe '"
    assert second["A2"].value == 1.5
    assert second["A3"].value == 10**12
    assert second["B2"].value == 12.5  # percent cells keep the 0–100 figure and show a % sign
    assert second["B3"].value == -3


def test_the_admin_export_view_writes_sanitised_cells(client, director_user, plan):
    from plans.admin import MilestoneResource

    client.force_login(director_user)
    fields = {f"milestoneresource_{name}": "on" for name in MilestoneResource().get_export_order()}
    response = client.post(reverse("admin:plans_milestone_export"), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert_nothing_dangerous(workbook)
    titles = [row[3].value for row in workbook.active.iter_rows(min_row=2)]
    assert "'-گام با خط تیره" in titles
    response = client.post(reverse("admin:plans_milestone_export"), {"format": "1", "resource": "0", **fields})
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_unfiltered_goal_progress_matches_the_plan_page(plan):
    from plans.models import Goal

    sheets = progress_sheets(plan)
    exported = {row[0]: row[5] for row in sheets[1].rows}
    for goal in Goal.objects.for_dashboard(plan):
        assert exported[goal.number] == goal.progress


def test_every_figure_is_the_dashboards_same_rounding_too(client, director_user, agency, other_agency):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    thirds = factories.GoalFactory(plan=plan, number=1)
    half = factories.GoalFactory(plan=plan, number=2)
    for progress, owner in ((100, agency), (100, agency), (0, other_agency)):
        factories.MilestoneFactory(goal=thirds, agency=owner, progress=progress, weight=1)
    factories.MilestoneFactory(goal=half, agency=agency, progress=50, weight=1)
    client.force_login(director_user)
    page = client.get(reverse("home")).context
    summary, goals, agencies, _milestones, heatmap = progress_sheets(plan)
    summary = list(summary.rows)
    # Goal 1 is 66.67 %: the page shows 67, and the plan's 58.3 weighs the unrounded 66.67 (not 66.7).
    assert [row[5] for row in goals.rows] == [goal.progress for goal in page["goals"]] == [67, 50]
    assert summary[0][5] == page["overall"] == 58.3
    assert [row[5] for row in summary[1:]] == [67, 50]
    ranked = {agency.name: agency.progress for agency in page["top_agencies"]}
    assert {row[0]: row[8] for row in agencies.rows} == ranked
    first_goal = next(iter(heatmap.rows))
    assert dict(zip(heatmap.headers[1:], first_goal[1:], strict=True)) == {agency.name: 100, other_agency.name: 0}


def test_the_dashboard_links_to_the_workbook_with_its_filters(client, director_user):
    import openpyxl

    plan = factories.StrategicPlanFactory(status="active")
    goal = factories.GoalFactory(plan=plan, number=1)
    autumn = factories.MilestoneFactory(
        goal=goal, start_date=datetime.date(2026, 9, 1), due_date=datetime.date(2026, 11, 1)
    )
    factories.MilestoneFactory(goal=goal, start_date=datetime.date(2026, 4, 1), due_date=datetime.date(2026, 5, 1))
    # Under way in autumn but due in winter: not in the dashboard's autumn figures, so not in the workbook.
    factories.MilestoneFactory(goal=goal, start_date=datetime.date(2026, 9, 1), due_date=datetime.date(2027, 1, 10))
    client.force_login(director_user)
    html = client.get(reverse("home"), {"quarter": "1405-3"}).content.decode()
    link = re.search(r'href="(/spreadsheets/export/\?[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "quarter=1405-3" in link
    assert f"plan={plan.pk}" in link
    response = client.get(link)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[3].iter_rows(values_only=True))
    title_column = rows[0].index("گام اجرایی")
    titles = [row[title_column] for row in rows[1:]]
    # The same rows the dashboard counts: milestones due in that quarter.
    assert titles == [autumn.title]
