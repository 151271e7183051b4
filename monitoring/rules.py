"""Who may see and change the website monitoring, built on agencies.rules' shared predicates.

A site's freshness is public within the council (every member reads every agency's figures, as on the
plan pages); only the director-general edits where an agency's news is looked for.
"""

import rules

from agencies.rules import is_director, is_member

rules.add_perm("monitoring.view_websites", is_member)
rules.add_perm("monitoring.edit_sources", is_director)

# The admin: the director-general reads the checks and edits the sources; checks are never edited.
rules.add_perm("monitoring", is_director)
for model in ("websitesource", "websitecheck", "newsitem"):
    rules.add_perm(f"monitoring.view_{model}", is_director)
for action in ("add", "change", "delete"):
    rules.add_perm(f"monitoring.{action}_websitesource", is_director)
