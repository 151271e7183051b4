"""The one upload checker: every file a person uploads passes here before anything parses or stores it.

One error type (UploadRefused, a ValidationError with a message for the user) and one set of
limits per use (Limits: EVIDENCE for report attachments, SPREADSHEET for the round trip and the
admin import). Office files (docx, xlsx) are zips; both uses check the zip the same way
(_check_office_zip: entry count, declared and compressed sizes, the main part, macros).

Evidence (check_evidence): size; type told by the content (magic bytes, and for docx/xlsx the
zip's structure), the name's extension must agree; anything that looks like HTML, SVG or a script
is refused; names with folders, control characters or bidi overrides are refused (safe_display_name).

Spreadsheets (check_spreadsheet) are checked BEFORE parsing: openpyxl needs ~20 s and 160 MB for a
200,000-row sheet, and an xlsx is a zip of XML that can expand to gigabytes (zip bomb) or carry
entity expansions (billion laughs). In this order:
  1. the name (macros, the allowed kinds) and the byte size;
  2. the kind, from the bytes: a zip is checked as a workbook whatever it is called, and a name
     that says otherwise is refused (the admin import passes the kind of the format chosen);
  3. for xlsx: the zip's own directory (entry count, part types, declared sizes, compression
     ratio, macros);
  4. for xlsx: EVERY part, decompressed as a bounded stream, whatever its name (openpyxl finds a
     sheet through the relationships, at any path): XML must be UTF-8, with no DOCTYPE/ENTITY;
     the rows and cells it holds are counted and the row and column references read, as openpyxl
     would place them (a missing or lying <dimension> changes nothing);
  5. for CSV: the encoding (UTF-8 with or without BOM, or Windows-1256: decode_csv), then the
     number of lines and columns.
defusedxml stays as the second wall (openpyxl uses it when installed; see checks.py).
"""

import csv
import html
import io
import itertools
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_entries: int = 100
    max_uncompressed: int = 60 * 1024 * 1024
    max_ratio: int | None = 150  # uncompressed / compressed, per entry (None: not checked)
    max_rows: int = 20_000
    max_columns: int = 60


def spreadsheet_limits():
    """The round trip's and the admin import's limits, overridable with settings.SPREADSHEET_UPLOAD_LIMITS."""
    return Limits(**getattr(settings, "SPREADSHEET_UPLOAD_LIMITS", {}))


def evidence_limits():
    """A report's attachments: settings.EVIDENCE_MAX_BYTES each; an Office file's zip up to 2,000 parts, 200 MB."""
    return Limits(
        max_bytes=settings.EVIDENCE_MAX_BYTES,
        max_entries=2000,
        max_uncompressed=200 * 1024 * 1024,
        max_ratio=None,  # attachments are stored, never parsed: only the total unpacked size matters
    )


class UploadRefused(ValidationError):
    """The file was refused before anything parsed or stored it; the message is for the user."""

    def __str__(self):
        return " ".join(self.messages)


MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlsb", ".xla", ".xlam", ".xls")
EXTENSIONS = {"xlsx": ".xlsx", "csv": ".csv"}
CHUNK = 64 * 1024
# The parts a workbook may hold: XML, and pictures or printer settings (which no XML parser can read).
XML_PARTS = (".xml", ".rels", ".vml")
MEDIA_PARTS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf")
PRINTER_SETTINGS = "xl/printersettings/"
MAX_TAG = 1024 * 1024  # no tag, nor text between two tags, is longer in a real workbook (a cell holds 32,767 chars)
# Tag names with any namespace prefix; a match of these is a start tag the XML parser sees.
_PREFIX = rb"(?:[^\s<>/:!?]+:)?"
# A row start gives "r", a cell start "c" (and nothing else: not <r>, <cols>, <color>); the
# prefixed form (<x:row>) is slower to search, so it is used only where a prefixed tag appears.
_ROW_OR_CELL = re.compile(rb"<(r(?=ow[\s/>])|c(?=[\s/>]))")
_PREFIXED_ROW_OR_CELL = re.compile(rb"<" + _PREFIX + rb"(r(?=ow[\s/>])|c(?=[\s/>]))")
_MAYBE_PREFIXED = re.compile(rb":(?:row|c)[\s/>]")
_ATTRIBUTES = rb"""(?:\s+[^\s=<>/]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*?"""
# Every r attribute (a cell's or a row's reference), however written; and the same, only where
# it is a plain reference in double quotes (A1, $B$7, 12). A part where the counts differ is
# refused: openpyxl would read "1e6" or "&#88;FD1" as far-away rows or columns and fill the gap
# with empty cells. Searched everywhere, not only inside tags, so no trick of markup hides one.
# (Written r(?<=\sr) rather than \sr: the search then skips ahead to each "r", 3x faster.)
_ANY_REF = re.compile(rb"""r(?<=\sr)\s*=\s*["']""")
_PLAIN_REF = re.compile(rb'r(?<=\sr)="\$?[A-Za-z]{0,3}\$?[0-9]{1,7}"')
# A cell's reference has letters (its column); a row's is its number. Other parts use r too
# (a theme's r="50000" is a gradient's edge), so row numbers are read from row tags only.
_CELL_REF = re.compile(rb'r(?<=\sr)="\$?([A-Za-z]{1,3})\$?([0-9]{1,7})"')
_ROW_TAG = re.compile(rb"<row[\s/>][^<]*")
_PREFIXED_ROW_TAG = re.compile(rb"<" + _PREFIX + rb"row[\s/>][^<]*")
_NUMBER_REF = re.compile(rb'r(?<=\sr)="([0-9]{1,7})"')
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension" + _ATTRIBUTES + rb"""\s+ref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PLAIN_RANGE = re.compile(rb"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?")
_DANGEROUS_XML = (b"<!DOCTYPE", b"<!ENTITY")
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")
_NOT_UTF8_STARTS = (b"\xfe\xff", b"\xff\xfe", b"\x00\x00\xfe\xff", b"\x4c\x6f\xa7\x94")  # UTF-16/32 BOMs, EBCDIC "<?xm"


def _column_number(letters):
    number = 0
    for letter in letters.upper().decode():
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


def sniff_kind(uploaded):
    """ "xlsx" when the bytes are a zip (wherever its directory starts), else "csv"; the name plays no part."""
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    try:
        is_zip = head.startswith((b"PK\x03\x04", b"PK\x05\x06")) or zipfile.is_zipfile(uploaded)
    finally:
        uploaded.seek(0)
    return "xlsx" if is_zip else "csv"


def check_spreadsheet(uploaded, *, kinds=("xlsx", "csv"), limits=None):
    """Refuse (UploadRefused) a spreadsheet upload that is too big, zipped badly, macro-laden or too long.

    `uploaded` is a Django UploadedFile or any binary file-like object with a name. The checks are
    chosen by the bytes (a zip is checked as a workbook whatever its name), and a name that says
    otherwise is refused. Returns the kind ("xlsx" or "csv") and leaves the file at position 0.
    """
    limits = limits or spreadsheet_limits()
    name = (getattr(uploaded, "name", "") or "").lower()
    if name.endswith(MACRO_EXTENSIONS):
        raise UploadRefused(_("Files with macros (.xlsm and the like) and old .xls files are refused; save as .xlsx."))
    named = next((kind for kind in kinds if name.endswith(EXTENSIONS.get(kind, "\0"))), None)
    if named is None:
        raise UploadRefused(_("Upload a file of one of these types: %(kinds)s.") % {"kinds": ", ".join(kinds)})
    if _size(uploaded) > limits.max_bytes:
        raise UploadRefused(
            _("The file is larger than %(size)s MB.") % {"size": round(limits.max_bytes / 1024 / 1024, 1)}
        )
    kind = sniff_kind(uploaded)
    if kind != named:
        if named == "xlsx":
            raise UploadRefused(_("This is not a valid .xlsx workbook."))
        raise UploadRefused(_("This file is an Excel workbook (.xlsx), not a CSV file; it was refused."))
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


def _check_office_zip(uploaded, limits, *, required, not_valid, macros):
    """The zip checks every Office upload passes: a readable zip with [Content_Types].xml and its main
    part, not too many parts, no macros, not expanding past the limits. Returns the archive's entries."""
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            # Folders too: a folder entry may hold bytes, and openpyxl would read them if pointed there.
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise not_valid() from None
    finally:
        uploaded.seek(0)
    names = {entry.filename for entry in entries}
    if len(entries) > limits.max_entries:
        raise UploadRefused(
            _("The file holds too many parts (%(count)s); it was refused.") % {"count": len(entries)},
            code="too_many_parts",
        )
    if "[Content_Types].xml" not in names or (required and required not in names):
        raise not_valid()
    if any("vbaproject" in name.lower() or "macrosheets" in name.lower() for name in names):
        raise macros()
    if sum(entry.file_size for entry in entries) > limits.max_uncompressed:
        raise _expands_too_much()
    if limits.max_ratio is not None:
        for entry in entries:
            if entry.compress_size and entry.file_size / entry.compress_size > limits.max_ratio:
                raise _expands_too_much()
    return entries


