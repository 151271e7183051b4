"""Writes that touch several models at once."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Evidence, Milestone, ProgressUpdate, Status

DONE_NEEDS_EVIDENCE = _("Marking a milestone done needs at least one piece of evidence (a file, a link or a letter).")
DELAY_NEEDS_REASON = _("Say why the milestone is delayed or blocked.")


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
        raise StaleEdit(locked, _changes(locked, seen or {}))

    if status == Status.DONE:
        progress = 100
    errors = {}
    if status == Status.DONE and not files and not links and not _has_evidence(locked):
        errors["status"] = ValidationError(DONE_NEEDS_EVIDENCE, code="done_needs_evidence")
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
    return update


def _has_evidence(milestone):
    return Evidence.objects.filter(update__milestone=milestone).exists()


def _changes(current, seen):
    changes = []
    for name, old in seen.items():
        field = Milestone._meta.get_field(name)
        now = getattr(current, name)
        if str(now) != str(old):
            changes.append((field.verbose_name, old, now))
    return changes
