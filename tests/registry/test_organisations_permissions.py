"""Permissions on organisations as a grid: every role against every status."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conect.accounts.models import User
from registry.models import Organisation
from registry.rules.predicates import is_ngo_representative, is_organisation_member

Status = Organisation.Status
ROLES = [
    "anonymous",
    "citizen",
    "unverified_user",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "coordinator",
    "superuser",
]
STATUSES = [Status.IMPORTED, Status.PENDING, Status.VERIFIED, Status.REJECTED, Status.SUSPENDED]
ALL = set(STATUSES)
PUBLIC = {Status.IMPORTED, Status.VERIFIED}
ADMINISTRABLE = {Status.IMPORTED, Status.PENDING, Status.VERIFIED}


def user_for(request, role):
    """A fresh copy of the role's user, so that no cached role leaks between checks."""
    if role == "anonymous":
        return AnonymousUser()
    user = request.getfixturevalue(role)
    return User.objects.get(pk=user.pk)


def set_status(organisation, status):
    Organisation.objects.filter(pk=organisation.pk).update(status=status)
    organisation.refresh_from_db()


# perm → {role: statuses where the role has it}
OBJECT_GRID = {
    "registry.view_organisation": {
        "anonymous": PUBLIC,
        "citizen": PUBLIC,
        "unverified_user": PUBLIC,
        "ngo_member": ALL,
        "ngo_admin": ALL,
        "civil_servant": PUBLIC,
        "coordinator": ALL,
        "superuser": ALL,
    },
    "registry.change_organisation": {
        "ngo_admin": ADMINISTRABLE,
        "coordinator": ALL,
        "superuser": ALL,
    },
    "registry.manage_members": {
        "ngo_admin": ADMINISTRABLE,
        "coordinator": ALL,
        "superuser": ALL,
    },
    "registry.leave_organisation": {
        "ngo_member": ALL,
        "ngo_admin": ALL,
        "superuser": ALL,
    },
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(OBJECT_GRID))
def test_object_permission_grid(request, organisation, perm, role, status):
    """Who sees, edits and administers an organisation depends on their role and on the
    organisation's status: rejected and suspended organisations cannot be administered
    by their own members, only their members and coordinators see non-public ones."""
    # Both membership fixtures exist for every role, so that roles differ only by user.
    request.getfixturevalue("ngo_member")
    request.getfixturevalue("ngo_admin")
    set_status(organisation, status)
    user = user_for(request, role)
    expected = status in OBJECT_GRID[perm].get(role, set())
    assert user.has_perm(perm, organisation) is expected


MODEL_GRID = {
    "registry.add_organisation": {
        "citizen",
        "ngo_member",
        "ngo_admin",
        "civil_servant",
        "coordinator",
        "superuser",
    },
    "registry.claim_organisation": {
        "citizen",
        "ngo_member",
        "ngo_admin",
        "civil_servant",
        "coordinator",
        "superuser",
    },
    "registry.view_verification_queue": {"coordinator", "superuser"},
    "registry.verify_organisation": {"coordinator", "superuser"},
    "registry.add_domain": {"coordinator", "superuser"},
    "registry.change_domain": {"coordinator", "superuser"},
    "registry.delete_domain": {"superuser"},
    "registry.view_history": {"coordinator", "superuser"},
    "registry.view_domain": set(ROLES),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(MODEL_GRID))
def test_model_permission_grid(request, perm, role):
    """Registering needs a verified e-mail; verifying, the queue, the domains and the
    history belong to coordinators."""
    user = user_for(request, role)
    assert user.has_perm(perm) is (role in MODEL_GRID[perm])


@pytest.mark.parametrize("status", STATUSES)
def test_only_verified_or_imported_organisations_act(request, organisation, status):
    """Members of a pending, rejected or suspended organisation are not NGO
    representatives on the platform (they cannot take part in its name)."""
    request.getfixturevalue("ngo_admin")
    set_status(organisation, status)
    admin = User.objects.get(email="admin@ngo.example.org")
    assert is_ngo_representative(admin) is (status in PUBLIC)
    assert is_organisation_member(admin, organisation) is (status in PUBLIC)