def _workbook_macros():
    return UploadRefused(_("The workbook contains macros; save it as a plain .xlsx and upload again."), code="macros")


def _check_xlsx(uploaded, limits):
    def not_a_workbook():
        return UploadRefused(_("This is not a valid .xlsx workbook."), code="not_a_workbook")

    entries = _check_office_zip(uploaded, limits, required=None, not_valid=not_a_workbook, macros=_workbook_macros)
    for entry in entries:
        name = entry.filename.lower()
        if not (
            name.endswith(("/", *XML_PARTS, *MEDIA_PARTS))
            or (name.startswith(PRINTER_SETTINGS) and name.endswith(".bin"))
        ):
            raise UploadRefused(
                _("The workbook holds a part of an unexpected type (%(name)s); it was refused.")
                % {"name": entry.filename[:80]}
            )
    try:
        with zipfile.ZipFile(uploaded) as archive:
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(256 * 1024)
            if b"macroEnabled" in content_types or b"vbaProject" in content_types:
                raise _workbook_macros()
            # Every part is read, whatever its name: openpyxl finds sheets through the relationships,
            # so a sheet may live at any path. The budget is shared: the zip headers may lie about sizes.
            budget = [limits.max_uncompressed]
            for entry in archive.infolist():
                _check_part(archive, entry, limits, budget)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        # A damaged or encrypted part, or an unknown compression: openpyxl could not read it either.
        raise not_a_workbook() from exc


def _expands_too_much():
    return UploadRefused(_("The workbook expands to far more data than its size suggests; it was refused."))


def _not_utf8():
    return UploadRefused(_("The workbook's XML is not UTF-8; save it again as .xlsx and upload it."))


def _chunks(archive, entry, budget):
    """Decompress one part in chunks, never past the shared budget."""
    with archive.open(entry) as part:
        while chunk := part.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _expands_too_much()
            yield chunk


def _is_xml(head):
    """Whether an XML parser could read the part; refuses XML in any encoding but UTF-8."""
    if head.startswith(_NOT_UTF8_STARTS):
        raise _not_utf8()
    if b"\0" in head[:64]:
        # UTF-16 or UTF-32 without a byte-order mark ("<\0?\0x\0..."): expat guesses it from the NULs.
        if head[:64].replace(b"\0", b"").lstrip().startswith(b"<"):
            raise _not_utf8()
        return False  # binary (a picture, printer settings): no XML parser reads it
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.lstrip().startswith(b"<"):
        return False
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise _not_utf8()
    return True


class _SheetScan:
    """Counts, over one part's XML, what openpyxl would turn into rows and columns."""

    def __init__(self, limits):
        self.limits = limits
        self.rows = 0
        self.cells = 0  # in the current row
        self.in_row = False

    def feed(self, text):
        """`text` holds whole tags only (it was cut before a "<")."""
        limits = self.limits
        if any(marker in text for marker in _DANGEROUS_XML):
            raise UploadRefused(_("The workbook contains XML entity declarations; it was refused."))
        for found in _DIMENSION.finditer(text) if b"dimension" in text else ():
            plain = _PLAIN_RANGE.fullmatch(found.group(1) if found.group(1) is not None else found.group(2))
            if plain is None:
                raise _malformed()
            last_col, last_row = plain.group(3) or plain.group(1), plain.group(4) or plain.group(2)
            if int(last_row) > limits.max_rows + 1:
                raise _too_many_rows(limits)
            if _column_number(last_col) > limits.max_columns:
                raise _too_many_columns(limits)
        if len(_PLAIN_REF.findall(text)) != len(_ANY_REF.findall(text)):
            raise _malformed()
        prefixed = _MAYBE_PREFIXED.search(text) is not None
        row_tags = b"".join((_PREFIXED_ROW_TAG if prefixed else _ROW_TAG).findall(text))
        numbers = _NUMBER_REF.findall(row_tags)
        cells = _CELL_REF.findall(text)
        numbers.extend(number for _letters, number in cells)
        if numbers and max(map(int, numbers)) > limits.max_rows + 1:
            raise _too_many_rows(limits)
        if any(_column_number(letters) > limits.max_columns for letters in {letters for letters, _n in cells}):
            raise _too_many_columns(limits)
        # Cells without a reference take the next column: count the cells of each row too.
        # "rccrcc…" split at each row: the first piece continues the row the last text ended in.
        starts = _PREFIXED_ROW_OR_CELL if prefixed else _ROW_OR_CELL
        pieces = b"".join(starts.findall(text)).split(b"r")
        if self.in_row:
            self.cells += len(pieces[0])
            if self.cells > limits.max_columns:
                raise _too_many_columns(limits)
        if len(pieces) > 1:
            self.in_row = True
            self.rows += len(pieces) - 1
            self.cells = len(pieces[-1])
            if max(map(len, pieces[1:])) > limits.max_columns:
                raise _too_many_columns(limits)
        if self.rows > limits.max_rows + 1:  # + the header row
            raise _too_many_rows(limits)


