"""Writes that touch several models at once."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from persian.jalali import shift_years, to_persian_digits
from persian.values import lookup_key

from . import signals
from .models import Evidence, Goal, Milestone, ProgressUpdate, Status, StrategicPlan

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
    cancelling = status == Status.CANCELLED and locked.status != Status.CANCELLED
    if cancelling and not (note or "").strip():
        errors["note"] = ValidationError(CANCEL_NEEDS_REASON, code="cancel_needs_reason")
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
    if cancelling:
        locked._change_reason = note.strip()[:REASON_MAX_LENGTH]
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


# --- the plan editor (issue 11): the director-general's and the secretariat's writes ---------
# Each one locks what it changes and, for an edit, refuses a version older than the row's: two
# people editing the same plan, goal or milestone never overwrite each other silently (StaleEdit
# names what changed). Status and progress are never edited here: they move through reports, or
# through cancel_milestone, a versioned action with a reason. Permission is the caller's to check
# (plans.add_/change_* and plans.cancel_milestone in plans/rules.py). See docs/plan-editor.md.

REASON_NEEDED = _("Changing the due date, the weight or the agency needs a reason; it is kept in the history.")
CANCEL_NEEDS_REASON = _("Say why the milestone is cancelled; the reason is kept in its history.")
ALREADY_CANCELLED = _("This milestone is already cancelled.")
ONLY_DRAFTS_PUBLISH = _("Only a draft plan can be published.")
ORDER_CHANGED = _("Someone else changed the goals since you opened the page, so nothing was moved. Try again.")
NO_AGENCIES = _("Choose at least one agency.")
PLAN_EXISTS = _("There is already a plan for %(year)s with the title “%(title)s”.")
# simple-history keeps the reason in history_change_reason, a 100-character column.
REASON_MAX_LENGTH = 100

PLAN_FIELDS = ("title", "year", "description", "is_public")
GOAL_FIELDS = ("number", "title", "description", "weight", "owner")
MILESTONE_FIELDS = ("title", "description", "target", "start_date", "due_date", "weight", "agency")
# A change to these fields of a milestone needs a reason (kept as the history record's change reason).
REASONED_FIELDS = ("due_date", "weight", "agency")
UNFINISHED = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DELAYED)


def _lock_current(model, obj, expected_version, fields):
    """The row, locked; StaleEdit if its version is not the one the editor's form showed."""
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if locked.version != expected_version:
        raise StaleEdit(locked, _changes_since(locked, expected_version, fields))
    return locked


def _changes_since(current, version, fields):
    """[(verbose name, value then, value now)] between the history record of `version` and now.

    Relations are compared (and given) by id; the page that shows them looks the names up.
    """
    try:
        version = int(version)
    except (TypeError, ValueError):
        return []
    record = current.history.filter(version=version).order_by("-history_date", "-history_id").first()
    if record is None:
        return []
    changes = []
    for name in fields:
        field = current._meta.get_field(name)
        old, now = getattr(record, field.attname), getattr(current, field.attname)
        if old != now:
            changes.append((field.verbose_name, old, now))
    return changes


def _set_fields(instance, allowed, values):
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        current = getattr(instance, field.attname)
        new = value.pk if field.is_relation and value is not None else value
        if current != new:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _save(instance, by, reason=""):
    instance.full_clean()
    instance._history_user = by  # simple_history: who made this change
    if reason:
        instance._change_reason = reason[:REASON_MAX_LENGTH]
    instance.save()
    return instance


@transaction.atomic
def create_plan(*, by, title, year, description="", is_public=False):
    """A new plan, as a draft (publish_plan makes it the active one)."""
    plan = StrategicPlan(
        title=title, year=year, description=description, is_public=is_public, status=StrategicPlan.Status.DRAFT
    )
    return _save(plan, by)


@transaction.atomic
def edit_plan(*, plan, by, expected_version, **values):
    locked = _lock_current(StrategicPlan, plan, expected_version, PLAN_FIELDS)
    if _set_fields(locked, PLAN_FIELDS, values):
        _save(locked, by)
    return locked


