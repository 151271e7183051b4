"""The bulletin's state changes, the one way each is written (pages and demo alike). Permission is the caller's.

draft → published; a published bulletin is frozen: its text, narratives and figures are refused any
change here (and its admin is read-only); a correction is a dated erratum, never a silent change.
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Round

from . import figures as bulletin_figures
from . import press
from .models import Bulletin, Erratum, GoalNarrative

NOT_LOCKED = _("Only a locked round has a bulletin: lock the round's results first.")
BULLETIN_EXISTS = _("This round already has a bulletin.")
FROZEN = _("This bulletin is published and frozen; add a dated erratum to correct it.")
NOT_PUBLISHED = _("An erratum is added to a published bulletin; edit the draft instead.")
STALE = _("Someone saved this bulletin after you opened it; reload the page to see their changes, then edit again.")
PRESS_TEXT_REQUIRED = _("Write the press text before publishing (or let the app draft it again).")
ERRATUM_TEXT_REQUIRED = _("Write what the erratum corrects.")
NARRATIVE_FIELDS = ("done", "next", "obstacles")
# The public pages' cache: every key carries this generation, which publishing or an erratum moves on.
CACHE_GENERATION = "publishing:generation"


def cache_generation():
    return cache.get_or_set(CACHE_GENERATION, 1, None)


def invalidate_public_cache():
    try:
        cache.incr(CACHE_GENERATION)
    except ValueError:
        cache.set(CACHE_GENERATION, 2, None)


def _invalidate_now_and_on_commit():
    """Now, so this transaction's own reads see the change; after the commit, so a request that cached the
    old page in between does not keep it."""
    invalidate_public_cache()
    transaction.on_commit(invalidate_public_cache)


def _for_update(bulletin, expected_version=None):
    bulletin = Bulletin.objects.select_for_update().select_related("round", "plan").get(pk=bulletin.pk)
    if expected_version is not None and bulletin.version != expected_version:
        raise ValidationError(STALE, code="stale")
    return bulletin


def narratives_of(bulletin):
    return {
        narrative.goal_id: {field: getattr(narrative, field) for field in NARRATIVE_FIELDS}
        for narrative in bulletin.narratives.all()
    }


def live_figures(bulletin):
    """What the bulletin would show if published now (the director's preview)."""
    return bulletin_figures.build(round=bulletin.round, plan=bulletin.plan, narratives=narratives_of(bulletin))


@transaction.atomic
def create_draft(*, round, plan, by):
    """The round's bulletin as a draft: an empty narrative per goal and the press text the app drafts."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.is_locked:
        raise ValidationError(NOT_LOCKED, code="not_locked")
    if Bulletin.objects.filter(round=round).exists():
        raise ValidationError(BULLETIN_EXISTS, code="exists")
    figures = bulletin_figures.build(round=round, plan=plan)
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(round=round, plan=plan, press_text=press.draft(figures))
    except IntegrityError as exc:
        raise ValidationError(BULLETIN_EXISTS, code="exists") from exc
    GoalNarrative.objects.bulk_create(GoalNarrative(bulletin=bulletin, goal_id=goal["id"]) for goal in figures["goals"])
    return bulletin


@transaction.atomic
def save_draft(*, bulletin, press_text, narratives, expected_version, by, redraft=False):
    """Save the director's press text and narratives ({goal id: {done, next, obstacles}}) on a draft.
    With redraft, the press text is drafted again from the current figures instead."""
    bulletin = _for_update(bulletin)
    if bulletin.is_published:
        raise ValidationError(FROZEN, code="frozen")
    if bulletin.version != expected_version:
        raise ValidationError(STALE, code="stale")
    existing = {narrative.goal_id: narrative for narrative in bulletin.narratives.all()}
    for goal_id, story in narratives.items():
        narrative = existing.get(goal_id) or GoalNarrative(bulletin=bulletin, goal_id=goal_id)
        for field in NARRATIVE_FIELDS:
            setattr(narrative, field, (story.get(field) or "").strip())
        narrative.save()
    if redraft:
        press_text = press.draft(live_figures(bulletin))
    bulletin.press_text = (press_text or "").strip()
    bulletin.version += 1
    bulletin.save(update_fields=["press_text", "version", "updated_at"])
    return bulletin


@transaction.atomic
def publish(*, bulletin, published_on, expected_version, by):
    """Publish the draft: its figures are read from the locked round and the plan and frozen with it."""
    bulletin = _for_update(bulletin)
    if bulletin.is_published:
        raise ValidationError(FROZEN, code="frozen")
    if bulletin.version != expected_version:
        raise ValidationError(STALE, code="stale")
    if not bulletin.round.is_locked:
        raise ValidationError(NOT_LOCKED, code="not_locked")
    if not bulletin.press_text.strip():
        raise ValidationError(PRESS_TEXT_REQUIRED, code="press_text_required")
    bulletin.figures = live_figures(bulletin)
    bulletin.status = Bulletin.Status.PUBLISHED
    bulletin.published_on = published_on
    bulletin.published_at = timezone.now()
    bulletin.published_by = by
    bulletin.version += 1
    bulletin.full_clean(exclude=["round", "plan"])
    bulletin.save()
    _invalidate_now_and_on_commit()
    return bulletin


@transaction.atomic
def add_erratum(*, bulletin, text, published_on, by, refresh_figures=False):
    """A dated correction on a published bulletin. With refresh_figures the bulletin's figures are read
    again from the round (after a result correction, say) and the ones they replace are kept on the erratum."""
    bulletin = _for_update(bulletin)
    if not bulletin.is_published:
        raise ValidationError(NOT_PUBLISHED, code="not_published")
    text = (text or "").strip()
    if not text:
        raise ValidationError(ERRATUM_TEXT_REQUIRED, code="text_required")
    erratum = Erratum(bulletin=bulletin, text=text, published_on=published_on, author=by)
    if refresh_figures:
        erratum.figures_before = bulletin.figures
        bulletin.figures = live_figures(bulletin)
        bulletin.version += 1
        bulletin.save(update_fields=["figures", "version", "updated_at"])
    erratum.save()
    _invalidate_now_and_on_commit()
    return erratum
