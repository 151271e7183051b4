"""Upload limits for every spreadsheet we read (the round trip and the admin import), checked BEFORE parsing.

openpyxl needs ~20 s and 160 MB for a 200,000-row sheet, and an xlsx is a zip of XML: a small
file can expand to gigabytes (zip bomb) or carry entity expansions (billion laughs). So before
any parser sees a file we check, cheaply and in this order:
  1. the name and the byte size;
  2. for xlsx: the zip's own directory (entry count, declared sizes, compression ratio, macros);
  3. for xlsx: each sheet's XML, decompressed as a bounded stream: no DOCTYPE/ENTITY anywhere,
     the <dimension> it declares, and the rows it really holds (a lying dimension is caught);
  4. for CSV: the number of lines and columns, also as a bounded stream.
defusedxml stays as the second wall (openpyxl uses it when installed; see checks.py).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_entries: int = 100
    max_uncompressed: int = 60 * 1024 * 1024
    max_ratio: int = 150  # uncompressed / compressed, per entry
    max_rows: int = 20_000
    max_columns: int = 60


def current_limits():
    """The limits, overridable as a whole with settings.SPREADSHEET_UPLOAD_LIMITS (a dict of Limits fields)."""
    return Limits(**getattr(settings, "SPREADSHEET_UPLOAD_LIMITS", {}))


class UploadRefused(ValueError):
    """The file was refused before parsing; the message is for the user."""


MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlsb", ".xla", ".xlam", ".xls")
CHUNK = 64 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DANGEROUS_XML = (b"<!DOCTYPE", b"<!ENTITY")


def _column_number(letters):
    number = 0
    for letter in letters.decode():
        number = number * 26 + (ord(letter) - 64)
    return number


def _size(uploaded):
    size = getattr(uploaded, "size", None)
    if size is None:
        position = uploaded.tell()
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
        uploaded.seek(position)
    return size


def check_upload(uploaded, *, kinds=("xlsx", "csv"), limits=None):
    """Refuse (UploadRefused) a spreadsheet upload that is too big, zipped badly, macro-laden or too long.

    `uploaded` is a Django UploadedFile or any binary file-like object with a name. Returns the kind
    ("xlsx" or "csv") and leaves the file at position 0.
    """
    limits = limits or current_limits()
    name = (getattr(uploaded, "name", "") or "").lower()
    if name.endswith(MACRO_EXTENSIONS):
        raise UploadRefused(_("Files with macros (.xlsm and the like) and old .xls files are refused; save as .xlsx."))
    kind = "xlsx" if name.endswith(".xlsx") else "csv" if name.endswith(".csv") else None
    if kind is None or kind not in kinds:
        raise UploadRefused(_("Upload a file of one of these types: %(kinds)s.") % {"kinds": ", ".join(kinds)})
    if _size(uploaded) > limits.max_bytes:
        raise UploadRefused(
            _("The file is larger than %(size)s MB.") % {"size": round(limits.max_bytes / 1024 / 1024, 1)}
        )
    uploaded.seek(0)
    try:
        if kind == "xlsx":
            _check_xlsx(uploaded, limits)
        else:
            _check_csv(uploaded, limits)
    finally:
        uploaded.seek(0)
    return kind


def _too_many_rows(limits):
    return UploadRefused(_("The sheet has more than %(rows)s rows.") % {"rows": limits.max_rows})


def _too_many_columns(limits):
    return UploadRefused(_("The sheet has more than %(columns)s columns.") % {"columns": limits.max_columns})


def _check_xlsx(uploaded, limits):
    not_a_workbook = UploadRefused(_("This is not a valid .xlsx workbook."))
    try:
        archive = zipfile.ZipFile(uploaded)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_a_workbook from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise UploadRefused(_("The workbook holds too many parts (%(count)s).") % {"count": len(entries)})
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names:
            raise not_a_workbook
        if any("vbaproject" in name.lower() or "macrosheets" in name.lower() for name in names):
            raise UploadRefused(_("The workbook contains macros; save it as a plain .xlsx and upload again."))
        declared = sum(entry.file_size for entry in entries)
        if declared > limits.max_uncompressed:
            raise _expands_too_much()
        for entry in entries:
            if entry.compress_size and entry.file_size / entry.compress_size > limits.max_ratio:
                raise _expands_too_much()
        content_types = _read_bounded(archive, "[Content_Types].xml", limits, budget=[limits.max_uncompressed])
        if b"macroEnabled" in content_types or b"vbaProject" in content_types:
            raise UploadRefused(_("The workbook contains macros; save it as a plain .xlsx and upload again."))
        budget = [limits.max_uncompressed]  # shared by every part: the zip headers may lie about sizes
        for entry in entries:
            if entry.filename.lower().endswith((".xml", ".rels", ".vml")):
                if entry.filename.startswith("xl/worksheets/"):
                    _check_sheet(archive, entry.filename, limits, budget)
                else:
                    _read_bounded(archive, entry.filename, limits, budget)


def _expands_too_much():
    return UploadRefused(_("The workbook expands to far more data than its size suggests; it was refused."))


def _stream(archive, name, limits, budget):
    """Decompress one part in chunks, never past the shared budget, refusing DOCTYPE/ENTITY."""
    tail = b""
    with archive.open(name) as part:
        while True:
            chunk = part.read(CHUNK)
            if not chunk:
                return
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _expands_too_much()
            window = tail + chunk
            if any(marker in window for marker in _DANGEROUS_XML):
                raise UploadRefused(_("The workbook contains XML entity declarations; it was refused."))
            tail = window[-64:]
            yield window, len(tail)


def _read_bounded(archive, name, limits, budget):
    kept = bytearray()
    for window, _overlap in _stream(archive, name, limits, budget):
        if len(kept) < 256 * 1024:
            kept += window
    return bytes(kept)


def _check_sheet(archive, name, limits, budget):
    rows = 0
    checked_dimension = False
    previous_tail = 0
    for window, tail_length in _stream(archive, name, limits, budget):
        if not checked_dimension:
            match = _DIMENSION.search(window)
            if match:
                checked_dimension = True
                last_col, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
                if int(last_row) > limits.max_rows:
                    raise _too_many_rows(limits)
                if _column_number(last_col) > limits.max_columns:
                    raise _too_many_columns(limits)
            elif b"<sheetData" in window:
                checked_dimension = True  # no dimension declared: the row count below decides
        # Count rows in the new bytes only (the overlap was counted with the previous chunk).
        rows += sum(1 for match in _ROW.finditer(window) if match.end() > previous_tail)
        previous_tail = tail_length
        if rows > limits.max_rows + 1:  # + the header row
            raise _too_many_rows(limits)


def _check_csv(uploaded, limits):
    text = io.TextIOWrapper(uploaded, encoding="utf-8-sig", errors="replace", newline="")
    try:
        for count, row in enumerate(csv.reader(text), start=1):
            if count > limits.max_rows + 1:
                raise _too_many_rows(limits)
            if len(row) > limits.max_columns:
                raise _too_many_columns(limits)
    except csv.Error as exc:
        raise UploadRefused(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc
    finally:
        text.detach()
