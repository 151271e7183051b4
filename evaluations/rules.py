"""The evaluations app's permissions, built on the shared predicates in agencies/rules.py."""

import rules
from django.db.models import Q

from agencies.rules import is_director, is_evaluator, is_member, is_officer, is_own_agency_object, is_viewer

from .models import Round


# --- quarterly evaluation ------------------------------------------------------------
# Evaluators score while a round is open; only the director-general opens, closes, locks
# and corrects. Scoring is blind: an evaluator sees only their own score sheets until the
# round is closed. Results are read by the council (director-general, evaluators, viewers)
# once the round is closed (the director-general also while it is open); an officer reads
# only their own agency's scorecard, with public comments and never private notes.
@rules.predicate
def round_is_open(user, round):
    return round is not None and round.status == Round.Status.OPEN


@rules.predicate
def scorecard_round_is_published(user, scorecard):
    return scorecard is not None and scorecard.round.status != Round.Status.OPEN


@rules.predicate
def no_object_or_its_round_is_open(user, obj):
    """A round's copy of the rubric (or its sub-criteria) changes only while the round is open."""
    return obj is None or obj.round.status == Round.Status.OPEN


@rules.predicate
def round_is_locked(user, round):
    return round is not None and round.status == Round.Status.LOCKED


rules.add_perm("evaluations.score_round", is_evaluator & round_is_open)
# A measured score (filled from the app's records) is overridden by the director-general with a reason,
# until the round is locked (after that, a correction).
rules.add_perm("evaluations.override_measure", is_director & ~round_is_locked)
rules.add_perm("evaluations.manage_round", is_director)
rules.add_perm("evaluations.view_round", is_director | is_evaluator | is_viewer)
rules.add_perm("evaluations.view_results", is_director | ((is_evaluator | is_viewer) & ~round_is_open))
rules.add_perm(
    "evaluations.view_scorecard",
    is_director
    | ((is_evaluator | is_viewer) & scorecard_round_is_published)
    | (is_officer & is_own_agency_object & scorecard_round_is_published),
)
# Private notes are the council's: never an officer's, never a viewer's.
rules.add_perm("evaluations.view_private_note", is_director | is_evaluator)

# The rubric and the rounds in the admin: the director-general only.
# (evaluations.view_round is granted above: the council reads rounds outside the admin too.)
EVALUATION_MODELS = (
    "criterion",
    "subcriterion",
    "round",
    "roundcriterion",
    "roundsubcriterion",
    "roundresult",
    "correction",
    "measureoverride",
    "measurement",
)
# Rounds are opened on the evaluation pages, a round's rubric copy changes only while it is open,
# and results and corrections are never edited in the admin (a correction goes through the results page).
FIXED = {
    "add_round": rules.always_deny,
    "add_roundcriterion": rules.always_deny,
    "change_roundcriterion": is_director & no_object_or_its_round_is_open,
    "delete_roundcriterion": is_director & no_object_or_its_round_is_open,
    "add_roundsubcriterion": is_director & no_object_or_its_round_is_open,
    "change_roundsubcriterion": is_director & no_object_or_its_round_is_open,
    "delete_roundsubcriterion": is_director & no_object_or_its_round_is_open,
    **{
        f"{action}_{model}": rules.always_deny
        for model in ("roundresult", "correction", "measureoverride", "measurement")
        for action in ("add", "change", "delete")
    },
}
for model in EVALUATION_MODELS:
    for action in ("view", "add", "change", "delete"):
        if f"{action}_{model}" != "view_round":
            rules.add_perm(f"evaluations.{action}_{model}", FIXED.get(f"{action}_{model}", is_director))
rules.add_perm("evaluations", is_director)
# The evaluation pages (an officer reads their agency's scorecard there): anyone with a role.
rules.add_perm("evaluations.open_evaluation_pages", is_member)


def sheet_filter(user):
    """A Q for the score sheets a person may open (blind scoring).

    The director-general sees all (to follow progress); an evaluator sees their own, and
    everyone's once the round is closed; nobody else opens a sheet (it carries private notes).
    """
    if is_director(user):
        return Q()
    if is_evaluator(user):
        return Q(evaluator_id=user.pk) | ~Q(round__status=Round.Status.OPEN)
    return Q(pk__in=[])


def round_filter(user):
    """A Q for the rounds a person may read about: the council every round (evaluations.view_round);
    an officer the closed and locked ones, whose scorecard of their agency they may read; nobody else."""
    if user.has_perm("evaluations.view_round"):
        return Q()
    if is_officer(user):
        return ~Q(status=Round.Status.OPEN)
    return Q(pk__in=[])
