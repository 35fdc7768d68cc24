"""Permissions of the public API: personal tokens are for verified users (citizens), and
each user manages only their own; coordinators see every token in the administration
site and may revoke one that is misused."""

import rules

from conect.accounts.rules import is_coordinator, is_verified


@rules.predicate
def is_token_owner(user, token):
    return token is not None and user.is_authenticated and token.user_id == user.pk


rules.add_perm("api.manage_tokens", is_verified)
rules.add_perm("api.revoke_token", (is_verified & is_token_owner) | is_coordinator)
# The administration site (the module, the list of tokens, the revoke action).
rules.add_perm("api", is_coordinator)
rules.add_perm("api.view_apitoken", is_coordinator)
rules.add_perm("api.revoke_any_token", is_coordinator)
