"""Every check an evidence upload passes before anything is stored: the one place for them.

- size: at most settings.EVIDENCE_MAX_BYTES;
- type: pdf, jpg, png, docx, xlsx, told by the content (magic bytes, and for docx/xlsx the zip's
  structure), and the name's extension must agree with it; anything that looks like HTML, SVG or a
  script is refused whatever it claims to be;
- name: only a display name is kept (the file on disk gets a generated name, see
  plans.models.evidence_path); names with folders ("../"), control characters or bidi overrides
  (U+202E makes "gpj.exe" read as "exe.jpg") are refused. Django's parser would quietly clean such
  names, so the form checks them as the browser sent them (prcouncil.middleware.UploadNamesMiddleware)
  and keeps a Persian name's zero-width non-joiner, which the parser drops.
"""

import html
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from plans.services import EvidenceFile

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
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
# Markers of content a browser would run or render, looked for in the first bytes of every file.
ACTIVE_MARKERS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"javascript:")
SNIFF_BYTES = 4096
# Bidi embeddings, overrides and isolates; ZWNJ/ZWJ (U+200C/U+200D) are ordinary Persian and stay.
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}

TOO_LARGE = _("“%(name)s” is %(size)s; the largest file accepted is %(limit)s.")
NOT_ALLOWED = _("“%(name)s” is not a PDF, JPG, PNG, Word (docx) or Excel (xlsx) file.")
EXTENSION_MISMATCH = _("“%(name)s” does not match its content (it is a %(kind)s file); rename it and try again.")
ACTIVE_CONTENT = _("“%(name)s” contains web page or script content, which is not accepted as evidence.")
MACROS = _("“%(name)s” contains macros, which are not accepted; save it without macros.")
BAD_NAME_PATH = _("The file name “%(name)s” contains a folder path; upload the file under its own name.")
BAD_NAME_CHARACTERS = _(
    "The file name contains hidden control or text-direction characters, which can disguise a file's type; "
    "rename the file and try again."
)
EMPTY = _("“%(name)s” is empty.")
TOO_MANY = _("At most %(count)d files can be attached to one report.")


def safe_display_name(name):
    """The name shown and offered on download; raises ValidationError for a disguised or path-like name."""
    name = unicodedata.normalize("NFC", str(name or "")).strip()
    for char in name:
        if char in BIDI_CONTROLS or (
            unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} and char not in KEPT_FORMAT_CHARACTERS
        ):
            raise ValidationError(BAD_NAME_CHARACTERS, code="bad_name")
    if "/" in name or "\\" in name or name in {"", ".", ".."} or name.startswith("."):
        raise ValidationError(BAD_NAME_PATH, code="bad_name", params={"name": name})
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


def check_upload(uploaded):
    """Check one uploaded file; return it as an EvidenceFile or raise ValidationError. Nothing is stored."""
    name = safe_display_name(uploaded.name)
    limit = settings.EVIDENCE_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
        )
    if uploaded.size == 0:
        raise ValidationError(EMPTY, code="empty", params={"name": name})
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    # Office files are zips whose parts are XML; everything else must not carry markup at its start.
    if not head.startswith(b"PK\x03\x04") and any(marker in head.lower() for marker in ACTIVE_MARKERS):
        raise ValidationError(ACTIVE_CONTENT, code="active_content", params={"name": name})
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED:
        raise ValidationError(NOT_ALLOWED, code="not_allowed", params={"name": name})
    if kind.extension in ZIP_REQUIRED:
        _check_office_zip(uploaded, kind.extension, name)
    content_type, extensions = ALLOWED[kind.extension]
    if PurePosixPath(name).suffix.lower().lstrip(".") not in extensions:
        raise ValidationError(
            EXTENSION_MISMATCH, code="extension_mismatch", params={"name": name, "kind": kind.extension.upper()}
        )
    return EvidenceFile(file=uploaded, original_name=name, content_type=content_type, size=uploaded.size)


def check_uploads(files):
    files = list(files)
    if len(files) > settings.EVIDENCE_MAX_FILES:
        raise ValidationError(TOO_MANY, code="too_many", params={"count": settings.EVIDENCE_MAX_FILES})
    checked, errors = [], []
    for uploaded in files:
        try:
            checked.append(check_upload(uploaded))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return checked


def _check_office_zip(uploaded, kind, name):
    """A docx/xlsx must be a sane zip with its main part, no macros and no zip bomb."""
    not_allowed = ValidationError(NOT_ALLOWED, code="not_allowed", params={"name": name})
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise not_allowed from None
    finally:
        uploaded.seek(0)
    names = {member.filename for member in members}
    if (
        len(members) > ZIP_MAX_MEMBERS
        or sum(member.file_size for member in members) > ZIP_MAX_UNPACKED
        or "[Content_Types].xml" not in names
        or ZIP_REQUIRED[kind] not in names
    ):
        raise not_allowed
    if any(member.lower().endswith("vbaproject.bin") for member in names):
        raise ValidationError(MACROS, code="macros", params={"name": name})
