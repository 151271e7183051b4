"""The per-agency round trip: a pre-filled sheet out, a filled sheet back in, each changed row a progress report.

Reading back is strict: every row's id is read (persian.values.clean_id), its milestone looked up
among the agency's and asked about in the rules, then the row is validated by the report form
itself (plans.forms.ProgressReportForm: status by label however typed, progress as 65, ۶۵ or a 65%
cell, the note normalised, the link checked against the model) and dry-run through
plans.services.report_progress inside a transaction that is rolled back, so the preview shows
exactly the errors the form would give. Confirming replays the
stored rows through the same service, all in one transaction: all rows are posted or none.
"""

import datetime
from dataclasses import asdict, dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fileformats.uploads import UploadRefused, check_spreadsheet, spreadsheet_limits
from fileformats.writer import Sheet, Validation, write_xlsx
from persian import values
from persian.jalali import persian_is_active, to_persian_digits
from plans.forms import ProgressReportForm
from plans.models import Milestone, Status
from plans.services import EvidenceLink, StaleEdit, report_progress

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


def write_agency_sheet(milestones, output, *, user=None):
    """The pre-filled sheet: context columns locked, the four editable columns unlocked and tinted,
    the new status a drop-down of the statuses this person may report, the new progress 0–100."""
    statuses = {value: str(label) for value, label in Status.choices}
    allowed = ProgressReportForm.status_choices_for(user)
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
    write_xlsx([agency_sheet(rows, allowed_statuses=allowed)], output, rtl=persian_is_active())


def agency_sheet(rows, *, allowed_statuses):
    """The round-trip Sheet for these rows (lists in COLUMNS order); the status drop-down lists `allowed_statuses`."""
    return Sheet(
        title=_("Progress report"),
        headers=[_(name) for name, _width in COLUMNS],
        rows=rows,
        column_widths=[width for _name, width in COLUMNS],
        date_columns=[5],
        editable_columns=EDITABLE,
        validations=[
            Validation.choice(
                NEW_STATUS, [str(label) for _value, label in allowed_statuses], title=_(COLUMNS[NEW_STATUS][0])
            ),
            Validation.whole_number(NEW_PROGRESS, 0, 100, title=_(COLUMNS[NEW_PROGRESS][0])),
        ],
    )


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


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _cell(value):
    """A cell as the form takes it: numbers and percentage cells as they are, text stripped."""
    return value.strip() if isinstance(value, str) else value


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
    check_spreadsheet(uploaded, kinds=("xlsx",))
    try:
        workbook = openpyxl.load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as exc:
        raise UploadRefused(_("The workbook could not be read; upload the sheet you downloaded.")) from exc
    try:
        worksheet = workbook.worksheets[0]
        raw = [
            (number, [_read_cell(cell) for cell in row]) for number, row in enumerate(worksheet.iter_rows(), start=1)
        ]
    finally:
        workbook.close()
    if not raw or _text(raw[0][1][0] if raw[0][1] else "") not in _id_headers():
        raise UploadRefused(_("This is not the progress sheet downloaded from this site (its first column differs)."))
    preview = _preview(raw[1:], agency=agency, user=user)
    preview.check_size(spreadsheet_limits().max_rows)
    return preview


def _read_cell(cell):
    """A cell's value; a number in a cell formatted as a percentage (65% is stored 0.65) is marked as one."""
    value = getattr(cell, "value", None)
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return values.PercentCell(value)
    return value


def _id_headers():
    """The first column's header in every language the sheet may have been downloaded in."""
    headers = set()
    for language in ("fa", "en"):
        with translation.override(language):
            headers.add(_(COLUMNS[ID][0]))
    return headers


FORM_COLUMNS = {"status": NEW_STATUS, "progress": NEW_PROGRESS, "note": NOTE, "links": LINK, "version": VERSION}


def _preview(raw_rows, *, agency, user):
    preview = Preview(rows=[], errors=[])
    parsed = []
    for number, cells in raw_rows:
        cells = (cells + [None] * len(COLUMNS))[: len(COLUMNS)]
        if all(_text(value) == "" for value in cells):
            continue
        try:
            milestone_id = values.clean_id(cells[ID])
        except values.InvalidValue as exc:
            preview.errors.append(_cell_error(number, ID, str(exc)))
            continue
        parsed.append((number, milestone_id, cells))

    # The sheet is the agency's: its rows are looked up among the agency's milestones (the scope);
    # whether this person may report on each one is the rules' decision (plans.report_milestone).
    ids = {item[1] for item in parsed}
    milestones = Milestone.objects.for_agency(agency).select_related("goal", "agency").in_bulk(ids)
    elsewhere = set(Milestone.objects.filter(pk__in=ids - milestones.keys()).values_list("pk", flat=True))
    seen = set()
    for number, milestone_id, cells in parsed:
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
        row = _row_through_form(number, milestone, cells, user=user)
        changed = row.new_status != milestone.status or row.new_progress != milestone.progress or row.note or row.link
        if not changed and not row.errors:
            preview.unchanged += 1
            continue
        if not row.errors and row.version != milestone.version:
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


def _row_through_form(number, milestone, cells, *, user):
    """One row, validated by the report form's own fields and rules; an empty cell keeps what the milestone has."""
    data = {
        "version": _cell(cells[VERSION]) if _text(cells[VERSION]) else "",
        "status": _cell(cells[NEW_STATUS]) if _text(cells[NEW_STATUS]) else milestone.status,
        "progress": _cell(cells[NEW_PROGRESS]) if _text(cells[NEW_PROGRESS]) else milestone.progress,
        "note": _text(cells[NOTE]),
        "links": _text(cells[LINK]),
    }
    form = ProgressReportForm(data, milestone=milestone, user=user)
    row = PreviewRow(
        row=number,
        milestone_id=milestone.pk,
        title=milestone.title,
        goal_number=milestone.goal.number,
        old_status=milestone.status,
        old_progress=milestone.progress,
    )
    if not form.is_valid():
        for name, messages in form.errors.items():
            row.errors.extend(_cell_error(number, FORM_COLUMNS.get(name, NEW_STATUS), message) for message in messages)
    cleaned = form.cleaned_data
    row.version = cleaned.get("version") or 0
    row.new_status = cleaned.get("status") or ""
    row.new_progress = cleaned.get("progress", milestone.progress)
    if row.new_progress is None:
        row.new_progress = milestone.progress
    row.note = cleaned.get("note", data["note"]) or ""
    row.link = "\n".join(cleaned["links"]) if "links" in cleaned else data["links"]
    return row


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
        links=[EvidenceLink(url=url) for url in row.link.splitlines()],
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
