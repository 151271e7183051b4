"""The site's own permissions, built on the shared predicates in agencies/rules.py."""

import rules

from agencies.rules import is_director

# The admin is the director-general's (and the secretariat's) tool, whatever else a role may read.
rules.add_perm("prcouncil.open_admin", is_director)

# Login protection (django-axes): the director-general reads the failed and successful logins and
# unlocks a locked-out person (deleting their access attempts: the admin's "Unlock login" action on
# people, or axes' own list of attempts).
for model in ("accessattempt", "accesslog", "accessfailurelog"):
    rules.add_perm(f"axes.view_{model}", is_director)
rules.add_perm("axes.delete_accessattempt", is_director)
rules.add_perm("axes", is_director)
