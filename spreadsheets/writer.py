"""The one spreadsheet writer and the one cell sanitiser; every export path goes through here.

xlsx is written by XlsxWriter in constant-memory mode: each row goes to disk as it is written,
so memory stays flat however many rows a queryset iterator yields (see bench/export_speed.py
for the measurements that chose it over openpyxl's write-only mode). Cells are written with
explicit `write_string` / `write_number`, never `write()`, which would turn "=..." into a formula.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter

from persian.jalali import format_date

# A text cell beginning with one of these is read as a formula (or a DDE payload) by
# Excel, LibreOffice or Google Sheets once the file is opened or a CSV is imported.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
# Excel's own "this is text" marker; shown in the formula bar, harmless everywhere.
NEUTRALISER = "'"
MAX_CELL_CHARS = 32_767  # Excel's limit; longer text is cut rather than refused


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]  # cells: str, int, float, Decimal, date, datetime, None
    column_widths: Sequence[int] | None = None
    percent_columns: Sequence[int] = ()  # 0-based indexes of columns holding 0–100 numbers, shown as percent
    date_columns: Sequence[int] = ()  # 0-based indexes of columns holding dates, written as Jalali text in Persian
    # Optional extras (xlsx only):
    color_scale: bool = False  # a red–yellow–green scale over every data cell but the first column (heatmap)
    autofilter: bool = True
    freeze_header: bool = True
    editable_columns: Sequence[int] | None = None  # when given, the sheet is protected except these columns


def safe_cell(value):
    """A cell value that no spreadsheet program will evaluate.

    Text beginning with = + - @ TAB CR LF or NUL gets a leading apostrophe; numbers (including
    negative ones), dates and None pass through unchanged, so they stay numbers and dates.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return NEUTRALISER + text
    return text


def _is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _local_naive(value):
    from django.utils import timezone

    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _persian():
    from persian.jalali import persian_is_active

    return persian_is_active()


def _date_text(value, persian):
    return format_date(_local_naive(value), persian=persian)


def write_xlsx(sheets: Iterable[Sheet], output, *, rtl: bool = True) -> None:
    """Write the sheets into one workbook. `output` is a path or a binary file-like object."""
    persian = _persian()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    try:
        font = {"font_name": "Vazirmatn", "font_size": 11, "reading_order": 2 if rtl else 1}
        formats = {
            "header": workbook.add_format(
                {**font, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
            ),
            "text": workbook.add_format(font),
            "number": workbook.add_format({**font, "num_format": "#,##0.##"}),
            "percent": workbook.add_format({**font, "num_format": "0%"}),
            "date": workbook.add_format({**font, "num_format": "yyyy-mm-dd"}),
        }
        unlocked = {
            name: workbook.add_format({**font, **extra, "locked": False})
            for name, extra in (
                ("text", {"bg_color": "#FFF9E6"}),
                ("number", {"bg_color": "#FFF9E6", "num_format": "#,##0.##"}),
                ("percent", {"bg_color": "#FFF9E6", "num_format": "0%"}),
                ("date", {"bg_color": "#FFF9E6", "num_format": "yyyy-mm-dd"}),
            )
        }
        used_titles = set()
        for sheet in sheets:
            _write_sheet(workbook, sheet, formats, unlocked, rtl=rtl, persian=persian, used_titles=used_titles)
    finally:
        workbook.close()


def _sheet_title(title, used):
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title)).strip("'")[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _write_sheet(workbook, sheet, formats, unlocked, *, rtl, persian, used_titles):
    worksheet = workbook.add_worksheet(_sheet_title(sheet.title, used_titles))
    if rtl:
        worksheet.right_to_left()
    percent = set(sheet.percent_columns)
    dates = set(sheet.date_columns)
    editable = set(sheet.editable_columns or ())
    width = len(sheet.headers)
    for col in range(width):
        size = sheet.column_widths[col] if sheet.column_widths and col < len(sheet.column_widths) else 16
        kind = "percent" if col in percent else "date" if col in dates and not persian else "text"
        fmt = (unlocked if col in editable else formats)[kind]
        worksheet.set_column(col, col, size, fmt)
    if sheet.freeze_header:
        worksheet.freeze_panes(1, 0)
    for col, header in enumerate(sheet.headers):
        worksheet.write_string(0, col, str(safe_cell(header)), formats["header"])

    row_index = 0
    for row_index, row in enumerate(sheet.rows, start=1):
        for col, value in enumerate(row):
            chosen = unlocked if col in editable else formats
            value = safe_cell(value)
            if value is None or value == "":
                if col in editable:
                    worksheet.write_blank(row_index, col, None, chosen["text"])
                continue
            if isinstance(value, datetime.date):
                if persian:
                    worksheet.write_string(row_index, col, _date_text(value, True), chosen["text"])
                else:
                    worksheet.write_datetime(row_index, col, _local_naive(value), chosen["date"])
            elif _is_number(value):
                if col in percent:
                    worksheet.write_number(row_index, col, float(value) / 100, chosen["percent"])
                else:
                    worksheet.write_number(row_index, col, float(value), chosen["number"])
            else:
                worksheet.write_string(row_index, col, value[:MAX_CELL_CHARS], chosen["text"])

    if sheet.autofilter and width:
        worksheet.autofilter(0, 0, max(row_index, 1), width - 1)
    if sheet.color_scale and row_index and width > 1:
        worksheet.conditional_format(
            1,
            1,
            row_index,
            width - 1,
            {
                "type": "3_color_scale",
                "min_color": "#F8696B",
                "mid_color": "#FFEB84",
                "max_color": "#63BE7B",
                "min_type": "num",
                "min_value": 0,
                "mid_type": "num",
                "mid_value": 0.5,
                "max_type": "num",
                "max_value": 1,
            },
        )
    if sheet.editable_columns is not None:
        worksheet.protect("", {"autofilter": True, "sort": True, "format_columns": True})


def write_csv(sheet: Sheet, output) -> None:
    """UTF-8 with a byte-order mark (so Excel shows Persian), sanitised like the workbook.

    `output` is a path or a binary file-like object. Percent columns keep their 0–100 numbers.
    """
    if isinstance(output, str | bytes) or hasattr(output, "__fspath__"):
        with open(output, "wb") as handle:
            _write_csv(sheet, handle)
    else:
        _write_csv(sheet, output)


def _write_csv(sheet, binary):
    persian = _persian()
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", write_through=False)
    try:
        writer = csv.writer(text)
        writer.writerow([safe_cell(header) for header in sheet.headers])
        for row in sheet.rows:
            writer.writerow([_csv_value(value, persian) for value in row])
        text.flush()
    finally:
        text.detach()  # leave the caller's file open


def _csv_value(value, persian):
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return _date_text(value, persian)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
