"""Files saved by LibreOffice (tests/data/README.md says how each was made), imported through the admin.

Each imports correctly or is refused with the documented message; no date outside 1900–2100 is
ever stored from a date cell (docs/input.md: a date cell in 1300–1500 is a Jalali date that
LibreOffice stored in its own calendar, read back as the digits typed).
"""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import Milestone, Status
from tests import factories, importing

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"
XLSX, CSV = "0", "1"  # the admin's import formats, in order


@pytest.fixture
def goal(agency):
    return factories.GoalFactory(pk=9001, plan=factories.StrategicPlanFactory(year=1405))


def admin_import(client, name, fmt):
    """The admin's two steps (dry run, then confirm); returns the dry run's page and whether it was confirmed."""
    upload = SimpleUploadedFile(name, (DATA / name).read_bytes())
    response, preview = importing.upload(client, "plans_milestone", {"format": fmt, "import_file": upload})
    assert response.status_code == 200
    preview.refresh_from_db()
    if not preview.ok:
        return response.content.decode(), False
    _page, job = importing.confirm(client, "plans_milestone", preview)
    job.refresh_from_db()
    assert job.ok, job.result
    return response.content.decode(), True


def stored():
    return {m.title: m for m in Milestone.objects.all()}


EXPECTED = {
    # title: (start, due, weight, status, progress)
    "نشست خبری فصل پاییز": (datetime.date(2026, 9, 23), datetime.date(2026, 12, 6), 2, Status.IN_PROGRESS, 65),
    "گزارش فصلی به مردم": (datetime.date(2026, 6, 22), datetime.date(2026, 9, 22), 1, Status.NOT_STARTED, 0),
    "به‌روزرسانی پایگاه خبری": (datetime.date(2026, 4, 4), datetime.date(2026, 6, 21), 1, Status.DELAYED, 40),
}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("milestones-fa-IR.xlsx", XLSX),  # Jalali dates that LibreOffice stored as date cells, a 65% cell
        ("milestones-en-US.xlsx", XLSX),  # Jalali dates kept as text, Gregorian date cells, a 65% cell
        ("milestones-fa-IR.csv", CSV),  # UTF-8, dates as shown (Persian digits), ۶۵٫۰۰%
        ("milestones-en-US.csv", CSV),
    ],
)
def test_a_libreoffice_sheet_imports_as_typed(client, director_user, goal, name, fmt):
    client.force_login(director_user)
    page, confirmed = admin_import(client, name, fmt)
    assert confirmed, page[page.find("errorlist") - 200 : page.find("errorlist") + 800]
    milestones = stored()
    assert set(milestones) == set(EXPECTED)
    for title, (start, due, weight, status, progress) in EXPECTED.items():
        milestone = milestones[title]
        assert (milestone.start_date, milestone.due_date) == (start, due), title
        assert (milestone.weight, milestone.status, milestone.progress) == (weight, status, progress), title
    # free text keeps its digits: «۲۰٪» stays Persian
    assert milestones["نشست خبری فصل پاییز"].target == "۲۰٪ بیشتر از پارسال"
    assert all(1900 <= m.start_date.year <= 2100 and 1900 <= m.due_date.year <= 2100 for m in milestones.values())


def test_a_windows_1256_csv_from_libreoffice_is_read(client, director_user, goal):
    client.force_login(director_user)
    page, confirmed = admin_import(client, "milestones-windows-1256.csv", CSV)
    assert confirmed, page[:3000]
    milestones = stored()
    # Windows-1256 has no Persian ی: it arrives as Arabic ي and the one normaliser turns it Persian.
    assert set(milestones) == {"نشست خبری فصل پاییز", "گزارش فصلی"}
    assert milestones["نشست خبری فصل پاییز"].progress == 65
    assert milestones["نشست خبری فصل پاییز"].due_date == datetime.date(2026, 12, 6)
    assert milestones["گزارش فصلی"].status == Status.NOT_STARTED


def test_a_fa_ir_sheet_saved_as_windows_1256_lost_its_dates_and_is_refused_by_row(client, director_user, goal):
    """LibreOffice writes a fa-IR date cell with Persian digits, which Windows-1256 cannot hold: "????/??/??"."""
    client.force_login(director_user)
    page, confirmed = admin_import(client, "milestones-windows-1256-fa-IR.csv", CSV)
    assert not confirmed
    assert "تاریخ شمسی معتبر وارد کنید" in page
    assert not Milestone.objects.exists()


def test_a_csv_in_another_encoding_is_refused_naming_csv_utf8(client, director_user, goal):
    client.force_login(director_user)
    text = (DATA / "milestones-en-US.csv").read_text(encoding="utf-8")
    upload = SimpleUploadedFile("milestones.csv", text.encode("utf-16"))
    response, _preview = importing.upload(client, "plans_milestone", {"format": CSV, "import_file": upload})
    assert "CSV UTF-8" in response.content.decode()
    assert "UnicodeDecodeError" not in response.content.decode()
    assert not Milestone.objects.exists()
