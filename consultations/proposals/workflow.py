"""The life of a proposal, listed once: each transition, the states it leaves, the state
it reaches. The services apply them; the rules offer an action only from its sources."""

from dataclasses import dataclass

from .models import Proposal

State = Proposal.State


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str


TRANSITIONS = {
    t.name: t
    for t in (
        # The institution's moderation, before votes open.
        Transition("accept", (State.PENDING,), State.VOTING),
        Transition("request_changes", (State.PENDING,), State.CHANGES_REQUESTED),
        Transition("reject", (State.PENDING, State.CHANGES_REQUESTED), State.REJECTED),
        Transition("merge", (State.PENDING, State.CHANGES_REQUESTED), State.MERGED),
        # The author sends the changed proposal back to the moderators.
        Transition("resubmit", (State.CHANGES_REQUESTED,), State.PENDING),
        # The vote: the threshold reached inside the window, or the window ended below it.
        Transition("refer", (State.VOTING,), State.REFERRED),
        Transition("archive", (State.VOTING,), State.NOT_ENOUGH_SUPPORT),
        # The structure's answer and the follow-up.
        Transition("decide", (State.REFERRED,), State.DECIDED),
        Transition("implement", (State.DECIDED,), State.IMPLEMENTED),
    )
}

MODERATION_ACTIONS = ("accept", "request_changes", "reject", "merge")


def allowed(name: str, state: str) -> bool:
    return state in TRANSITIONS[name].sources