@transaction.atomic
def publish_plan(*, plan, by, expected_version):
    """Make a draft plan the active one; the plan active until now is archived (one active plan)."""
    locked = _lock_current(StrategicPlan, plan, expected_version, (*PLAN_FIELDS, "status"))
    if locked.status != StrategicPlan.Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS_PUBLISH, code="not_a_draft")
    for active in StrategicPlan.objects.select_for_update().filter(status=StrategicPlan.Status.ACTIVE):
        active.status = StrategicPlan.Status.ARCHIVED
        active._history_user = by
        active.save(update_fields=["status"])
    locked.status = StrategicPlan.Status.ACTIVE
    locked._history_user = by
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def create_goal(*, plan, by, title, number=None, description="", weight=1, owner=None):
    """A new goal of `plan`; without a number it goes last."""
    StrategicPlan.objects.select_for_update().get(pk=plan.pk)  # one goal numbered at a time
    if number is None:
        number = (plan.goals.aggregate(last=Max("number"))["last"] or 0) + 1
    goal = Goal(plan=plan, number=number, title=title, description=description, weight=weight, owner=owner)
    return _save(goal, by)


@transaction.atomic
def edit_goal(*, goal, by, expected_version, **values):
    locked = _lock_current(Goal, goal, expected_version, GOAL_FIELDS)
    if _set_fields(locked, GOAL_FIELDS, values):
        _save(locked, by)
    return locked


@transaction.atomic
def reorder_goals(*, plan, by, expected_order, new_order):
    """Renumber the plan's goals 1, 2, … in `new_order` (goal ids).

    `expected_order` is the order the editor's page showed; if the goals have changed since
    (another reorder, a goal added), nothing moves and ValidationError(code="stale_order") is raised.
    """
    StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    goals = list(Goal.objects.select_for_update().filter(plan=plan).order_by("number"))
    if [goal.pk for goal in goals] != list(expected_order) or sorted(new_order) != sorted(expected_order):
        raise ValidationError(ORDER_CHANGED, code="stale_order")
    by_pk = {goal.pk: goal for goal in goals}
    moving = [(by_pk[pk], number) for number, pk in enumerate(new_order, start=1) if by_pk[pk].number != number]
    if not moving:
        return goals
    # Out of the way first (numbers are unique per plan), then to their places with history.
    offset = max(goal.number for goal in goals) + len(goals)
    Goal.objects.filter(pk__in=[goal.pk for goal, _number in moving]).update(number=F("number") + offset)
    for goal, number in moving:
        goal.number = number
        goal._history_user = by
        goal.save(update_fields=["number"])
    return sorted(goals, key=lambda goal: goal.number)


@dataclass(frozen=True)
class Assignment:
    created: list  # the new milestones, one per agency
    skipped: list  # the agencies that already had a milestone with this title under the goal


@transaction.atomic
def assign_milestone(*, goal, agencies, by, title, start_date, due_date, description="", target="", weight=1):
    """One ordinary milestone per agency under `goal`, all alike.

    An agency that already has a milestone of this title under the goal (compared as the
    normaliser reads titles, so spaces and letter forms do not make a second one) is skipped and
    reported, never duplicated. Raises ValidationError for bad values; nothing is created then.
    """
    agencies = list(dict.fromkeys(agencies))
    if not agencies:
        raise ValidationError({"agencies": ValidationError(NO_AGENCIES, code="no_agencies")})
    template = Milestone(
        goal=goal,
        title=title,
        description=description,
        target=target,
        start_date=start_date,
        due_date=due_date,
        weight=weight,
    )
    template.full_clean(exclude=["agency"], validate_unique=False)
    Goal.objects.select_for_update().get(pk=goal.pk)  # assignments to one goal queue up
    key = lookup_key(title)
    taken = {
        agency_id
        for agency_id, existing in Milestone.objects.filter(goal=goal, agency__in=agencies).values_list(
            "agency_id", "title"
        )
        if lookup_key(existing) == key
    }
    skipped = [agency for agency in agencies if agency.pk in taken]
    new = [
        Milestone(
            goal=goal,
            agency=agency,
            title=title,
            description=description,
            target=target,
            start_date=start_date,
            due_date=due_date,
            weight=weight,
        )
        for agency in agencies
        if agency.pk not in taken
    ]
    created = bulk_create_with_history(new, Milestone, default_user=by) if new else []
    return Assignment(created=list(created), skipped=skipped)


