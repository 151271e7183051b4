"""One table per kind of value: every accepted and refused spelling, run through every path that reads it.

The paths: the form (the report form's own field, or the page filter's), the round trip (a real xlsx
cell read as the round-trip reader reads it and validated by _row_through_form), and the admin
import's widget (the one the admin resource uses). All give the same value or the same message.
"""

import datetime
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fileformats.widgets import IdWidget, URLWidget
from persian import values
from persian.forms import IdField
from persian.jalali import to_persian_digits
from plans.forms import ProgressReportForm
from plans.models import Evidence, Status, StrategicPlan
from spreadsheets import roundtrip
from tests import factories

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Refused:
    says: str  # a part of the Persian message every path must give (the whole message must be the same)


PERCENT = [
    ("۶۵", 65),
    ("65", 65),
    ("٪۶۵", 65),
    ("65%", 65),
    ("۶۵٪", 65),
    (" ٦٥ ", 65),  # Arabic-Indic digits
    ("۶۵٫۰۰%", 65),  # LibreOffice fa-IR's CSV of a 65% cell
    ("65.00%", 65),
    ("'65", 65),
    (0, 0),
    (100, 100),
    (65.0, 65),
    (values.PercentCell(0.65), 65),  # a cell formatted as a percentage
    (values.PercentCell(1), 100),
    ("101", Refused("۰ تا ۱۰۰")),
    ("-1", Refused("۰ تا ۱۰۰")),
    ("65.5", Refused("۰ تا ۱۰۰")),
    (0.65, Refused("۰ تا ۱۰۰")),  # 0.65 in a plain number cell is not 65%
    (values.PercentCell(0.655), Refused("۰ تا ۱۰۰")),
    ("شصت", Refused("۰ تا ۱۰۰")),
    ("9" * 5000, Refused("۰ تا ۱۰۰")),
    ("65%%", Refused("۰ تا ۱۰۰")),
]
NOT_A_STATUS = "وضعیت معتبری نیست"
STATUS = [
    ("در حال اجرا", Status.IN_PROGRESS),
    ("درحال اجرا", Status.IN_PROGRESS),
    ("در\u200cحال\u200cاجرا", Status.IN_PROGRESS),
    ("انجام شده", Status.DONE),
    ("انجام\u200cشده", Status.DONE),
    ("شروع‌نشده", Status.NOT_STARTED),
    ("شروع نشده", Status.NOT_STARTED),
    ("متوقف / با تأخیر", Status.DELAYED),
    ("متوقف/با تأخیر", Status.DELAYED),
    ("متوقف / با تاخیر", Status.DELAYED),  # without the hamza
    ("متوقف/باتاخير", Status.DELAYED),  # Arabic ي, no spaces
    ("In progress", Status.IN_PROGRESS),
    ("delayed / BLOCKED", Status.DELAYED),
    ("in_progress", Status.IN_PROGRESS),
    ("لغو شده", Status.CANCELLED),  # the director-general may cancel (an officer may not: below)
    ("تمام", Refused(NOT_A_STATUS)),
    ("65", Refused(NOT_A_STATUS)),
]
DATE = [
    ("۱۴۰۵/۰۹/۱۵", datetime.date(2026, 12, 6)),
    ("1405/9/15", datetime.date(2026, 12, 6)),
    ("١٤٠٥-٠٩-١٥", datetime.date(2026, 12, 6)),
    ("1405.09.15", datetime.date(2026, 12, 6)),
    ("'1405/09/15", datetime.date(2026, 12, 6)),
    ("2026-12-06", datetime.date(2026, 12, 6)),
    (datetime.datetime(2026, 12, 6), datetime.date(2026, 12, 6)),  # a Gregorian date cell
    (datetime.datetime(1405, 9, 24), datetime.date(2026, 12, 6)),  # LibreOffice fa-IR's cell for ۱۴۰۵/۰۹/۱۵
    (
        datetime.datetime(1404, 1, 8),
        datetime.date(2025, 3, 20),
    ),  # LibreOffice's cell for ۱۴۰۳/۱۲/۳۰ (Julian 1403-12-30)
    ("1300/01/01", datetime.date(1921, 3, 21)),
    ("1500/12/29", datetime.date(2122, 3, 20)),
    ("1404/12/30", Refused("تاریخ شمسی معتبر")),  # 1404 is not a leap year
    ("1405/07/31", Refused("تاریخ شمسی معتبر")),
    ("14050915", Refused("تاریخ شمسی معتبر")),
    ("فردا", Refused("تاریخ شمسی معتبر")),
    ("9999/12/31", Refused("۱۳۰۰ تا ۱۵۰۰")),
    ("۹۹۹۹/۱۲/۳۱", Refused("۱۳۰۰ تا ۱۵۰۰")),
    ("1299/12/29", Refused("۱۳۰۰ تا ۱۵۰۰")),
    ("1501/01/01", Refused("۱۳۰۰ تا ۱۵۰۰")),
    ("0001/01/01", Refused("۱۳۰۰ تا ۱۵۰۰")),
    ("1910-05-01", Refused("۱۳۰۰ تا ۱۵۰۰")),  # Gregorian, but before 1300/01/01
    (datetime.datetime(9999, 12, 31), Refused("۱۹۰۰ تا ۲۱۰۰")),
    (datetime.datetime(1700, 1, 1), Refused("۱۹۰۰ تا ۲۱۰۰")),
    (datetime.datetime(1405, 8, 9), Refused("۱۴۰۵/۰۷/۳۱")),  # LibreOffice's cell for the impossible ۱۴۰۵/۰۷/۳۱
]
ID = [
    ("12", 12),
    ("۱۲", 12),
    (12, 12),
    (12.0, 12),
    ("9223372036854775807", Refused("شناسه")),  # 19 digits: more than are read
    ("922337203685477580", 922337203685477580),
    ("0", Refused("شناسه")),
    ("-1", Refused("شناسه")),
    ("-5.5", Refused("شناسه")),
    ("1.5", Refused("شناسه")),
    (2**63, Refused("شناسه")),
    ("9" * 5000, Refused("شناسه")),
    ("abc", Refused("شناسه")),
]
LINK_MAX = Evidence._meta.get_field("url").max_length
URL = [
    ("https://news.example.ir/1405/۲۰", "https://news.example.ir/1405/۲۰"),
    (" http://example.ir ", "http://example.ir"),
    ("https://example.ir/" + "a" * (LINK_MAX - 19), "https://example.ir/" + "a" * (LINK_MAX - 19)),
    ("https://example.ir/" + "a" * (LINK_MAX - 18), Refused("نویسه")),
    ("example.ir", Refused("نشانی وب")),
    ("javascript:alert(1)", Refused("نشانی وب")),
    ("ftp://example.ir/x", Refused("نشانی وب")),
]