def _malformed():
    return UploadRefused(_("The sheet's cell references are malformed; it was refused."))


def _check_part(archive, entry, limits, budget):
    """Read one part: pictures only against the budget, XML (whatever the part's name) scanned in full."""
    chunks = _chunks(archive, entry, budget)
    first = next(chunks, b"")
    if not _is_xml(first):
        for _chunk in chunks:
            pass
        return
    scan = _SheetScan(limits)
    carry = bytearray()
    for chunk in itertools.chain((first,), chunks):
        cut = chunk.rfind(b"<")
        if cut == -1:
            carry += chunk
        else:
            carry += chunk[:cut]
            scan.feed(bytes(carry))
            carry = bytearray(chunk[cut:])
        if len(carry) > MAX_TAG:
            raise _malformed()
    scan.feed(bytes(carry))


def _check_csv(uploaded, limits):
    uploaded.seek(0)
    text = decode_csv(uploaded.read())
    try:
        for count, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if count > limits.max_rows + 1:
                raise _too_many_rows(limits)
            if len(row) > limits.max_columns:
                raise _too_many_columns(limits)
    except csv.Error as exc:
        raise UploadRefused(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc


NOT_CSV_UTF8 = gettext_lazy(
    "This CSV file is in a character encoding that cannot be read. In Excel choose Save As, then "
    "“CSV UTF-8 (Comma delimited)”; in LibreOffice choose the character set “Unicode (UTF-8)”; then upload it again."
)
# Besides ASCII, a Windows-1256 file decodes to Arabic-script letters and punctuation; other
# encodings decoded as 1256 give mostly Latin-1 letters and symbols, which mark the guess wrong.
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u200c\u200d\u200e\u200f\u00a0«»…–—‘’“”]")


def decode_csv(data):
    """The text of a CSV file saved as UTF-8 (with or without a byte-order mark) or Windows-1256
    (Excel's "CSV" on a Persian Windows). Anything else is refused with a message naming "CSV UTF-8"."""
    if b"\0" in data[:4096]:
        raise UploadRefused(NOT_CSV_UTF8, code="encoding")  # UTF-16/32: Excel's "Unicode text"
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        raise UploadRefused(NOT_CSV_UTF8, code="encoding") from None
    beyond_ascii = [char for char in text if ord(char) > 127]
    arabic = sum(1 for char in beyond_ascii if _ARABIC_SCRIPT.match(char))
    if beyond_ascii and arabic < 0.8 * len(beyond_ascii):
        raise UploadRefused(NOT_CSV_UTF8, code="encoding")
    return text


# --- evidence: a report's attachments ---------------------------------------------------------

# detected kind -> (content type, extensions a name may carry)
ALLOWED = {
    "pdf": ("application/pdf", {"pdf"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
}
# Parts an Office file of each kind must contain; macros are never accepted.
ZIP_REQUIRED = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# Markers of content a browser would run or render, looked for in the first bytes of every file.
ACTIVE_MARKERS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"javascript:")
SNIFF_BYTES = 4096
# Bidi embeddings, overrides and isolates; ZWNJ/ZWJ (U+200C/U+200D) are ordinary Persian and stay.
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}

