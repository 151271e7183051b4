"""Make the real-program files in tests/data/ (see tests/data/README.md). Two steps:

    .venv/bin/python tools/lo_fixtures.py template      # the round-trip sheet as the app hands it out
    /usr/bin/python3 tools/lo_fixtures.py libreoffice    # LibreOffice (headless, UNO) types and saves
                                                         # (or: ... libreoffice roundtrip, for one job)

The second step needs Debian's LibreOffice Calc and its Python bridge
(`apt-get install -y libreoffice-calc-nogui python3-uno`) and runs under the system Python that
the bridge belongs to. Cells are typed through LibreOffice's own input line (the .uno:EnterString
dispatch), so each value is read exactly as a person typing it in that locale would have it read.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"

# The milestone import sheet, as a director-general types it (header row, then rows).
# A leading apostrophe is how a person makes LibreOffice keep a typed value as text.
IMPORT_HEADERS = ["id", "goal", "agency", "title", "target", "start_date", "due_date", "weight", "status", "progress"]
IMPORT_ROWS = {
    "fa-IR": [
        # a Jalali date typed as LibreOffice fa-IR reads it (a date cell), progress as a percentage
        [
            "",
            "9001",
            "education",
            "نشست خبری فصل پاییز",
            "۲۰٪ بیشتر از پارسال",
            "۱۴۰۵/۰۷/۰۱",
            "۱۴۰۵/۰۹/۱۵",
            "۲",
            "درحال اجرا",
            "65%",
        ],
        # dates typed as text (apostrophe), status with the half-space, progress with Persian digits
        ["", "9001", "education", "گزارش فصلی به مردم", "", "'۱۴۰۵/۰۴/۰۱", "'1405/06/31", "1", "شروع‌نشده", "۰"],
        # status without the hamza and with spaces around the slash
        [
            "",
            "9001",
            "education",
            "به‌روزرسانی پایگاه خبری",
            "",
            "1405/01/15",
            "1405/03/31",
            "1",
            "متوقف / با تاخیر",
            "۴۰",
        ],
    ],
    "en-US": [
        [
            "",
            "9001",
            "education",
            "نشست خبری فصل پاییز",
            "۲۰٪ بیشتر از پارسال",
            "1405/07/01",
            "1405/09/15",
            "2",
            "درحال اجرا",
            "65%",
        ],
        ["", "9001", "education", "گزارش فصلی به مردم", "", "۱۴۰۵/۰۴/۰۱", "1405/6/31", "1", "شروع‌نشده", "0"],
        [
            "",
            "9001",
            "education",
            "به‌روزرسانی پایگاه خبری",
            "",
            "2026-04-04",
            "2026-06-21",
            "1",
            "متوقف / با تاخیر",
            "40",
        ],
    ],
}
# For the Windows-1256 CSV: typed on a Persian Windows keyboard layout of the old kind (Arabic ي),
# since Windows-1256 has no Persian ی; Latin digits, dates as text.
CSV_1256_ROWS = [
    ["", "9001", "education", "نشست خبري فصل پاييز", "", "1405/07/01", "1405/09/15", "2", "در حال اجرا", "65"],
    ["", "9001", "education", "گزارش فصلي", "", "1405/04/01", "1405/06/31", "1", "شروع‌نشده", "0"],
]
# What the officer picks in the round-trip sheet's drop-downs (new status, new progress) for each row.
# (A delayed milestone needs a note saying why: the report form's rule.)
ROUNDTRIP_TYPED = [
    ("در حال اجرا", "65", ""),
    ("متوقف/با تأخیر", "40", "در انتظار پاسخ ۲ دستگاه"),
    ("شروع نشده", "0", ""),
]


def template():
    """The round-trip sheet for three milestones (ids 9101–9103, version 1), written by the app's own code."""
    import datetime

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prcouncil.settings.test")
    django.setup()
    from django.utils import translation

    from fileformats.writer import write_xlsx
    from plans.forms import ProgressReportForm
    from plans.models import Status
    from spreadsheets.roundtrip import agency_sheet

    with translation.override("fa"):
        label = str(Status.IN_PROGRESS.label)
        rows = [
            [9101, 1, 1, "هدف یک", "نشست خبری", datetime.date(2026, 9, 22), label, 10, label, 10, None, None],
            [9102, 1, 1, "هدف یک", "گزارش فصلی", datetime.date(2026, 9, 22), label, 20, label, 20, None, None],
            [9103, 1, 1, "هدف یک", "پایگاه خبری", datetime.date(2026, 9, 22), label, 30, label, 30, None, None],
        ]
        sheet = agency_sheet(rows, allowed_statuses=ProgressReportForm.status_choices_for(None))
        write_xlsx([sheet], DATA / "roundtrip-template.xlsx", rtl=True)
    print("wrote", DATA / "roundtrip-template.xlsx")


# --- LibreOffice ----------------------------------------------------------------------------------


def _prop(name, value):
    from com.sun.star.beans import PropertyValue

    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


