"""Writes that touch several models at once."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import signals
from .models import Evidence, Milestone, ProgressUpdate, Status

DONE_NEEDS_EVIDENCE = _("Marking a milestone done needs at least one piece of evidence (a file, a link or a letter).")
DELAY_NEEDS_REASON = _("Say why the milestone is delayed or blocked.")
ONLY_DIRECTOR_CANCELS = _("Only the director-general can cancel a milestone.")


class StaleEdit(Exception):
    """Someone changed the milestone after this form was opened; nothing was saved."""

    def __init__(self, current, changes):
        super().__init__("stale edit")
        self.current = current
        # [(field verbose name, value the form saw, value now)]
        self.changes = changes


@dataclass(frozen=True)
class EvidenceFile:
    """An uploaded file that has already passed the upload checks (type by content, size, name)."""

    file: object
    original_name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class EvidenceLink:
    url: str = ""
    letter_number: str = ""
    letter_date: object = None


@transaction.atomic
def report_progress(*, milestone, author, status, progress, note="", expected_version, files=(), links=(), seen=None):
    """Post a progress report: write the ProgressUpdate and its evidence, move the milestone.

    `expected_version` is the milestone version the reporter's form showed; if the milestone
    has changed since, StaleEdit is raised and nothing is written. `seen` (optional) is the
    {field: value} the form showed, used to tell the reporter what changed.
    Raises ValidationError for a report that breaks a rule. Permission is the caller's to check.
    """
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.version != expected_version:
        raise StaleEdit(locked, _changes(locked, seen if seen is not None else _seen_at(locked, expected_version)))

    if status == Status.DONE:
        progress = 100
    errors = {}
    if status == Status.DONE and not files and not links and not _has_evidence(locked):
        errors["status"] = ValidationError(DONE_NEEDS_EVIDENCE, code="done_needs_evidence")
    if status == Status.CANCELLED and not author.has_perm("plans.cancel_milestone", locked):
        errors["status"] = ValidationError(ONLY_DIRECTOR_CANCELS, code="only_director_cancels")
    if status == Status.DELAYED and not (note or "").strip():
        errors["note"] = ValidationError(DELAY_NEEDS_REASON, code="delay_needs_reason")
    update = ProgressUpdate(milestone=locked, author=author, status=status, progress=progress, note=note or "")
    try:
        update.full_clean(exclude=["milestone", "author"])
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    update.save()

    for item in files:
        Evidence.objects.create(
            update=update,
            file=item.file,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
        )
    for link in links:
        Evidence.objects.create(
            update=update, url=link.url, letter_number=link.letter_number, letter_date=link.letter_date
        )

    locked.status, locked.progress = status, progress
    locked._history_user = author  # simple_history: who made this change
    locked.save(update_fields=["status", "progress"])
    milestone.version, milestone.status, milestone.progress = locked.version, status, progress
    _announce(signals.progress_reported, update)
    return update


def _has_evidence(milestone):
    # Evidence of a report that was returned for revision does not count.
    return (
        Evidence.objects.filter(update__milestone=milestone)
        .exclude(update__review_state=ProgressUpdate.ReviewState.RETURNED)
        .exists()
    )


# What a reporter is told changed when their form went stale (the fields a report is about,
# and the ones only the director-general edits).
STALE_FIELDS = ("status", "progress", "title", "target", "start_date", "due_date", "weight")


def _seen_at(current, version):
    """The milestone's fields as they stood at `version`, read back from its history."""
    try:
        version = int(version)
    except (TypeError, ValueError):
        return {}
    record = current.history.filter(version=version).order_by("-history_date", "-history_id").first()
    if record is None:
        return {}
    return {name: getattr(record, name) for name in STALE_FIELDS}


def _changes(current, seen):
    changes = []
    for name, old in seen.items():
        field = Milestone._meta.get_field(name)
        now = getattr(current, name)
        if str(now) != str(old):
            changes.append((field.verbose_name, old, now))
    return changes


SELF_REVIEW = _("Nobody reviews their own report.")
RETURN_NEEDS_REASON = _("Say why the report is returned, so the agency knows what to fix.")
ALREADY_REVIEWED = _("This report has already been reviewed.")