@transaction.atomic
def edit_milestone(*, milestone, by, expected_version, reason="", **values):
    """Change what a milestone asks (title, dates, weight, agency, …); never its status or progress.

    A new due date, weight or agency needs `reason`, kept as the history record's change reason
    (shown on the milestone page and on the agency's page).
    """
    locked = _lock_current(Milestone, milestone, expected_version, (*MILESTONE_FIELDS, "status", "progress"))
    reason = (reason or "").strip()
    changed = _set_fields(locked, MILESTONE_FIELDS, values)
    if not changed:
        return locked
    if not reason and set(changed) & set(REASONED_FIELDS):
        raise ValidationError({"reason": ValidationError(REASON_NEEDED, code="reason_needed")})
    return _save(locked, by, reason)


@transaction.atomic
def cancel_milestone(*, milestone, by, expected_version, reason):
    """Cancel a milestone with a reason: it stays, in history and in the status counts, and leaves
    every progress figure (docs/progress.md: cancelled milestones are not counted)."""
    locked = _lock_current(Milestone, milestone, expected_version, (*MILESTONE_FIELDS, "status", "progress"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(CANCEL_NEEDS_REASON, code="cancel_needs_reason")})
    if locked.status == Status.CANCELLED:
        raise ValidationError(ALREADY_CANCELLED, code="already_cancelled")
    locked.status = Status.CANCELLED
    locked._history_user = by
    locked._change_reason = reason[:REASON_MAX_LENGTH]
    locked.save(update_fields=["status"])
    return locked


def next_year_title(plan):
    """The plan's title with its year moved on (۱۴۰۵ → ۱۴۰۶, in the digits it was written in)."""
    year, following = str(plan.year), str(plan.year + 1)
    title = plan.title.replace(year, following)
    title = title.replace(to_persian_digits(year), to_persian_digits(following))
    return title if title != plan.title else f"{plan.title} {to_persian_digits(following)}"


@transaction.atomic
def copy_plan_to_next_year(*, plan, by, carry_over=True, title=None):
    """A draft plan for the next Jalali year with the plan's goals (and their lead agencies).

    With `carry_over`, the unfinished milestones (not started, in progress, delayed) come along
    with their status and progress, their start and due dates moved on by one whole Jalali year;
    done and cancelled ones stay behind. publish_plan then makes the copy the active plan.
    """
    title = title or next_year_title(plan)
    year = plan.year + 1
    if StrategicPlan.objects.filter(year=year, title=title).exists():
        raise ValidationError(
            {"title": ValidationError(PLAN_EXISTS, code="plan_exists", params={"year": year, "title": title})}
        )
    copy = create_plan(by=by, title=title, year=year, description=plan.description, is_public=plan.is_public)
    goals = list(plan.goals.order_by("number"))
    new_goals = bulk_create_with_history(
        [
            Goal(
                plan=copy,
                number=goal.number,
                title=goal.title,
                description=goal.description,
                weight=goal.weight,
                owner_id=goal.owner_id,
            )
            for goal in goals
        ],
        Goal,
        default_user=by,
    )
    if carry_over and goals:
        goal_map = {old.pk: new.pk for old, new in zip(goals, new_goals, strict=True)}
        carried = [
            Milestone(
                goal_id=goal_map[milestone.goal_id],
                agency_id=milestone.agency_id,
                title=milestone.title,
                description=milestone.description,
                target=milestone.target,
                start_date=shift_years(milestone.start_date, 1),
                due_date=shift_years(milestone.due_date, 1),
                weight=milestone.weight,
                status=milestone.status,
                progress=milestone.progress,
            )
            for milestone in Milestone.objects.in_plan(plan).filter(status__in=UNFINISHED).order_by("pk")
        ]
        bulk_create_with_history(carried, Milestone, default_user=by, batch_size=1000)
    return copy


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
