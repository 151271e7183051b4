"""The plans app's permissions, built on the shared predicates in agencies/rules.py."""

import rules

from agencies.rules import is_author, is_director, is_member, is_officer, is_own_agency_object, reads_everything

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

rules.add_perm("plans", is_director)
