"""The one spreadsheet writer and the one cell sanitiser; every export path goes through here.

xlsx is written by a small streaming OOXML writer below: each sheet's XML is deflated into the
zip as the rows arrive from a queryset iterator, so memory stays flat however many rows there
are. It was chosen by measurement (bench/export_speed.py): at 100,000 rows XlsxWriter's
constant-memory mode took 5-8x the CSV time and openpyxl's write-only mode 7-10x; this writer
1.2-1.4x, at the same flat memory (peak RSS 76 MB, of which 66 MB is Python and Django).
Cells are inline strings or numbers: nothing here can produce a formula.
"""

import csv
import datetime
import functools
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from persian.jalali import format_date, persian_is_active

# A text cell beginning with one of these is read as a formula (or a DDE payload) by
# Excel, LibreOffice or Google Sheets once the file is opened or a CSV is imported.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
# Excel's own "this is text" marker; shown in the formula bar, harmless everywhere.
NEUTRALISER = "'"
# Characters XML 1.0 cannot hold; removed from every text cell (xlsx and CSV alike) BEFORE the
# check below, so "\x01=1+2" cannot slip past it and become "=1+2" once written.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A dangerous first character also counts after leading spaces and invisible marks (direction
# marks, isolates and embeddings, ZWNJ/ZWJ, zero-width space, BOM): a reader may skip or strip them.
_INVISIBLE = "\u00a0\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_FORMULA_START = re.compile(f"[\\s{_INVISIBLE}]*[=+\\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n]")
MAX_CELL_CHARS = 32_767  # Excel's limit; longer text is cut rather than refused


# A portrait A4 page holds about 95 characters of default-width columns at 100 %; wider sheets
# print landscape (and every sheet is fitted to the page's width).
PORTRAIT_WIDTH = 95
MAX_LIST_FORMULA = 255  # Excel's limit on an inline list validation ("a,b,c" without the quotes)
LAST_ROW = 1_048_576


@dataclass(frozen=True)
class Validation:
    """A data validation on one column (xlsx only), from row 2 to the sheet's last row, so rows a
    person adds get it too: a drop-down list of labels, or a whole number between two bounds."""

    column: int  # 0-based
    kind: str  # "list" or "whole"
    choices: tuple = ()
    minimum: int = 0
    maximum: int = 0
    title: str = ""
    message: str = ""

    @classmethod
    def choice(cls, column, labels, *, title=""):
        from django.utils.translation import gettext as _

        labels = tuple(str(label) for label in labels)
        for label in labels:
            if "," in label or '"' in label:
                raise ValueError(f"A drop-down label cannot hold a comma or a quote: {label!r}")
        if len(",".join(labels)) > MAX_LIST_FORMULA:
            raise ValueError("The drop-down's labels are longer than a spreadsheet accepts inline (255 characters).")
        message = _("Choose one of the list: %(choices)s") % {"choices": "، ".join(labels)}
        return cls(column, "list", choices=labels, title=str(title), message=message)

    @classmethod
    def whole_number(cls, column, minimum, maximum, *, title=""):
        from django.utils.translation import gettext as _

        message = _("Enter a whole number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}
        return cls(column, "whole", minimum=minimum, maximum=maximum, title=str(title), message=message)

    def xml(self, letter):
        common = (
            f' allowBlank="1" showInputMessage="1" showErrorMessage="1" errorStyle="stop"'
            f' errorTitle="{_attr(self.title[:32])}" error="{_attr(self.message[:255])}"'
            f' promptTitle="{_attr(self.title[:32])}" prompt="{_attr(self.message[:255])}"'
            f' sqref="{letter}2:{letter}{LAST_ROW}"'
        )
        if self.kind == "list":
            formula = _xml_text('"' + ",".join(self.choices) + '"')
            return f'<dataValidation type="list"{common}><formula1>{formula}</formula1></dataValidation>'
        return (
            f'<dataValidation type="whole" operator="between"{common}>'
            f"<formula1>{int(self.minimum)}</formula1><formula2>{int(self.maximum)}</formula2></dataValidation>"
        )


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]  # cells: str, int, float, Decimal, date, datetime, None
    column_widths: Sequence[int] | None = None
    percent_columns: Sequence[int] = ()  # 0-based indexes of columns holding 0–100 numbers, shown as percent
    date_columns: Sequence[int] = ()  # 0-based indexes of columns holding dates, written as Jalali text in Persian
    # Optional extras (xlsx only):
    color_scale: bool = False  # a red–yellow–green scale (0–50–100) over every cell but the first column (heatmap)
    autofilter: bool = True
    freeze_header: bool = True
    editable_columns: Sequence[int] | None = None  # when given, the sheet is protected except these columns
    validations: Sequence[Validation] = ()  # drop-downs and number bounds a spreadsheet program enforces
    # Page setup (xlsx only): A4, fit to the page's width, the header row (and `title_columns`
    # leading columns) repeated on every printed page, landscape when the sheet is wide.
    landscape: bool | None = None  # None: landscape when the columns are wider than a portrait page
    title_columns: int = 0  # leading columns printed on every page (the heatmap's goal labels)
    header_height: float | None = None  # None: tall enough for the longest wrapped header

    def is_landscape(self):
        if self.landscape is not None:
            return self.landscape
        return sum(self._widths()) > PORTRAIT_WIDTH

    def _widths(self):
        return [
            self.column_widths[col] if self.column_widths and col < len(self.column_widths) else 16
            for col in range(len(self.headers))
        ]

    def header_row_height(self):
        """Points for the header row: a line (15 pt) per wrapped line of its longest header."""
        if self.header_height is not None:
            return self.header_height
        lines = 1
        for header, width in zip(self.headers, self._widths(), strict=False):
            # Persian text in Vazirmatn runs about 1.2 of the width's "characters" per character.
            per_line = max(int((width - 1) / 1.2), 1)
            lines = max(lines, math.ceil(len(str(header)) / per_line))
        return 15.0 * min(lines, 6) + 6


