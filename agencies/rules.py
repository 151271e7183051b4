"""Who may see and change what: the shared predicates every app's rules are built on.

Each app declares its own permissions in its own rules.py (plans/rules.py, reporting/rules.py,
spreadsheets/rules.py, evaluations/rules.py, prcouncil/rules.py) from the predicates here; this
module declares the agencies app's. Views, forms, downloads, exports, templates, the navbar and the
admin all ask these permissions (through `user.has_perm(...)`, `rules.has_perm(...)` or the
`{% has_perm %}` tag) or the scope functions below (which querysets use to narrow what a person
sees). Nothing else decides.

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


# --- agencies, counties and memberships: the director-general manages them -----------
for model in ("agency", "county", "membership"):
    rules.add_perm(f"agencies.view_{model}", is_director)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"agencies.{action}_{model}", is_director)

# Opening the admin's index for these apps.
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


def own_agency_id(user):
    """The agency an officer speaks for (None for every other role)."""
    return agency_id_of(user) if is_officer(user) else None