def outcome(call):
    """The value, or Refused(the message) — whichever the path gives."""
    try:
        return call()
    except ValidationError as exc:
        return Refused(" ".join(exc.messages))
    except ValueError as exc:
        return Refused(str(exc))


def check(expected, results):
    """Every path gives the expected value, or the same message containing what the table says."""
    if isinstance(expected, Refused):
        messages = {path: result.says if isinstance(result, Refused) else result for path, result in results.items()}
        assert all(isinstance(result, Refused) for result in results.values()), messages
        assert len(set(messages.values())) == 1, messages
        assert expected.says in next(iter(messages.values())), messages
    else:
        assert results == dict.fromkeys(results, expected)


@pytest.fixture
def milestone(agency):
    plan = factories.StrategicPlanFactory(status=StrategicPlan.Status.ACTIVE)
    return factories.MilestoneFactory(
        goal=factories.GoalFactory(plan=plan), agency=agency, status=Status.IN_PROGRESS, progress=7
    )


def sheet_cell(value):
    """The value as a real xlsx cell (a percentage cell formatted 0%), read back as the round trip reads it."""
    workbook = openpyxl.Workbook()
    cell = workbook.active["A1"]
    if isinstance(value, values.PercentCell):
        cell.value, cell.number_format = float(value), "0%"
    else:
        cell.value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    loaded = openpyxl.load_workbook(buffer, read_only=True)
    read = next(loaded.active.iter_rows())[0]
    return roundtrip._read_cell(read)


