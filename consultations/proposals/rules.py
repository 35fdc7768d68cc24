"""Every permission on calls for proposals and proposals, by name. Views, the API and
templates ask these (`user.has_perm("proposals.vote_proposal", proposal)`).

The institution that opens a call moderates its proposals and publishes the structure's
answer; coordinators (SGG) see everything, and are the only ones who see who voted.
"""

import rules

from conect.accounts.rules import is_authenticated, is_coordinator, is_verified
from registry.models import Institution
from registry.rules.predicates import is_civil_servant, is_institution_staff

from . import workflow
from .models import Proposal, ProposalCall

State = Proposal.State


@rules.predicate
def is_call_staff(user, call):
    """An approved civil servant of the institution that owns the call."""
    if call is None:
        return False
    return is_institution_staff(user, Institution(pk=call.institution_id))


@rules.predicate
def is_public_call(user, call):
    return call is not None and call.state in ProposalCall.PUBLIC_STATES


@rules.predicate
def is_accepting_proposals(user, call):
    return call is not None and call.is_accepting()


@rules.predicate
def is_proposal_staff(user, proposal):
    return proposal is not None and is_call_staff(user, proposal.call)


@rules.predicate
def is_public_proposal(user, proposal):
    return proposal is not None and proposal.state in Proposal.PUBLIC_STATES


@rules.predicate
def is_proposal_author(user, proposal):
    return bool(proposal is not None and is_authenticated(user) and proposal.author_id == user.pk)


@rules.predicate
def is_voting_open(user, proposal):
    return proposal is not None and proposal.is_voting_open


@rules.predicate
def is_call_evaluator(user, proposal):
    from .services import is_evaluator

    return proposal is not None and is_evaluator(user, proposal.call)


def state_in(*states):
    name = "proposal_state_in_" + "_".join(states)

    @rules.predicate(name)
    def predicate(user, proposal):
        return proposal is not None and proposal.state in states

    return predicate


def transition_allowed(name):
    return state_in(*workflow.TRANSITIONS[name].sources)


@rules.predicate
def is_implementable(user, proposal):
    return (
        proposal is not None
        and proposal.state == State.DECIDED
        and proposal.decision != Proposal.Decision.REJECTED
    )


# --- Calls --------------------------------------------------------------------------
rules.add_perm("proposals.add_call", is_civil_servant)
rules.add_perm("proposals.view_call", is_public_call | is_call_staff | is_coordinator)
rules.add_perm("proposals.view_proposalcall", is_coordinator)  # the administration site
rules.add_perm("proposals.manage_call", is_call_staff)

# --- Proposals ----------------------------------------------------------------------
rules.add_perm("proposals.add_proposal", is_verified & is_accepting_proposals & ~is_call_staff)
rules.add_perm(
    "proposals.view_proposal",
    is_public_proposal | is_proposal_author | is_proposal_staff | is_coordinator,
)
rules.add_perm(
    "proposals.change_proposal",
    is_proposal_author & state_in(State.PENDING, State.CHANGES_REQUESTED),
)
# Any moderation the workflow allows from the state: accept or ask for changes while it
# waits; reject or merge also when the author was asked for changes and has not answered.
rules.add_perm(
    "proposals.moderate_proposal",
    is_proposal_staff
    & state_in(
        *dict.fromkeys(
            source
            for name in workflow.MODERATION_ACTIONS
            for source in workflow.TRANSITIONS[name].sources
        )
    ),
)
rules.add_perm("proposals.view_moderation_log", is_call_staff | is_coordinator)
rules.add_perm("proposals.vote_proposal", is_verified & is_voting_open)
rules.add_perm(
    "proposals.comment_proposal",
    is_verified & state_in(State.VOTING, State.REFERRED, State.DECIDED, State.IMPLEMENTED),
)
rules.add_perm("proposals.follow_proposal", is_verified & is_public_proposal)
# Who voted: the coordinators only, never the public, the institution or the API.
rules.add_perm("proposals.view_votes", is_coordinator)

# --- The structure's answer and the follow-up ---------------------------------------
rules.add_perm("proposals.schedule_proposal", is_proposal_staff & state_in(State.REFERRED))
rules.add_perm("proposals.decide_proposal", is_proposal_staff & transition_allowed("decide"))
rules.add_perm("proposals.update_implementation", is_proposal_staff & is_implementable)
# The state first: the evaluation group is read only for an implemented proposal.
rules.add_perm("proposals.evaluate_proposal", state_in(State.IMPLEMENTED) & is_call_evaluator)

# The administration site (read-only for coordinators, see admin.py).
for _model in (
    "vote",
    "voteauditentry",
    "proposalmoderationlogentry",
    "proposalnotification",
):
    rules.add_perm(f"proposals.view_{_model}", is_coordinator)
