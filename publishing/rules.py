"""The publishing app's permissions, built on the shared predicates in agencies/rules.py.

The director-general drafts, edits, previews and publishes bulletins and adds errata; everyone else,
anonymous visitors included, reads published bulletins only (the public views read
Bulletin.objects.published(), never a draft). The admin shows bulletins, narratives and errata read-only:
every write goes through publishing/services.py from the director's pages.
"""

import rules

from agencies.rules import is_director


@rules.predicate
def is_draft(user, bulletin):
    return bulletin is not None and not bulletin.is_published


@rules.predicate
def is_published(user, bulletin):
    return bulletin is not None and bulletin.is_published


rules.add_perm("publishing.manage_bulletins", is_director)
rules.add_perm("publishing.edit_bulletin", is_director & is_draft)
rules.add_perm("publishing.publish_bulletin", is_director & is_draft)
rules.add_perm("publishing.correct_bulletin", is_director & is_published)

for model in ("bulletin", "goalnarrative", "erratum"):
    rules.add_perm(f"publishing.view_{model}", is_director)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"publishing.{action}_{model}", rules.always_deny)
rules.add_perm("publishing", is_director)
