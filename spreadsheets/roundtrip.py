"""The per-agency round trip: a pre-filled sheet out, a filled sheet back in, each changed row a progress report.

Reading back is strict: every row is checked (milestone id, agency, permission, version, status,
progress, link) and then dry-run through plans.services.report_progress inside a transaction that
is rolled back, so the preview shows exactly the errors the form would give. Confirming replays the
stored rows through the same service, all in one transaction: all rows are posted or none.
"""

import contextlib
import datetime
from dataclasses import asdict, dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from persian.jalali import normalize_persian, persian_is_active, to_latin_digits, to_persian_digits
from plans.models import Milestone, Status
from plans.services import EvidenceLink, StaleEdit, report_progress

from .limits import UploadRefused, check_upload, current_limits
from .writer import Sheet, write_xlsx

# (header, width); the order is the sheet's column order.
COLUMNS = (
    (gettext_noop("Milestone id"), 10),
    (gettext_noop("Version"), 8),
    (gettext_noop("Goal number"), 9),
    (gettext_noop("Goal"), 36),
    (gettext_noop("Milestone"), 44),
    (gettext_noop("Due date"), 13),
    (gettext_noop("Current status"), 16),
    (gettext_noop("Current progress"), 10),
    (gettext_noop("New status"), 16),
    (gettext_noop("New progress (0–100)"), 12),
    (gettext_noop("Note"), 50),
    (gettext_noop("Evidence link"), 36),
)
ID, VERSION, NEW_STATUS, NEW_PROGRESS, NOTE, LINK = 0, 1, 8, 9, 10, 11
EDITABLE = (NEW_STATUS, NEW_PROGRESS, NOTE, LINK)
# The preview waits in the session until it is confirmed: what it may hold there is capped.
MAX_PREVIEW_ERRORS = 100  # messages not tied to a row; the rest are counted
MAX_PREVIEW_TEXT = 1_000_000  # characters of titles, notes and links


def quarter_milestones(agency, quarter, plan):
    """The agency's milestones in the plan whose span overlaps the quarter."""
    first, last = quarter.bounds()
    return (
        Milestone.objects.in_plan(plan)
        .for_agency(agency)
        .filter(Q(start_date__lte=last) & Q(due_date__gte=first))
        .select_related("goal")
        .order_by("goal__number", "due_date", "pk")
    )


def write_agency_sheet(milestones, output):
    """The pre-filled sheet: context columns locked, the four editable columns unlocked and tinted."""
    statuses = {value: str(label) for value, label in Status.choices}
    rows = (
        [
            m.pk,
            m.version,
            m.goal.number,
            m.goal.title,
            m.title,
            m.due_date,
            statuses[m.status],
            m.progress,
            statuses[m.status],
            m.progress,
            None,
            None,
        ]
        for m in milestones.iterator(chunk_size=2000)
    )
    sheet = Sheet(
        title=_("Progress report"),
        headers=[_(name) for name, _width in COLUMNS],
        rows=rows,
        column_widths=[width for _name, width in COLUMNS],
        date_columns=[5],
        editable_columns=EDITABLE,
    )
    write_xlsx([sheet], output, rtl=persian_is_active())


@dataclass
class PreviewRow:
    row: int
    milestone_id: int
    title: str = ""
    goal_number: int = 0
    version: int = 0
    old_status: str = ""
    new_status: str = ""
    old_progress: int = 0
    new_progress: int = 0
    note: str = ""
    link: str = ""
    errors: list = field(default_factory=list)


@dataclass
class Preview:
    rows: list  # PreviewRow, changed rows only (with or without errors)
    errors: list  # messages not tied to a changed row (bad id, other agency, duplicate...)
    unchanged: int = 0

    @property
    def has_errors(self):
        return bool(self.errors) or any(row.errors for row in self.rows)

    def as_session(self):
        return {"rows": [asdict(row) for row in self.rows], "unchanged": self.unchanged}

    def check_size(self, max_rows):
        """Refuse a preview too big for the session (the upload limits keep a real one far below)."""
        text = sum(len(row.title) + len(row.note) + len(row.link) for row in self.rows)
        if len(self.rows) > max_rows or text > MAX_PREVIEW_TEXT:
            raise UploadRefused(
                _("The sheet holds too much to preview at once (%(rows)s rows, %(text)s characters); split it.")
                % {"rows": shown_number(max_rows), "text": shown_number(MAX_PREVIEW_TEXT)}
            )
        if len(self.errors) > MAX_PREVIEW_ERRORS:
            hidden = len(self.errors) - MAX_PREVIEW_ERRORS
            self.errors = [
                *self.errors[:MAX_PREVIEW_ERRORS],
                _("… and %(count)s more errors.") % {"count": shown_number(hidden)},
            ]


