"""Upload limits: hostile workbooks are refused before any parser runs, each within 2 seconds."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Milestone
from spreadsheets.limits import UploadRefused, check_upload
from tests import factories

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def xlsx(sheet_xml, extra=()):
    """A minimal workbook around the given sheet XML (bytes or an iterable of byte chunks)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def rows_xml(count, dimension=None):
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(1, count + 1))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_OPEN}{dim}<sheetData>{rows}</sheetData></worksheet>".encode()


def billion_laughs():
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        f'{SHEET_OPEN[SHEET_OPEN.index("<worksheet") :]}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t>'
        "</is></c></row></sheetData></worksheet>"
    ).encode()


def upload(data, name="sheet.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refused_quickly(data, name="sheet.xlsx"):
    started = time.perf_counter()
    with pytest.raises(UploadRefused) as info:
        check_upload(upload(data, name))
    elapsed = time.perf_counter() - started
    assert elapsed < 2, elapsed
    return str(info.value)


def test_a_plain_workbook_passes():
    assert check_upload(upload(xlsx(rows_xml(10, "A1:A10")))) == "xlsx"
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b"])
    workbook.save(buffer)
    assert check_upload(upload(buffer.getvalue())) == "xlsx"


def test_a_zip_bomb_is_refused_within_two_seconds():
    bomb = xlsx(b"<" + b" " * (100 * 1024 * 1024) + b">")  # 100 MB of spaces, ~100 KB on disk
    assert len(bomb) < 500_000
    assert "بزرگ‌تر" in refused_quickly(bomb)


def test_a_zip_whose_headers_lie_is_stopped_while_streaming(settings):
    # Under the ratio limit entry by entry, but together far past the uncompressed budget.
    settings.SPREADSHEET_UPLOAD_LIMITS = {"max_ratio": 10_000, "max_uncompressed": 1024 * 1024}
    data = xlsx(SHEET_OPEN.encode() + b"<sheetData>" + b" " * (5 * 1024 * 1024) + b"</sheetData></worksheet>")
    assert "بزرگ‌تر" in refused_quickly(data)


def test_billion_laughs_is_refused_within_two_seconds():
    assert "موجودیت" in refused_quickly(xlsx(billion_laughs()))


def test_defusedxml_refuses_billion_laughs_even_past_our_check():
    assert openpyxl.DEFUSEDXML
    from defusedxml import EntitiesForbidden
    from openpyxl.xml.functions import fromstring

    started = time.perf_counter()
    with pytest.raises(EntitiesForbidden):
        fromstring(billion_laughs())
    assert time.perf_counter() - started < 2


def test_a_200000_row_sheet_is_refused_within_two_seconds():
    data = xlsx(rows_xml(200_000, "A1:A200000"))
    assert len(data) < 3_000_000
    assert "ردیف" in refused_quickly(data)


def test_a_200000_row_sheet_with_a_lying_dimension_is_refused_within_two_seconds():
    data = xlsx(rows_xml(200_000, "A1:A1"))
    assert "ردیف" in refused_quickly(data)


def test_too_many_columns_are_refused():
    assert "ستون" in refused_quickly(xlsx(rows_xml(1, "A1:ZZ1")))


def test_macros_are_refused():
    assert "ماکرو" in refused_quickly(xlsx(rows_xml(1, "A1:A1")), name="sheet.xlsm")
    assert "ماکرو" in refused_quickly(xlsx(rows_xml(1, "A1:A1"), extra=[("xl/vbaProject.bin", b"\0" * 100)]))


def test_size_and_type_are_checked_first(settings):
    settings.SPREADSHEET_UPLOAD_LIMITS = {"max_bytes": 1000}
    assert "مگابایت" in refused_quickly(b"x" * 2000, name="big.csv")
    assert "نوع" in refused_quickly(b"x", name="notes.txt")
    assert "معتبر" in refused_quickly(b"not a zip at all", name="fake.xlsx")


def test_csv_rows_are_counted(settings):
    settings.SPREADSHEET_UPLOAD_LIMITS = {"max_rows": 100}
    assert "ردیف" in refused_quickly(b"a,b\n" * 200, name="long.csv")
    assert check_upload(upload(b"a,b\n" * 50, name="short.csv")) == "csv"


@pytest.mark.django_db
def test_the_admin_import_refuses_a_bomb_before_parsing(client, director_user):
    client.force_login(director_user)
    bomb = upload(xlsx(b"<" + b" " * (100 * 1024 * 1024) + b">"), name="milestones.xlsx")
    started = time.perf_counter()
    response = client.post(reverse("admin:plans_milestone_import"), {"format": "0", "import_file": bomb})
    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert "بزرگ‌تر" in response.content.decode()
    assert Milestone.objects.count() == 0


@pytest.mark.django_db
def test_the_round_trip_upload_refuses_a_long_sheet(client, officer_user):
    factories.StrategicPlanFactory(status="active")
    client.force_login(officer_user)
    started = time.perf_counter()
    response = client.post(
        reverse("spreadsheets:agency_sheet"), {"file": upload(xlsx(rows_xml(200_000, "A1:A200000")))}
    )
    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert "ردیف" in response.content.decode()
