"""Upload limits: hostile workbooks are refused before any parser runs, quickly.

The time bound is a generous guard against the pathological cases (a parser left to run took
20–36 s on these files), not a speed goal: it must hold on a loaded shared machine too.
"""

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fileformats.uploads import UploadRefused
from fileformats.uploads import check_spreadsheet as check_upload
from plans.models import Milestone
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


GUARD_SECONDS = 10


def xlsx(sheet_xml, extra=(), sheet_path="xl/worksheets/sheet1.xml"):
    """A minimal workbook around the given sheet XML, the sheet at `sheet_path` (openpyxl follows the rels)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.replace("/xl/worksheets/sheet1.xml", "/" + sheet_path))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace("worksheets/sheet1.xml", sheet_path[3:]))
        archive.writestr(sheet_path, sheet_xml)
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
    assert elapsed < GUARD_SECONDS, elapsed
    return str(info.value)


def test_a_plain_workbook_passes():
    assert check_upload(upload(xlsx(rows_xml(10, "A1:A10")))) == "xlsx"
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b"])
    workbook.save(buffer)
    assert check_upload(upload(buffer.getvalue())) == "xlsx"


def test_a_zip_bomb_is_refused_quickly():
    bomb = xlsx(b"<" + b" " * (100 * 1024 * 1024) + b">")  # 100 MB of spaces, ~100 KB on disk
    assert len(bomb) < 500_000
    assert "بزرگ‌تر" in refused_quickly(bomb)


def test_a_zip_whose_headers_lie_is_stopped_while_streaming(settings):
    # Under the ratio limit entry by entry, but together far past the uncompressed budget.
    settings.SPREADSHEET_UPLOAD_LIMITS = {"max_ratio": 10_000, "max_uncompressed": 1024 * 1024}
    data = xlsx(SHEET_OPEN.encode() + b"<sheetData>" + b" " * (5 * 1024 * 1024) + b"</sheetData></worksheet>")
    assert "بزرگ‌تر" in refused_quickly(data)


def test_billion_laughs_is_refused_quickly():
    assert "موجودیت" in refused_quickly(xlsx(billion_laughs()))


def test_defusedxml_refuses_billion_laughs_even_past_our_check():
    assert openpyxl.DEFUSEDXML
    from defusedxml import EntitiesForbidden
    from openpyxl.xml.functions import fromstring

    started = time.perf_counter()
    with pytest.raises(EntitiesForbidden):
        fromstring(billion_laughs())
    assert time.perf_counter() - started < GUARD_SECONDS


def test_a_200000_row_sheet_is_refused_quickly():
    data = xlsx(rows_xml(200_000, "A1:A200000"))
    assert len(data) < 3_000_000
    assert "ردیف" in refused_quickly(data)


def test_a_200000_row_sheet_with_a_lying_dimension_is_refused_quickly():
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
    assert time.perf_counter() - started < GUARD_SECONDS
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
    assert time.perf_counter() - started < GUARD_SECONDS
    assert response.status_code == 200
    assert "ردیف" in response.content.decode()


# --- whatever the file is named, wherever the sheet lives, however it is encoded -------------


def cells_xml(rows, columns, *, reference=True, dimension=None):
    """A sheet of rows × columns numbers, with or without each cell's r="B7"."""
    letters = [openpyxl.utils.get_column_letter(n) for n in range(1, columns + 1)]

    def chunks():
        yield SHEET_OPEN.encode()
        if dimension:
            yield f'<dimension ref="{dimension}"/>'.encode()
        yield b"<sheetData>"
        for row in range(1, rows + 1):
            cells = "".join(
                f'<c r="{letter}{row}"><v>{row}</v></c>' if reference else f"<c><v>{row}</v></c>" for letter in letters
            )
            yield f'<row r="{row}">{cells}</row>'.encode()
        yield b"</sheetData></worksheet>"

    return b"".join(chunks())


def one_cell_xml(cell, row='<row r="1">'):
    return f"{SHEET_OPEN}<sheetData>{row}{cell}</row></sheetData></worksheet>".encode()


@pytest.mark.parametrize("name", ["bomb.csv", "bomb.xlsx", "bomb.CSV"])
def test_a_long_workbook_is_checked_as_a_workbook_whatever_its_name(name):
    data = xlsx(cells_xml(200_000, 1))  # read as CSV, its bytes have few commas and newlines
    refused_quickly(data, name=name)


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["0", "1"])  # the admin's import formats: xlsx, CSV
@pytest.mark.parametrize("name", ["agencies.csv", "agencies.xlsx"])
def test_the_admin_import_checks_the_bytes_in_the_chosen_format(client, director_user, file_format, name):
    client.force_login(director_user)
    bomb = upload(xlsx(cells_xml(200_000, 1)), name=name)  # built before the clock starts: the check is timed
    started = time.perf_counter()
    response = client.post(
        reverse("admin:agencies_agency_import"), {"resource": "0", "format": file_format, "import_file": bomb}
    )
    assert time.perf_counter() - started < GUARD_SECONDS
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert "confirm_form" not in response.context


@pytest.mark.django_db
def test_the_admin_import_refuses_a_csv_file_imported_as_xlsx(client, director_user):
    client.force_login(director_user)
    response = client.post(
        reverse("admin:agencies_agency_import"),
        {"resource": "0", "format": "0", "import_file": upload(b"code,name\nx,y\n", name="agencies.csv")},
    )
    assert "xlsx" in response.content.decode()
    assert "confirm_form" not in response.context


