"""Permissions on institutions, their staff, officials and advisory structures."""

import rules

from conect.accounts.rules import is_coordinator, is_verified

from .predicates import is_institution_admin, is_institution_staff

rules.add_perm("registry.join_institution", is_verified)
rules.add_perm("registry.change_institution", is_institution_admin | is_coordinator)
rules.add_perm("registry.manage_officials", is_institution_staff | is_coordinator)
rules.add_perm("registry.manage_structures", is_institution_staff | is_coordinator)
rules.add_perm("registry.view_history", is_coordinator)