def round_trip_column(milestone, user, column, value):
    """One round-trip row with `value` in `column`, validated as the round trip validates it."""
    cells = [milestone.pk, milestone.version, 1, "", "", None, "", 7, None, None, None, None]
    cells[column] = sheet_cell(value)
    row = roundtrip._row_through_form(2, milestone, cells, user=user)
    mine = [error for error in row.errors if f"«{roundtrip._(roundtrip.COLUMNS[column][0])}»" in error]
    if mine:
        return Refused(mine[0].split(": ", 1)[1])
    return row


@pytest.mark.parametrize(("typed", "expected"), PERCENT)
def test_percent(milestone, officer_user, typed, expected):
    from plans.admin import MilestoneResource

    form_field = ProgressReportForm(milestone=milestone, user=officer_user).fields["progress"]
    widget = MilestoneResource().fields["progress"].widget
    results = {
        "form": outcome(lambda: form_field.clean(typed)),
        "round trip": outcome(lambda: round_trip_column(milestone, officer_user, roundtrip.NEW_PROGRESS, typed)),
        "admin widget": outcome(lambda: widget.clean(typed)),
    }
    if not isinstance(results["round trip"], Refused):
        results["round trip"] = results["round trip"].new_progress
    check(expected, results)


def status_results(milestone, user, typed):
    from plans.admin import MilestoneResource

    form_field = ProgressReportForm(milestone=milestone, user=user).fields["status"]
    results = {
        "form": outcome(lambda: form_field.clean(typed)),
        "round trip": outcome(lambda: round_trip_column(milestone, user, roundtrip.NEW_STATUS, typed)),
        "admin widget": outcome(lambda: MilestoneResource().fields["status"].widget.clean(typed)),
    }
    if not isinstance(results["round trip"], Refused):
        results["round trip"] = results["round trip"].new_status
    return results


@pytest.mark.parametrize(("typed", "expected"), STATUS)
def test_status(milestone, director_user, typed, expected):
    """As the director-general, who reports in the app, the sheet and the admin alike."""
    check(expected, status_results(milestone, director_user, typed))


def test_an_officer_may_not_cancel_in_the_form_nor_in_the_sheet(milestone, officer_user):
    results = status_results(milestone, officer_user, "لغو شده")
    del results["admin widget"]  # the admin is the director-general's
    check(Refused(NOT_A_STATUS), results)


@pytest.mark.parametrize(("typed", "expected"), DATE)
def test_date(milestone, officer_user, typed, expected):
    """The report form's letter date, a date read from a real xlsx cell by the admin's xlsx format, the admin widget."""
    from fileformats.importexport import CouncilXLSX
    from plans.admin import MilestoneResource

    form_field = ProgressReportForm(milestone=milestone, user=officer_user).fields["letter_date"]
    widget = MilestoneResource().fields["due_date"].widget

    def from_sheet():
        workbook = openpyxl.Workbook()
        workbook.active.append(["due_date"])
        workbook.active.append([typed])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return widget.clean(CouncilXLSX().create_dataset(buffer.getvalue())[0][0])

    results = {
        "form": outcome(lambda: form_field.clean(typed)),
        "sheet cell": outcome(from_sheet),
        "admin widget": outcome(lambda: widget.clean(typed)),
    }
    check(expected, results)


