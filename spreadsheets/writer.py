"""The project's one xlsx writer: right-to-left sheets, formula injection neutralised.

Minimal version for the evaluation export; the spreadsheet issue owns the full one (same interface).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    column_widths: Sequence[int] | None = None
    percent_columns: Sequence[int] = ()
    date_columns: Sequence[int] = ()


def safe_cell(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; numbers stay numbers."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def write_xlsx(sheets: Iterable[Sheet], output, *, rtl: bool = True) -> None:
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    percent_format = workbook.add_format({"num_format": "0.00"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.title[:31])
        if rtl:
            worksheet.right_to_left()
        for column, header in enumerate(sheet.headers):
            worksheet.write_string(0, column, str(safe_cell(header)), header_format)
        for column, width in enumerate(sheet.column_widths or ()):
            worksheet.set_column(column, column, width)
        worksheet.freeze_panes(1, 0)
        for row_number, row in enumerate(sheet.rows, start=1):
            for column, value in enumerate(row):
                value = safe_cell(value)
                if value is None:
                    worksheet.write_blank(row_number, column, None)
                elif isinstance(value, bool):
                    worksheet.write_boolean(row_number, column, value)
                elif isinstance(value, int | float | Decimal):
                    fmt = percent_format if column in sheet.percent_columns else None
                    worksheet.write_number(row_number, column, float(value), fmt)
                elif isinstance(value, datetime.date):
                    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                        value = value.replace(tzinfo=None)
                    worksheet.write_datetime(row_number, column, value, date_format)
                else:
                    worksheet.write_string(row_number, column, value)
    workbook.close()