def safe_cell(value):
    """A cell value that no spreadsheet program will evaluate.

    Characters XML cannot hold are removed first; then text beginning with = + - @ (or their
    full-width forms), also after leading spaces or invisible direction marks, or with TAB, CR
    or LF, gets a leading apostrophe. Numbers (including negative ones), dates and None pass
    through unchanged, so they stay numbers and dates. The xlsx and CSV writers both use it.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    text = str(value)
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub("", text)
    if _FORMULA_START.match(text):
        return NEUTRALISER + text
    return text


def unneutralise(text):
    """The text safe_cell was given: the apostrophe it put before a formula-like start taken off.

    Only an apostrophe safe_cell would have added is removed ("'-3" → "-3"; "'hello" stays), so an
    export imported back changes nothing.
    """
    if text.startswith(NEUTRALISER) and _FORMULA_START.match(text, 1):
        return text[1:]
    return text


def _local_naive(value):
    from django.utils import timezone

    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _date_text(value, persian):
    if isinstance(value, datetime.datetime):
        value = _local_naive(value).date()
    return _cached_date_text(value, persian)


@functools.lru_cache(maxsize=8192)
def _cached_date_text(value, persian):
    # Plans repeat the same few hundred dates; jdatetime's conversion was 40% of a CSV export.
    return format_date(value, persian=persian)


def write_xlsx(sheets: Iterable[Sheet], output, *, rtl: bool = True) -> None:
    """Write the sheets into one workbook. `output` is a path or a binary file-like object.

    A small streaming OOXML writer: each sheet's XML is deflated into the zip as its rows arrive
    (a few hundred rows buffered at a time), cells are inline strings or numbers, never formulas.
    """
    persian = persian_is_active()
    sheets = list(sheets)  # Sheet objects are small; their rows stay lazy
    titles, used = [], set()
    for sheet in sheets:
        titles.append(_sheet_title(sheet.title, used))
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("docProps/app.xml", _APP)
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        archive.writestr("xl/styles.xml", _styles(rtl, persian=persian))
        filters, prints = [], []
        for index, (sheet, title) in enumerate(zip(sheets, titles, strict=True)):
            # No force_zip64: it writes a zip64 extra in the local header but none in the central
            # directory, which strict readers refuse; a sheet never nears the 4 GB that needs it.
            with archive.open(f"xl/worksheets/sheet{index + 1}.xml", "w") as part:
                last_row = _write_sheet(part, sheet, rtl=rtl, persian=persian, selected=index == 0)
            if sheet.autofilter and sheet.headers:
                filters.append((index, title, last_row, len(sheet.headers)))
            if sheet.headers:
                prints.append((index, title, last_row, len(sheet.headers), sheet.title_columns))
        archive.writestr("xl/workbook.xml", _workbook(titles, filters, prints))


ZIP_LEVEL = 1  # deflate level 1: ~3x faster than the default for ~15% more bytes
FLUSH_ROWS = 500
# Style indexes in styles.xml's cellXfs (see _styles): plain, then the unlocked (editable) variants.
HEADER, TEXT, NUMBER, PERCENT, DATE = 1, 2, 3, 4, 5
UNLOCKED = 4  # TEXT + UNLOCKED is the editable text style, and so on
_EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)


def _column_letters(count):
    letters = []
    for index in range(count):
        name, number = "", index + 1
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


# One search decides whether a string needs any escaping; most cells need none.
_NEEDS_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _xml_text(text):
    if not _NEEDS_ESCAPE.search(text):
        return text
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub("", text)
    if "_x" in text:  # Excel would read "_x0041_" as an escaped character
        text = _EXCEL_ESCAPE.sub(r"_x005F\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def _attr(text):
    return _xml_text(str(text)).replace('"', "&quot;")


def _string_cell(ref, style, text):
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS]
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>'


def _number(value):
    if isinstance(value, int):
        return str(value)
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _finite(value):
    if isinstance(value, int):
        return True  # math.isfinite would overflow on a very large int
    if isinstance(value, Decimal):
        return value.is_finite()
    return math.isfinite(value)


def _excel_serial(value):
    value = _local_naive(value)
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    delta = value - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def _write_sheet(part, sheet, *, rtl, persian, selected):
    """Stream one worksheet's XML into `part`; returns the last row number written."""
    width = len(sheet.headers)
    letters = _column_letters(max(width, 1))
    percent = frozenset(sheet.percent_columns)
    dates = frozenset(sheet.date_columns)
    editable = frozenset(sheet.editable_columns or ())

    def style(col, kind):
        return kind + UNLOCKED if col in editable else kind

    head = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        "<sheetViews><sheetView",
        ' rightToLeft="1"' if rtl else "",
        ' tabSelected="1"' if selected else "",
        ' workbookViewId="0">',
    ]
    if sheet.freeze_header:
        head.append(
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        )
    head.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
    if width:
        head.append("<cols>")
        for col in range(width):
            size = sheet.column_widths[col] if sheet.column_widths and col < len(sheet.column_widths) else 16
            kind = PERCENT if col in percent else DATE if col in dates and not persian else TEXT
            head.append(
                f'<col min="{col + 1}" max="{col + 1}" width="{size + 0.71:.2f}"'
                f' style="{style(col, kind)}" customWidth="1"/>'
            )
        head.append("</cols>")
    head.append(f'<sheetData><row r="1" ht="{sheet.header_row_height():g}" customHeight="1">')
    head.extend(
        _string_cell(f"{letters[col]}1", HEADER, str(safe_cell(header))) for col, header in enumerate(sheet.headers)
    )
    head.append("</row>")
    part.write("".join(head).encode())

    buffer = []
    number = 1
    for number, row in enumerate(sheet.rows, start=2):
        if len(row) > len(letters):
            letters = _column_letters(len(row))
        cells = [f'<row r="{number}">']
        for col, value in enumerate(row):
            if value is None or value == "":
                if col in editable:
                    cells.append(f'<c r="{letters[col]}{number}" s="{TEXT + UNLOCKED}"/>')
                continue
            ref = f"{letters[col]}{number}"
            if isinstance(value, str):
                cells.append(_string_cell(ref, style(col, TEXT), safe_cell(value)))
            elif isinstance(value, bool):
                cells.append(_string_cell(ref, style(col, TEXT), str(value)))
            elif isinstance(value, int | float | Decimal):
                if not _finite(value):  # <v>inf</v> or <v>nan</v> would make Excel call the file corrupt
                    cells.append(_string_cell(ref, style(col, TEXT), str(value)))
                elif col in percent:
                    cells.append(f'<c r="{ref}" s="{style(col, PERCENT)}"><v>{_number(value)}</v></c>')
                else:
                    cells.append(f'<c r="{ref}" s="{style(col, NUMBER)}"><v>{_number(value)}</v></c>')
            elif isinstance(value, datetime.date):
                if persian:
                    cells.append(_string_cell(ref, style(col, TEXT), _date_text(value, True)))
                else:
                    cells.append(f'<c r="{ref}" s="{style(col, DATE)}"><v>{_number(_excel_serial(value))}</v></c>')
            else:
                cells.append(_string_cell(ref, style(col, TEXT), str(safe_cell(value))))
        cells.append("</row>")
        buffer.append("".join(cells))
        if len(buffer) >= FLUSH_ROWS:
            part.write("".join(buffer).encode())
            buffer.clear()
    buffer.append("</sheetData>")
    last_col = letters[max(width - 1, 0)]
    if sheet.editable_columns is not None:
        # Protected, but sorting, filtering and resizing columns stay allowed ("0" = not protected).
        buffer.append(
            '<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" sort="0" autoFilter="0"/>'
        )
    if sheet.autofilter and width:
        buffer.append(f'<autoFilter ref="A1:{last_col}{max(number, 2)}"/>')
    if sheet.color_scale and number > 1 and width > 1:
        buffer.append(
            f'<conditionalFormatting sqref="B2:{last_col}{number}"><cfRule type="colorScale" priority="1">'
            '<colorScale><cfvo type="num" val="0"/><cfvo type="num" val="50"/><cfvo type="num" val="100"/>'
            '<color rgb="FFF8696B"/><color rgb="FFFFEB84"/><color rgb="FF63BE7B"/></colorScale></cfRule>'
            "</conditionalFormatting>"
        )
    if sheet.validations:
        rules = "".join(validation.xml(_column_letters(validation.column + 1)[-1]) for validation in sheet.validations)
        buffer.append(f'<dataValidations count="{len(sheet.validations)}">{rules}</dataValidations>')
    buffer.append('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>')
    # A4, fitted to one page wide and as many pages tall as it takes; page numbers in the footer.
    orientation = "landscape" if sheet.is_landscape() else "portrait"
    buffer.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>')
    buffer.append("<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>")
    buffer.append("</worksheet>")
    part.write("".join(buffer).encode())
    return max(number, 2)


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    f'{_XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>prcouncil</Application></Properties>"
)


