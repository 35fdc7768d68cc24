"""Permissions on domains, organisations, their members, verification and import."""

import rules

from conect.accounts.rules import is_coordinator, is_verified

from .predicates import is_organisation_admin, is_organisation_member  # noqa: F401

rules.add_perm("registry.add_organisation", is_verified)
rules.add_perm("registry.change_organisation", is_organisation_admin | is_coordinator)
rules.add_perm("registry.view_verification_queue", is_coordinator)
rules.add_perm("registry.verify_organisation", is_coordinator)
rules.add_perm("registry.import_registry", is_coordinator)
