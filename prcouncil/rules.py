"""The site's own permissions, built on the shared predicates in agencies/rules.py."""

import rules

from agencies.rules import is_director

# The admin is the director-general's (and the secretariat's) tool, whatever else a role may read.
rules.add_perm("prcouncil.open_admin", is_director)