@pytest.mark.parametrize(
    "sheet_path",
    ["xl/data/sheet1.xml", "xl/worksheets/sheet1.vml", "xl/media/image1.png", "xl/printerSettings/sheet1.bin"],
)
def test_a_long_sheet_is_refused_wherever_it_lives(sheet_path):
    data = xlsx(rows_xml(200_000), sheet_path=sheet_path)
    assert "ردیف" in refused_quickly(data)
    assert "موجودیت" in refused_quickly(xlsx(billion_laughs(), sheet_path=sheet_path))


def test_a_part_of_an_unexpected_type_is_refused():
    assert "نوع" in refused_quickly(xlsx(rows_xml(200_000), sheet_path="xl/worksheets/sheet1.bin"))
    assert "نوع" in refused_quickly(xlsx(rows_xml(1), extra=[("xl/embeddings/object1.docx", b"PK")]))


def test_a_picture_and_printer_settings_pass():
    extra = [
        ("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("xl/printerSettings/printerSettings1.bin", "Microsoft Print to PDF".encode("utf-16-le") + bytes(200)),
    ]
    assert check_upload(upload(xlsx(rows_xml(3), extra=extra))) == "xlsx"


@pytest.mark.parametrize(
    ("declared", "codec"),
    [
        ("UTF-16", "utf-16"),  # with a byte-order mark
        ("UTF-16", "utf-16-le"),  # without one: expat guesses it from the NULs
        ("UTF-16", "utf-16-be"),
        ("UTF-32", "utf-32"),
        ("ISO-8859-1", "latin-1"),
    ],
)
def test_a_sheet_not_in_utf8_is_refused(declared, codec):
    text = rows_xml(200_000).decode().replace('encoding="UTF-8"', f'encoding="{declared}"', 1)
    assert "UTF-8" in refused_quickly(xlsx(text.encode(codec)))


def test_billion_laughs_in_utf16_is_refused():
    assert "UTF-8" in refused_quickly(xlsx(billion_laughs().decode().encode("utf-16")))


def test_a_wide_sheet_without_a_dimension_is_refused_quickly():
    assert "ستون" in refused_quickly(xlsx(cells_xml(19_000, 100)))
    assert "ستون" in refused_quickly(xlsx(cells_xml(19_000, 100, dimension="A1:B2")))  # a lying dimension


def test_cells_without_references_are_counted_per_row():
    assert "ستون" in refused_quickly(xlsx(cells_xml(10, 61, reference=False)))
    assert check_upload(upload(xlsx(cells_xml(10, 60, reference=False)))) == "xlsx"


@pytest.mark.parametrize(
    ("cell", "row", "word"),
    [
        ('<c r="XFD1"><v>1</v></c>', '<row r="1">', "ستون"),
        ('<c r="A1"><v>1</v></c>', '<row r="1000000">', "ردیف"),
        ('<c r="A1000000"><v>1</v></c>', "<row>", "ردیف"),
        ('<x:c xmlns:x="urn:x" r="xfd1"><v>1</v></x:c>', "<row>", "ستون"),
        ('<c r="A1"><v>1</v></c>', '<row r="1e6">', "نشانی"),  # openpyxl reads float("1e6")
        ('<c r="&#88;FD1"><v>1</v></c>', '<row r="1">', "نشانی"),  # a character reference hides XFD
        ("<c r='XFD1'><v>1</v></c>", '<row r="1">', "نشانی"),
        ('<c t=">" r = "XFD1"><v>1</v></c>', '<row r="1">', "نشانی"),
        ('<c r="A1"><v>1</v></c>', '<row spans=" r=&quot;1&quot;" r="1000000">', "ردیف"),
    ],
)
def test_far_away_or_disguised_references_are_refused(cell, row, word):
    assert word in refused_quickly(xlsx(one_cell_xml(cell, row)))


def test_references_elsewhere_in_the_workbook_do_not_count():
    # A theme's gradient says r="50000"; openpyxl writes one in every workbook.
    theme = '<a:theme xmlns:a="urn:a"><a:fillToRect l="50000" t="-80000" r="50000" b="180000"/></a:theme>'
    assert check_upload(upload(xlsx(rows_xml(3), extra=[("xl/theme/theme1.xml", theme)]))) == "xlsx"


def test_a_folder_entry_holding_a_sheet_is_read_too():
    assert "ردیف" in refused_quickly(xlsx(rows_xml(200_000), sheet_path="xl/worksheets/"))


def test_a_damaged_or_encrypted_part_is_refused_not_an_error():
    data = bytearray(xlsx(rows_xml(10)))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5 : start + 15] = b"\xff" * 10  # the deflated bytes no longer match their CRC
    assert "معتبر" in refused_quickly(bytes(data))
    encrypted = bytearray(xlsx(rows_xml(10)))
    central = encrypted.find(b"PK\x01\x02")
    while central != -1:
        encrypted[central + 8] |= 1  # the central directory's "encrypted" flag
        central = encrypted.find(b"PK\x01\x02", central + 4)
    assert "معتبر" in refused_quickly(bytes(encrypted))
