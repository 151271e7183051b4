"""The spreadsheets app's permissions, built on the shared predicates in agencies/rules.py."""

import rules

from agencies.rules import is_director, is_member, is_officer, is_own_agency_object

# --- progress spreadsheets (issue 5) --------------------------------------------------
# Downloading the progress workbook: anyone with a role; its rows are narrowed by agency_filter.
rules.add_perm("spreadsheets.export_progress", is_member)
# The per-agency round trip (download a pre-filled sheet, upload it back as progress reports),
# asked with the agency as the object: the director-general for any agency, an officer for their own.
# Each row is still checked with plans.report_milestone on its milestone.
rules.add_perm("spreadsheets.report_by_sheet", is_director | (is_officer & is_own_agency_object))
# The navbar's "progress sheet" link: an officer (who has an agency); the sheet itself asks report_by_sheet.
rules.add_perm("spreadsheets.open_agency_sheet", is_officer)