@pytest.mark.parametrize(("typed", "expected"), ID)
def test_id(milestone, officer_user, typed, expected):
    def round_trip():
        cells = [sheet_cell(typed), 1, 1, "", "", None, "", 7, None, None, None, None]
        preview = roundtrip._preview([(2, cells)], agency=milestone.agency, user=officer_user)
        message = preview.errors[0].split(": ", 1)[1]
        if not isinstance(expected, Refused) and to_persian_digits(expected) in message:
            return expected  # the id was read: «there is no milestone <id>»
        return Refused(message)

    results = {
        "form": outcome(lambda: IdField().clean(typed)),
        "round trip": outcome(round_trip),
        "admin widget": outcome(lambda: IdWidget().clean(typed)),
    }
    check(expected, results)


@pytest.mark.parametrize(("typed", "expected"), URL)
def test_link(milestone, officer_user, typed, expected):
    def form():
        report = ProgressReportForm(
            {"version": milestone.version, "status": "in_progress", "progress": "7", "links": typed},
            milestone=milestone,
            user=officer_user,
        )
        if "links" in report.errors:
            return Refused(report.errors["links"][0])
        return report.cleaned_data["links"][0]

    def round_trip():
        row = round_trip_column(milestone, officer_user, roundtrip.LINK, typed)
        return row if isinstance(row, Refused) else row.link

    results = {
        "form": outcome(form),
        "round trip": outcome(round_trip),
        "admin widget": outcome(lambda: URLWidget(max_length=LINK_MAX).clean(typed)),
    }
    check(expected, results)


TEXT = [
    ("گزارش ۲۰٪ پیشرفت", "گزارش ۲۰٪ پیشرفت"),  # Persian digits stay Persian
    ("كميته امداد ي", "کمیته امداد ی"),  # Arabic letters become Persian
    ("  نیم\u200cفاصله  ", "نیم\u200cفاصله"),  # the half-space stays
    ("\u200fجهت\u200e", "جهت"),
    ("خط یک  \r\nخط دو", "خط یک\nخط دو"),
]


@pytest.mark.parametrize(("typed", "expected"), TEXT)
def test_text(milestone, officer_user, typed, expected):
    from plans.admin import MilestoneResource

    form_field = ProgressReportForm(milestone=milestone, user=officer_user).fields["note"]

    def round_trip():
        row = round_trip_column(milestone, officer_user, roundtrip.NOTE, typed)
        return row if isinstance(row, Refused) else row.note

    results = {
        "form": outcome(lambda: form_field.clean(typed)),
        "round trip": outcome(round_trip),
        "admin widget": outcome(lambda: MilestoneResource().fields["target"].widget.clean(typed)),
    }
    check(expected, results)


QUARTER = [
    ("1405-3", (1405, 3)),
    ("۱۴۰۵-۳", (1405, 3)),
    ("١٤٠٥ - ٣", (1405, 3)),
    ("1405-5", Refused("۱۴۰۵-۳")),
    ("9999-1", Refused("۱۴۰۵-۳")),
    ("بهار", Refused("۱۴۰۵-۳")),
    ("1405", Refused("۱۴۰۵-۳")),
]


@pytest.mark.parametrize(("typed", "expected"), QUARTER)
def test_quarter(client, officer_user, milestone, typed, expected):
    """The form field, the round trip's ?quarter= and the progress export's ?quarter=: one parser, no fallback."""
    from persian.forms import QuarterField

    client.force_login(officer_user)

    def page(url):
        response = client.get(url, {"quarter": typed})
        if response.status_code == 400:
            return Refused(response.context["errors"][0])
        return expected

    results = {
        "form": outcome(lambda: (lambda q: (q.year, q.number))(QuarterField().clean(typed))),
        "round trip page": outcome(lambda: page(reverse("spreadsheets:agency_sheet"))),
        "export": outcome(lambda: page(reverse("spreadsheets:export"))),
    }
    check(expected, results)
