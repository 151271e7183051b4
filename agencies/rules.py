"""Who may see and change what: the one place that decides.

Views, forms, downloads, exports and the admin all ask these permissions (through
`user.has_perm(...)`, which the rules backend answers) or the scope functions below
(which querysets use to narrow what a person sees). Nothing else decides.

Roles (see agencies.models.Membership.Role):
- director-general / secretariat: reads and changes everything, reviews reports;
- agency officer: reads the plan-wide picture, reads and reports on their own agency's milestones only;
- evaluator (council member): reads everything, scores agencies, changes nothing in the plan;
- viewer: reads everything, changes nothing.
A superuser counts as a director-general.
"""

import rules
from django.db.models import Q

from .models import Agency, Membership

Role = Membership.Role


def membership_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user):
    if getattr(user, "is_superuser", False) and user.is_active:
        return Role.DIRECTOR
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return None
    return membership.role


def agency_id_of(user):
    """The agency an officer speaks for, or None."""
    membership = membership_of(user)
    return membership.agency_id if membership is not None else None


@rules.predicate
def is_director(user):
    return role_of(user) == Role.DIRECTOR


@rules.predicate
def is_officer(user):
    return role_of(user) == Role.OFFICER


@rules.predicate
def is_evaluator(user):
    return role_of(user) == Role.EVALUATOR


@rules.predicate
def is_viewer(user):
    return role_of(user) == Role.VIEWER


is_member = is_director | is_officer | is_evaluator | is_viewer
reads_everything = is_director | is_evaluator | is_viewer


def _agency_id(obj):
    """The agency an object belongs to: an agency, a milestone, or anything with a milestone."""
    if obj is None:
        return None
    if isinstance(obj, Agency):
        return obj.pk
    for path in ("agency_id", "milestone.agency_id", "update.milestone.agency_id"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        return target
    return None


@rules.predicate
def is_own_agency_object(user, obj):
    """The object belongs to the officer's own agency."""
    agency_id = agency_id_of(user)
    return agency_id is not None and obj is not None and _agency_id(obj) == agency_id


@rules.predicate
def is_author(user, obj):
    return obj is not None and getattr(obj, "author_id", None) == user.pk


# --- milestones and progress reports -------------------------------------------------
# Reading one milestone (its page, history, evidence): readers of everything, or its own agency's officer.
rules.add_perm("plans.view_milestone", reads_everything | (is_officer & is_own_agency_object))
# Reporting progress on a milestone: the director-general, or its own agency's officer.
rules.add_perm("plans.report_milestone", is_director | (is_officer & is_own_agency_object))
rules.add_perm("plans.view_progressupdate", reads_everything | (is_officer & is_own_agency_object))
# Cancelling a milestone takes it out of progress and evaluation figures: the director-general only.
rules.add_perm("plans.cancel_milestone", is_director)
# Reviewing a report: the director-general, never on their own report.
rules.add_perm("plans.review_progressupdate", is_director & ~is_author)

# --- the plan itself: the director-general edits; everyone with a role reads --------
for model in ("strategicplan", "goal"):
    rules.add_perm(f"plans.view_{model}", is_member)
for model in ("strategicplan", "goal", "milestone", "progressupdate"):
    for action in ("add", "change", "delete"):
        rules.add_perm(f"plans.{action}_{model}", is_director)

# --- agencies, counties and memberships: the director-general manages them -----------
for model in ("agency", "county", "membership"):
    rules.add_perm(f"agencies.view_{model}", is_director)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"agencies.{action}_{model}", is_director)

# Opening the admin's index for these apps.
rules.add_perm("plans", is_director)
rules.add_perm("agencies", is_director)


def agency_filter(user, prefix=""):
    """A Q for the milestones (or, with a prefix such as "milestone__", their reports) a person may open.

    Readers of everything see all; an officer sees their own agency's; anyone else nothing.
    """
    if reads_everything(user):
        return Q()
    if is_officer(user):
        return Q(**{f"{prefix}agency_id": agency_id_of(user)})
    return Q(pk__in=[])


# The admin's user pickers (progress-report author, reviewer, membership) need to list people.
rules.add_perm("auth.view_user", is_director)

# --- login protection (django-axes) ---------------------------------------------------
# The director-general reads the failed and successful logins and unlocks a locked-out person
# (deleting their access attempts: the admin's "Unlock login" action on people, or axes' own list).
for model in ("accessattempt", "accesslog", "accessfailurelog"):
    rules.add_perm(f"axes.view_{model}", is_director)
rules.add_perm("axes.delete_accessattempt", is_director)
rules.add_perm("axes", is_director)


# --- quarterly evaluation ------------------------------------------------------------
# Evaluators score while a round is open; only the director-general opens, closes, locks
# and corrects. Scoring is blind: an evaluator sees only their own score sheets until the
# round is closed. Results are read by the council (director-general, evaluators, viewers)
# once the round is closed (the director-general also while it is open); an officer reads
# only their own agency's scorecard, with public comments and never private notes.
@rules.predicate
def round_is_open(user, round):
    return round is not None and round.status == "open"


@rules.predicate
def scorecard_round_is_published(user, scorecard):
    return scorecard is not None and scorecard.round.status != "open"


rules.add_perm("evaluations.score_round", is_evaluator & round_is_open)
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
)
for model in EVALUATION_MODELS:
    for action in ("view", "add", "change", "delete"):
        if f"{action}_{model}" != "view_round":
            rules.add_perm(f"evaluations.{action}_{model}", is_director)
rules.add_perm("evaluations", is_director)


def sheet_filter(user):
    """A Q for the score sheets a person may open (blind scoring).

    The director-general sees all (to follow progress); an evaluator sees their own, and
    everyone's once the round is closed; nobody else opens a sheet (it carries private notes).
    """
    if is_director(user):
        return Q()
    if is_evaluator(user):
        return Q(evaluator_id=user.pk) | ~Q(round__status="open")
    return Q(pk__in=[])


# --- officer reporting (issue 3): agency pages, report form, review queue --------------
# An agency's "my agency" page: readers of everything may open any agency's, an officer only their own.
rules.add_perm("reporting.view_agency_page", reads_everything | (is_officer & is_own_agency_object))
# The review queue (and its count in the navigation bar): the director-general / secretariat.
rules.add_perm("reporting.view_review_queue", is_director)
# Downloading a piece of evidence asks plans.view_milestone on the evidence's milestone (above).


def own_agency_id(user):
    """The agency an officer speaks for (None for every other role)."""
    return agency_id_of(user) if is_officer(user) else None


# --- progress spreadsheets (issue 5) --------------------------------------------------
# Downloading the progress workbook: anyone with a role; its rows are narrowed by agency_filter.
rules.add_perm("spreadsheets.export_progress", is_member)
# The per-agency round trip (download a pre-filled sheet, upload it back as progress reports),
# asked with the agency as the object: the director-general for any agency, an officer for their own.
# Each row is still checked with plans.report_milestone on its milestone.
rules.add_perm("spreadsheets.report_by_sheet", is_director | (is_officer & is_own_agency_object))
