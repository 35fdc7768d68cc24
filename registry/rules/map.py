"""Permissions of the national map and the coordinators' dashboard. The map itself is
public; the dashboard is for the General Secretariat's coordinators (and superusers)."""

import rules

from conect.accounts.rules import is_coordinator

rules.add_perm("registry.view_dashboard", is_coordinator)