@transaction.atomic
def review_progress_update(*, update, reviewer, accept, reason=""):
    """Accept a submitted report, or return it to the agency with a reason; stamp who and when.

    Raises ValidationError (codes self_review, return_needs_reason, already_reviewed) and
    changes nothing then. Permission is the caller's to check.
    """
    locked = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    reason = (reason or "").strip()
    if locked.author_id == reviewer.pk:
        raise ValidationError(SELF_REVIEW, code="self_review")
    if locked.review_state != ProgressUpdate.ReviewState.SUBMITTED:
        raise ValidationError(ALREADY_REVIEWED, code="already_reviewed")
    if not accept and not reason:
        raise ValidationError(RETURN_NEEDS_REASON, code="return_needs_reason")
    locked.review_state = ProgressUpdate.ReviewState.ACCEPTED if accept else ProgressUpdate.ReviewState.RETURNED
    locked.reviewed_by = reviewer
    locked.reviewed_at = timezone.now()
    locked.review_reason = reason
    locked.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "review_reason"])
    for name in ("review_state", "reviewed_by", "reviewed_at", "review_reason"):
        setattr(update, name, getattr(locked, name))
    _announce(signals.progress_reviewed, locked)
    return locked


def _announce(signal, update):
    # After commit, and robust: a listener that fails is logged and never undoes or breaks the write.
    transaction.on_commit(lambda: signal.send(sender=ProgressUpdate, update=update), robust=True)


# --- Admin and import writes (issue 11, part 3) ------------------------------------------------------
# The admin's milestone forms and the admin import edit a milestone's plan fields (title, dates, weight…)
# but never its status or progress: those move only through report_progress (and the plan editor's
# versioned actions). What they edit is checked against the version the editor saw, under the row lock,
# so a report accepted in between is never overwritten.

STALE_MILESTONE = _(
    "Someone changed this milestone after you opened it: %(changes)s. Nothing was saved; "
    "open it again and redo your change."
)
STALE_MILESTONE_ROW = _(
    "This milestone changed after the file was exported: %(changes)s. Nothing was imported; "
    "export again and redo your changes."
)
NO_VERSION_COLUMN = _(
    "A row that names an existing milestone needs the version column of the export it came from; "
    "export again and make your changes in that file."
)
STATUS_ONLY_BY_REPORT = _(
    "Status and progress change only through a progress report, not through an import "
    "(this milestone is now “%(status)s” at %(progress)s percent)."
)


def lock_milestone_for_edit(pk, seen_version):
    """Lock milestone `pk` and return it if its version is still `seen_version` (what the editor's
    form or file showed); otherwise raise StaleEdit naming what changed since. Call inside a transaction."""
    locked = Milestone.objects.select_for_update(of=("self",)).get(pk=pk)
    if seen_version is None or locked.version != seen_version:
        raise StaleEdit(locked, _changes(locked, _seen_at(locked, seen_version)))
    return locked


def describe_changes(stale):
    """A StaleEdit's changes as one phrase, «پیشرفت (٪): ۹۱ ← ۹۹؛ وضعیت: …» (the arrow points from the old
    value to the new one, right to left in Persian, as on the report page)."""
    # Imported here so this section stays apart from the rest of the module (other branches edit its head).
    from django.utils.translation import get_language_bidi

    from persian.jalali import format_date, persian_is_active, to_persian_digits

    def number(value):
        return to_persian_digits(value) if persian_is_active() else str(value)

    def shown(name, value):
        field = Milestone._meta.get_field(name)
        if value in (None, ""):
            return "—"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if hasattr(value, "isoformat"):
            return format_date(value)
        return number(value)

    by_label = {str(field.verbose_name): field.name for field in Milestone._meta.fields}
    parts = []
    for label, old, now in stale.changes:
        name = by_label.get(str(label))
        if name is None:
            continue
        arrow = "←" if get_language_bidi() else "→"
        parts.append(f"{label}: {shown(name, old)} {arrow} {shown(name, now)}")
    if not parts:
        return str(_("its version is %(version)s now") % {"version": number(stale.current.version)})
    return ("؛ " if persian_is_active() else "; ").join(parts)