def _status_lookup():
    """Status by its code, or by its label in Persian or English (Arabic letters and case forgiven)."""
    lookup = {}
    for language in ("fa", "en", None):
        with translation.override(language) if language else contextlib.nullcontext():
            for value, label in Status.choices:
                lookup[value] = value
                lookup[normalize_persian(str(label)).casefold()] = value
    return lookup


def status_from_text(text):
    """The status code for a code or label (Persian or English), or None."""
    return _status_lookup().get(normalize_persian(str(text)).casefold())


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _integer(value):
    text = to_latin_digits(_text(value)).replace("%", "").replace("٪", "").strip()
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(text) from None
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


def shown_number(value):
    """A number as the reader's page shows it: Persian digits in Persian."""
    return to_persian_digits(value) if persian_is_active() else str(value)


def _cell_error(row, column, message):
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": shown_number(row),
        "column": _(COLUMNS[column][0]),
        "message": message,
    }


def read_upload(uploaded, *, agency, user):
    """Check the file, read it, and build the preview. Raises UploadRefused for a file refused as a whole."""
    check_upload(uploaded, kinds=("xlsx",))
    try:
        workbook = openpyxl.load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as exc:
        raise UploadRefused(_("The workbook could not be read; upload the sheet you downloaded.")) from exc
    try:
        worksheet = workbook.worksheets[0]
        raw = [(number, list(values)) for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()
    if not raw or _text(raw[0][1][0] if raw[0][1] else "") not in _id_headers():
        raise UploadRefused(_("This is not the progress sheet downloaded from this site (its first column differs)."))
    preview = _preview(raw[1:], agency=agency, user=user)
    preview.check_size(current_limits().max_rows)
    return preview


def _id_headers():
    """The first column's header in every language the sheet may have been downloaded in."""
    headers = set()
    for language in ("fa", "en"):
        with translation.override(language):
            headers.add(_(COLUMNS[ID][0]))
    return headers


def _preview(raw_rows, *, agency, user):
    labels = dict(Status.choices)
    preview = Preview(rows=[], errors=[])
    parsed = []
    for number, values in raw_rows:
        values = (values + [None] * len(COLUMNS))[: len(COLUMNS)]
        if all(_text(value) == "" for value in values):
            continue
        try:
            milestone_id = _integer(values[ID])
            version = _integer(values[VERSION])
        except ValueError:
            preview.errors.append(_cell_error(number, ID, _("not a milestone id.")))
            continue
        if milestone_id is None or version is None:
            preview.errors.append(_cell_error(number, ID, _("the milestone id or its version is missing.")))
            continue
        parsed.append((number, milestone_id, version, values))

    # The sheet is the agency's: its rows are looked up among the agency's milestones (the scope);
    # whether this person may report on each one is the rules' decision (plans.report_milestone).
    ids = {item[1] for item in parsed}
    milestones = Milestone.objects.for_agency(agency).select_related("goal", "agency").in_bulk(ids)
    elsewhere = set(Milestone.objects.filter(pk__in=ids - milestones.keys()).values_list("pk", flat=True))
    seen = set()
    for number, milestone_id, version, values in parsed:
        milestone = milestones.get(milestone_id)
        if milestone_id in seen:
            preview.errors.append(
                _cell_error(number, ID, _("milestone %(id)s appears twice.") % {"id": shown_number(milestone_id)})
            )
            continue
        seen.add(milestone_id)
        if milestone is None and milestone_id not in elsewhere:
            preview.errors.append(
                _cell_error(number, ID, _("there is no milestone %(id)s.") % {"id": shown_number(milestone_id)})
            )
            continue
        if milestone is None or not user.has_perm("plans.report_milestone", milestone):
            preview.errors.append(
                _cell_error(
                    number,
                    ID,
                    _("milestone %(id)s belongs to another agency; you cannot report on it here. The row was refused.")
                    % {"id": shown_number(milestone_id)},
                )
            )
            continue
        row = PreviewRow(
            row=number,
            milestone_id=milestone.pk,
            title=milestone.title,
            goal_number=milestone.goal.number,
            version=version,
            old_status=milestone.status,
            old_progress=milestone.progress,
        )
        status_text = _text(values[NEW_STATUS])
        row.new_status = (status_from_text(status_text) or "") if status_text else milestone.status
        if not row.new_status:
            row.errors.append(
                _cell_error(
                    number,
                    NEW_STATUS,
                    _("“%(value)s” is not a status; use one of: %(choices)s.")
                    % {
                        "value": _text(values[NEW_STATUS]),
                        "choices": "، ".join(str(label) for label in labels.values()),
                    },
                )
            )
        try:
            progress = _integer(values[NEW_PROGRESS])
        except ValueError:
            progress = -1
        row.new_progress = milestone.progress if progress is None else progress
        if not 0 <= row.new_progress <= 100:
            row.errors.append(_cell_error(number, NEW_PROGRESS, _("progress is a whole number from 0 to 100.")))
        row.note = _text(values[NOTE])
        row.link = _text(values[LINK])
        if row.link:
            try:
                URLValidator(schemes=["http", "https"])(row.link)
            except ValidationError:
                row.errors.append(_cell_error(number, LINK, _("enter a full web address, starting with https://.")))
        changed = row.new_status != milestone.status or row.new_progress != milestone.progress or row.note or row.link
        if not changed and not row.errors:
            preview.unchanged += 1
            continue
        if version != milestone.version:
            row.errors.append(
                _cell_error(
                    number,
                    VERSION,
                    _("the milestone has changed since the sheet was downloaded; download a fresh sheet."),
                )
            )
        preview.rows.append(row)

    if not preview.has_errors and preview.rows:
        _dry_run(preview.rows, user=user)
    return preview


def _dry_run(rows, *, user):
    """Run every row through the reporting service, then roll everything back; keep the errors."""
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    _post(row, user=user)
            except StaleEdit:
                row.errors.append(
                    _cell_error(row.row, VERSION, _("the milestone has changed since the sheet was downloaded."))
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = {"note": NOTE, "progress": NEW_PROGRESS}.get(name, NEW_STATUS)
                    row.errors.extend(_cell_error(row.row, column, message) for message in messages)
        transaction.set_rollback(True)


def _post(row, *, user):
    milestone = Milestone.objects.get(pk=row.milestone_id)
    return report_progress(
        milestone=milestone,
        author=user,
        status=row.new_status,
        progress=row.new_progress,
        note=row.note,
        expected_version=row.version,
        links=[EvidenceLink(url=row.link)] if row.link else (),
    )


class ConfirmFailed(Exception):
    def __init__(self, messages):
        super().__init__("confirm failed")
        self.messages = messages


def confirm(stored_rows, *, agency, user):
    """Post every stored row as a progress report, all or nothing. Raises ConfirmFailed with the reasons."""
    rows = [PreviewRow(**item) for item in stored_rows]
    messages = []
    with transaction.atomic():
        for row in rows:
            milestone = Milestone.objects.for_agency(agency).filter(pk=row.milestone_id).first()
            if milestone is None or not user.has_perm("plans.report_milestone", milestone):
                messages.append(_cell_error(row.row, ID, _("you cannot report on this milestone.")))
                continue
            try:
                with transaction.atomic():
                    _post(row, user=user)
            except StaleEdit:
                messages.append(
                    _cell_error(row.row, VERSION, _("the milestone has changed since the sheet was downloaded."))
                )
            except ValidationError as exc:
                messages.extend(_cell_error(row.row, NEW_STATUS, message) for message in exc.messages)
        if messages:
            transaction.set_rollback(True)
    if messages:
        raise ConfirmFailed(messages)
    return len(rows)