TOO_LARGE = gettext_lazy("“%(name)s” is %(size)s; the largest file accepted is %(limit)s.")
NOT_ALLOWED = gettext_lazy("“%(name)s” is not a PDF, JPG, PNG, Word (docx) or Excel (xlsx) file.")
EXTENSION_MISMATCH = gettext_lazy(
    "“%(name)s” does not match its content (it is a %(kind)s file); rename it and try again."
)
ACTIVE_CONTENT = gettext_lazy("“%(name)s” contains web page or script content, which is not accepted as evidence.")
MACROS = gettext_lazy("“%(name)s” contains macros, which are not accepted; save it without macros.")
BAD_NAME_PATH = gettext_lazy("The file name “%(name)s” contains a folder path; upload the file under its own name.")
BAD_NAME_CHARACTERS = gettext_lazy(
    "The file name contains hidden control or text-direction characters, which can disguise a file's type; "
    "rename the file and try again."
)
EMPTY = gettext_lazy("“%(name)s” is empty.")
TOO_MANY = gettext_lazy("At most %(count)d files can be attached to one report.")


def safe_display_name(name):
    """The name shown and offered on download; raises ValidationError for a disguised or path-like name."""
    name = unicodedata.normalize("NFC", str(name or "")).strip()
    for char in name:
        if char in BIDI_CONTROLS or (
            unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} and char not in KEPT_FORMAT_CHARACTERS
        ):
            raise UploadRefused(BAD_NAME_CHARACTERS, code="bad_name")
    if "/" in name or "\\" in name or name in {"", ".", ".."} or name.startswith("."):
        raise UploadRefused(BAD_NAME_PATH, code="bad_name", params={"name": name})
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = stem[: 200 - len(extension) - 1] + dot + extension if dot else name[:200]
    return name


def as_parsed_by_django(name):
    """What Django's multipart parser makes of a file name (MultiPartParser.sanitize_file_name):
    entities unescaped, folders dropped, every non-printable character removed (ZWNJ included)."""
    name = html.unescape(name).rsplit("/")[-1].rsplit("\\")[-1]
    return "".join(char for char in name if char.isprintable())


def names_as_sent(files, sent_names):
    """Give each checked file the name the officer chose, where Django's parser changed it.

    Persian names lose their zero-width non-joiner (گزارش‌ها → گزارشها) in the parser; the name as
    sent, once it has passed safe_display_name, is the one to show and to offer on download.
    """
    by_parsed = {}
    for name in sent_names:
        by_parsed.setdefault(safe_display_name(as_parsed_by_django(name)), safe_display_name(name))
    return [replace(item, original_name=by_parsed.get(item.original_name, item.original_name)) for item in files]


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: the file, the name to show, the content type told by its bytes, its size."""

    file: object
    original_name: str
    content_type: str
    size: int


def check_evidence(uploaded, limits=None):
    """Check one attachment; return a CheckedFile or raise UploadRefused. Nothing is stored."""
    limits = limits or evidence_limits()
    name = safe_display_name(uploaded.name)
    limit = limits.max_bytes
    if uploaded.size > limit:
        raise UploadRefused(
            TOO_LARGE,
            code="too_large",
            params={"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
        )
    if uploaded.size == 0:
        raise UploadRefused(EMPTY, code="empty", params={"name": name})
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    # Office files are zips whose parts are XML; everything else must not carry markup at its start.
    if not head.startswith(b"PK\x03\x04") and any(marker in head.lower() for marker in ACTIVE_MARKERS):
        raise UploadRefused(ACTIVE_CONTENT, code="active_content", params={"name": name})
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED:
        raise UploadRefused(NOT_ALLOWED, code="not_allowed", params={"name": name})
    if kind.extension in ZIP_REQUIRED:
        _check_office_zip(
            uploaded,
            limits,
            required=ZIP_REQUIRED[kind.extension],
            not_valid=lambda: UploadRefused(NOT_ALLOWED, code="not_allowed", params={"name": name}),
            macros=lambda: UploadRefused(MACROS, code="macros", params={"name": name}),
        )
    content_type, extensions = ALLOWED[kind.extension]
    if PurePosixPath(name).suffix.lower().lstrip(".") not in extensions:
        raise UploadRefused(
            EXTENSION_MISMATCH, code="extension_mismatch", params={"name": name, "kind": kind.extension.upper()}
        )
    return CheckedFile(file=uploaded, original_name=name, content_type=content_type, size=uploaded.size)


def check_evidence_files(files):
    """Every attachment of one report; all the refusals at once."""
    files = list(files)
    if len(files) > settings.EVIDENCE_MAX_FILES:
        raise UploadRefused(TOO_MANY, code="too_many", params={"count": settings.EVIDENCE_MAX_FILES})
    checked, errors = [], []
    for uploaded in files:
        try:
            checked.append(check_evidence(uploaded))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise UploadRefused(errors)
    return checked
