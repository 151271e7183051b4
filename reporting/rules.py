"""The reporting app's permissions, built on the shared predicates in agencies/rules.py."""

import rules

from agencies.rules import is_director, is_officer, is_own_agency_object, reads_everything

# --- officer reporting (issue 3): agency pages, report form, review queue --------------
# An agency's "my agency" page: readers of everything may open any agency's, an officer only their own.
rules.add_perm("reporting.view_agency_page", reads_everything | (is_officer & is_own_agency_object))
# The review queue (and its count in the navigation bar): the director-general / secretariat.
rules.add_perm("reporting.view_review_queue", is_director)
# Downloading a piece of evidence asks plans.view_milestone on the evidence's milestone (above).
