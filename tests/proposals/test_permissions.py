"""Who may do what, as a grid: every role against every state of a proposal (and of a
call, for proposing).

Roles: anonymous, a user whose address is not confirmed, a citizen, the proposal's
author, an NGO member, an NGO administrator, a civil servant of the institution that
opened the call, a civil servant of another institution, a member of the call's
evaluation group, a coordinator.
States: the nine of the workflow, plus a vote whose window has ended (not yet archived by
the beat) and a decided proposal that was rejected.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from consultations.proposals.models import Proposal, ProposalCall

from .conftest import State, make_call, make_proposal

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "unverified_user",
    "citizen",
    "author",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "other_civil_servant",
    "evaluator",
    "coordinator",
]
VERIFIED = set(ROLES) - {"anonymous", "unverified_user"}
STATES = [
    "pending",
    "changes_requested",
    "rejected",
    "merged",
    "voting",
    "voting_expired",
    "referred",
    "decided",
    "decided_rejected",
    "implemented",
    "not_enough_support",
]
ALL = set(STATES)
PUBLIC = {
    "merged",
    "voting",
    "voting_expired",
    "referred",
    "decided",
    "decided_rejected",
    "implemented",
    "not_enough_support",
}
DISCUSSED = {"voting", "voting_expired", "referred", "decided", "decided_rejected", "implemented"}


def only(role, *states):
    return {role: set(states)}


# perm → {role: states in which the role has it}; a missing role has it nowhere.
GRID = {
    "view_proposal": {
        **dict.fromkeys(ROLES, PUBLIC),
        "author": ALL,
        "civil_servant": ALL,
        "coordinator": ALL,
    },
    "change_proposal": only("author", "pending", "changes_requested"),
    "moderate_proposal": only("civil_servant", "pending", "changes_requested"),
    "vote_proposal": {key: {"voting"} for key in VERIFIED},
    "comment_proposal": dict.fromkeys(VERIFIED, DISCUSSED),
    "follow_proposal": dict.fromkeys(VERIFIED, PUBLIC),
    "schedule_proposal": only("civil_servant", "referred"),
    "decide_proposal": only("civil_servant", "referred"),
    "update_implementation": only("civil_servant", "decided"),
    "evaluate_proposal": only("evaluator", "implemented"),
}


def _proposal(call, author, name) -> Proposal:
    if name == "voting_expired":
        return make_proposal(
            call,
            author,
            State.VOTING,
            voting_closes_at=timezone.now() - datetime.timedelta(hours=1),
        )
    if name == "decided_rejected":
        return make_proposal(call, author, State.DECIDED, decision=Proposal.Decision.REJECTED)
    return make_proposal(call, author, State(name))


@pytest.fixture
def people(request):
    users = {"anonymous": AnonymousUser()}
    for role in ROLES[1:]:
        users[role] = request.getfixturevalue(role)
    return users


@pytest.mark.parametrize("state", STATES)
def test_role_by_state_grid(state, call, author, people):
    """Each role has each permission in exactly the states the grid says, and no other."""
    proposal = _proposal(call, author, state)
    wrong = []
    for perm, grants in GRID.items():
        for role in ROLES:
            user = people[role]
            expected = state in grants.get(role, set())
            if user.has_perm(f"proposals.{perm}", proposal) != expected:
                wrong.append(f"{role} {'lacks' if expected else 'has'} {perm}")
    assert wrong == []


def test_only_coordinators_see_who_voted(people):
    """Who voted is seen by the coordinators only: not by the institution, not by the
    author, not by the public."""
    allowed = {role for role in ROLES if people[role].has_perm("proposals.view_votes")}
    assert allowed == {"coordinator"}


CALL_STATES = ["draft", "open", "open_not_started", "open_ended", "closed"]
CALL_GRID = {
    "view_call": {
        **{key: {"open", "open_not_started", "open_ended", "closed"} for key in ROLES},
        "civil_servant": set(CALL_STATES),
        "coordinator": set(CALL_STATES),
    },
    "manage_call": {"civil_servant": set(CALL_STATES)},
    "add_proposal": {key: {"open"} for key in VERIFIED - {"civil_servant"}},
}


def _call(institution, structure, name) -> ProposalCall:
    today = timezone.localdate()
    if name == "open_not_started":
        return make_call(
            institution, structure, submissions_open_on=today + datetime.timedelta(days=3)
        )
    if name == "open_ended":
        return make_call(
            institution,
            structure,
            is_permanent=False,
            submissions_open_on=today - datetime.timedelta(days=30),
            submissions_close_on=today - datetime.timedelta(days=1),
        )
    return make_call(institution, structure, state=name)


@pytest.mark.parametrize("state", CALL_STATES)
def test_call_role_by_state_grid(state, institution, structure, people):
    """Who may see a call, manage it and propose to it, in each of its states."""
    call = _call(institution, structure, state)
    wrong = []
    for perm, grants in CALL_GRID.items():
        for role in ROLES:
            expected = state in grants.get(role, set())
            if people[role].has_perm(f"proposals.{perm}", call) != expected:
                wrong.append(f"{role} {'lacks' if expected else 'has'} {perm}")
    assert wrong == []


def test_only_civil_servants_open_calls(people):
    allowed = {role for role in ROLES if people[role].has_perm("proposals.add_call")}
    assert allowed == {"civil_servant", "other_civil_servant"}