class Office:
    """One headless soffice with its own profile, set to `locale` (Tools > Options > Language > Locale)."""

    def __init__(self, locale):
        import uno

        self.profile = Path(tempfile.mkdtemp(prefix=f"prcouncil-lo-{locale}-"))
        (self.profile / "user").mkdir(parents=True)
        (self.profile / "user" / "registrymodifications.xcu").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
            f"<value>{locale}</value></prop></item></oor:items>",
            encoding="utf-8",
        )
        pipe = "prcouncil" + locale.replace("-", "")
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("soffice") or "/usr/bin/soffice",
                "--headless",
                "--invisible",
                "--norestore",
                f"-env:UserInstallation=file://{self.profile}",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _attempt in range(60):
            try:
                self.context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 — soffice is still starting
                time.sleep(1)
        manager = self.context.ServiceManager
        self.desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", self.context)
        self.dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.context)

    def open(self, path=None):
        url = Path(path).as_uri() if path else "private:factory/scalc"
        return self.desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))

    def type(self, document, cell, text):
        frame = document.getCurrentController().getFrame()
        self.dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (_prop("ToPoint", cell),))
        self.dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (_prop("StringName", text),))

    def save(self, document, path, filter_name, options=None):
        props = [_prop("FilterName", filter_name), _prop("Overwrite", True)]
        if options:
            props.append(_prop("FilterOptions", options))
        document.storeToURL(Path(path).as_uri(), tuple(props))

    def close(self):
        with contextlib.suppress(Exception):  # the bridge drops as soffice exits
            self.desktop.terminate()
        self.process.wait(timeout=60)
        shutil.rmtree(self.profile, ignore_errors=True)


def _column(index):
    return chr(ord("A") + index)


def _type_rows(office, document, headers, rows):
    for col, header in enumerate(headers):
        office.type(document, f"{_column(col)}1", header)
    for number, row in enumerate(rows, start=2):
        for col, text in enumerate(row):
            if text != "":
                office.type(document, f"{_column(col)}{number}", text)


def _describe(document):
    """What LibreOffice holds in each cell: its type, value and shown text (recorded in the README)."""
    sheet = document.Sheets.getByIndex(0)
    lines = []
    for row in range(1, 4):
        for col in (5, 6, 9):
            cell = sheet.getCellByPosition(col, row)
            lines.append(f"  {_column(col)}{row + 1}: {cell.Type.value} {cell.getValue()!r} {cell.getString()!r}")
    return "\n".join(lines)


def _import_sheet(office, locale):
    document = office.open()
    _type_rows(office, document, IMPORT_HEADERS, IMPORT_ROWS[locale])
    print(f"{locale}:\n{_describe(document)}")
    office.save(document, DATA / f"milestones-{locale}.xlsx", "Calc MS Excel 2007 XML")


def _import_csv(office, locale):
    document = office.open()
    _type_rows(office, document, IMPORT_HEADERS, IMPORT_ROWS[locale])
    # CSV as LibreOffice offers it: comma, double quotes, UTF-8 (76), cells as shown
    office.save(document, DATA / f"milestones-{locale}.csv", "Text - txt - csv (StarCalc)", "44,34,76,1")


def _windows_1256_csv(office, locale):
    document = office.open()
    _type_rows(office, document, IMPORT_HEADERS, CSV_1256_ROWS)
    # 38 is LibreOffice's number for Windows-1256 (RTL_TEXTENCODING_MS_1256; found by saving with 30-44)
    name = "milestones-windows-1256.csv" if locale == "en-US" else f"milestones-windows-1256-{locale}.csv"
    office.save(document, DATA / name, "Text - txt - csv (StarCalc)", "44,34,38,1")


def _roundtrip(office, locale):
    document = office.open(DATA / "roundtrip-template.xlsx")
    for number, (status, progress, note) in enumerate(ROUNDTRIP_TYPED, start=2):
        office.type(document, f"I{number}", status)
        office.type(document, f"J{number}", progress)
        if note:
            office.type(document, f"K{number}", note)
    sheet = document.Sheets.getByIndex(0)
    for col in (8, 9):
        validation = sheet.getCellByPosition(col, 1).Validation
        print(
            f"round trip, LibreOffice reads {_column(col)}2's validation:",
            validation.Type.value,
            repr(validation.getFormula1()),
            repr(validation.getFormula2()),
        )
    office.save(document, DATA / "roundtrip-filled-fa-IR.xlsx", "Calc MS Excel 2007 XML")


JOBS = [
    ("fa-IR", _import_sheet),
    ("en-US", _import_sheet),
    ("fa-IR", _import_csv),
    ("en-US", _import_csv),
    ("en-US", _windows_1256_csv),
    ("fa-IR", _windows_1256_csv),
    ("fa-IR", _roundtrip),
]


def libreoffice(*only):
    # One soffice per file: soffice 7.4 headless dropped the bridge on the next call after saving
    # a fa-IR sheet holding pre-1582 dates.
    for locale, job in JOBS:
        if only and job.__name__.strip("_") not in only:
            continue
        office = Office(locale)
        try:
            job(office, locale)
        finally:
            office.close()


if __name__ == "__main__":
    {"template": template, "libreoffice": libreoffice}[sys.argv[1]](*sys.argv[2:])
