"""The api app's permissions: API tokens are managed by the director-general in the admin.

What the API's endpoints show is decided by the other apps' rules and querysets (visible_to):
this app adds no permission of its own for reading.
"""

import rules

from agencies.rules import is_director, is_member

for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"api.{action}_apitoken", is_director)
rules.add_perm("api", is_director)
# Everyone with a role makes and revokes their own tokens on their tokens page (ApiToken.objects.owned_by).
rules.add_perm("api.manage_own_tokens", is_member)