def _content_types(count):
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>' for n in range(1, count + 1)
    )
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook_rels(count):
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'
    )


def _workbook(titles, filters, prints=()):
    sheets = "".join(
        f'<sheet name="{_attr(title)}" sheetId="{n}" r:id="rId{n}"/>' for n, title in enumerate(titles, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
        f"{_attr(_quoted(title))}!$A$1:${_column_letters(width)[-1]}${last_row}</definedName>"
        for index, title, last_row, width in filters
    )
    # Print area (the written cells) and print titles (the header row, and leading columns if any).
    for index, title, last_row, width, title_columns in prints:
        sheet = _attr(_quoted(title))
        names += (
            f'<definedName name="_xlnm.Print_Area" localSheetId="{index}">'
            f"{sheet}!$A$1:${_column_letters(width)[-1]}${last_row}</definedName>"
        )
        repeated = f"{sheet}!$1:$1"
        if title_columns:
            repeated = f"{sheet}!$A:${_column_letters(title_columns)[-1]},{repeated}"
        names += f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{repeated}</definedName>'
    return (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
        f"{f'<definedNames>{names}</definedNames>' if names else ''}</workbook>"
    )


def _quoted(title):
    return "'" + title.replace("'", "''") + "'"


# Excel's extended locale prefix [$-xxyyzzzz]: numeral shape 03 (Extended Arabic-Indic, Persian
# digits), calendar 00, locale 0429 (Persian). Numbers stay numbers and show ۶۶٫۶۷ beside the
# rows' Jalali dates; LibreOffice reads it as [$-429][NatNum1].
PERSIAN_DIGITS = "[$-3000429]"


def _styles(rtl, persian=False):
    """Fonts, fills and the cell styles (cellXfs) the HEADER/TEXT/NUMBER/PERCENT/DATE indexes point to."""
    digits = PERSIAN_DIGITS if persian else ""
    reading = ' readingOrder="2"' if rtl else ""
    align = f"<alignment{reading}/>"
    # Percent cells keep their 0–100 value (80 stays 80, so formulas and other readers see the
    # figure the app shows) and only display a percent sign: General"%" rather than Excel's "0%".
    number_formats = {TEXT: 0, NUMBER: 164, PERCENT: 166, DATE: 165}
    xfs = [
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"'
        f' applyAlignment="1"><alignment wrapText="1" vertical="center"{reading}/></xf>',
    ]
    for kind in (TEXT, NUMBER, PERCENT, DATE):
        xfs.append(
            f'<xf numFmtId="{number_formats[kind]}" fontId="0" fillId="0" borderId="0" xfId="0"'
            f' applyNumberFormat="1" applyAlignment="1">{align}</xf>'
        )
    for kind in (TEXT, NUMBER, PERCENT, DATE):  # the same, unlocked and tinted (editable columns)
        xfs.append(
            f'<xf numFmtId="{number_formats[kind]}" fontId="0" fillId="3" borderId="0" xfId="0" applyNumberFormat="1"'
            f' applyFill="1" applyAlignment="1" applyProtection="1">{align}<protection locked="0"/></xf>'
        )
    font = '<sz val="11"/><name val="Vazirmatn"/><family val="2"/>'
    solid = '<fill><patternFill patternType="solid"><fgColor rgb="{}"/><bgColor indexed="64"/></patternFill></fill>'
    thin = '<{0} style="thin"><color auto="1"/></{0}>'
    return (
        f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode="{digits}#,##0.##"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>'
        f'<numFmt numFmtId="166" formatCode="{digits}General&quot;%&quot;"/>'
        "</numFmts>"
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="4"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        f"{solid.format('FFDDEBF7')}{solid.format('FFFFF9E6')}</fills>"
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
        f"<border>{''.join(thin.format(side) for side in ('left', 'right', 'top', 'bottom'))}<diagonal/></border>"
        "</borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    )


def _sheet_title(title, used):
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title)).strip("'")[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


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
    persian = persian_is_active()
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
