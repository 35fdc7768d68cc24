"""Permissions on institutions, officials and advisory structures, as a grid of every
role against every state of the record."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from registry.models import AdvisoryStructure, MembershipApplication, MembershipCall

from .test_institutions_fixtures import *  # noqa: F403

ROLES = [
    "anonymous",
    "unverified_user",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "pending_staff",
    "civil_servant",
    "other_civil_servant",
    "institution_admin",
    "coordinator",
]
MANAGERS = {"civil_servant", "institution_admin", "coordinator"}
ADMINS = {"institution_admin", "coordinator"}


def _user(request, role):
    if role == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(role)


def _grid(request, perm, obj, allowed):
    """Every role: the permission is given exactly to the roles in `allowed`."""
    results = {role: _user(request, role).has_perm(perm, obj) for role in ROLES}
    assert {role for role, ok in results.items() if ok} == set(allowed), perm


def test_join_institution(request, institution):
    """Any verified user who is not already staff (or waiting) may ask to join."""
    _grid(
        request,
        "registry.join_institution",
        institution,
        {"citizen", "ngo_member", "ngo_admin", "other_civil_servant", "coordinator"},
    )


@pytest.mark.parametrize("perm", ["registry.change_institution", "registry.manage_staff"])
def test_change_institution_and_manage_staff(request, institution, perm):
    """Only the institution's administrators and the coordinators; a pending request or
    plain staff membership is not enough."""
    _grid(request, perm, institution, ADMINS)


def test_add_institution(request, db):
    _grid(request, "registry.add_institution", None, {"coordinator"})


@pytest.mark.parametrize("state", ["institution", "awaiting", "published", "removed"])
def test_manage_officials(
    request, institution, official, published_official, removed_official, state
):
    """The institution's approved staff and the coordinators manage its officials, in any
    state except removed, which nobody can change any more."""
    obj = {
        "institution": institution,
        "awaiting": official,
        "published": published_official,
        "removed": removed_official,
    }[state]
    _grid(request, "registry.manage_officials", obj, set() if state == "removed" else MANAGERS)


@pytest.mark.parametrize("state", ["awaiting", "declined", "published", "removed"])
def test_view_official(request, official, published_official, removed_official, state):
    """Everyone sees a published official; only the staff and coordinators see the others."""
    if state == "declined":
        official.declined_at = timezone.now()
        official.save()
    obj = {
        "awaiting": official,
        "declined": official,
        "published": published_official,
        "removed": removed_official,
    }[state]
    _grid(request, "registry.view_official", obj, set(ROLES) if state == "published" else MANAGERS)


@pytest.mark.parametrize("status", ["active", "inactive", "dissolved"])
def test_structure_permissions(request, structure, status):
    """Staff edit their structures in any state; seats, calls and meetings are only added
    while the structure is not dissolved (calls: only while active)."""
    structure.status = status
    structure.save()
    _grid(request, "registry.manage_structures", structure, MANAGERS)
    _grid(request, "registry.view_applications", structure, MANAGERS)
    _grid(request, "registry.manage_seats", structure, MANAGERS if status != "dissolved" else set())
    _grid(request, "registry.add_meeting", structure, MANAGERS if status != "dissolved" else set())
    _grid(request, "registry.create_call", structure, MANAGERS if status != "dissolved" else set())


def test_manage_structures_of_an_institution(request, institution):
    _grid(request, "registry.manage_structures", institution, MANAGERS)


@pytest.mark.parametrize("state", ["open", "not_yet_open", "past", "closed", "dissolved"])
def test_apply_to_call(request, open_call, today, state):
    """Only an administrator of a verified organisation, and only while the call is open
    between its dates and its structure active."""
    import datetime

    if state == "not_yet_open":
        open_call.opens_on = today + datetime.timedelta(days=1)
    elif state == "past":
        open_call.opens_on, open_call.closes_on = (
            today - datetime.timedelta(days=9),
            today - datetime.timedelta(days=1),
        )
    elif state == "closed":
        open_call.status = MembershipCall.Status.CLOSED
    elif state == "dissolved":
        open_call.structure.status = AdvisoryStructure.Status.DISSOLVED
        open_call.structure.save()
    open_call.save()
    _grid(request, "registry.apply_to_call", open_call, {"ngo_admin"} if state == "open" else set())


def test_admin_of_a_pending_organisation_cannot_apply(open_call, pending_org_admin):
    assert not pending_org_admin.has_perm("registry.apply_to_call", open_call)


@pytest.mark.parametrize("status", ["open", "closed"])
def test_change_call(request, open_call, status):
    open_call.status = status
    open_call.save()
    _grid(request, "registry.change_call", open_call, MANAGERS if status == "open" else set())


@pytest.mark.parametrize("status", ["pending", "accepted", "rejected"])
def test_decide_application(request, open_call, organisation, status):
    application = MembershipApplication.objects.create(
        call=open_call, organisation=organisation, motivation="x", status=status
    )
    _grid(
        request,
        "registry.decide_application",
        application,
        MANAGERS if status == "pending" else set(),
    )


def test_view_history(request, institution):
    _grid(request, "registry.view_history", institution, {"coordinator"})
