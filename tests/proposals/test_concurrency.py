"""Votes counted right under concurrency, on PostgreSQL: 200 people vote at the same
time, each in their own connection; none is lost, none is counted twice, and exactly one
vote (the one that reaches the threshold) refers the proposal."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from consultations.proposals import services
from consultations.proposals.models import Proposal, ProposalEvent, Vote, VoteAuditEntry

from .conftest import State, make_proposal, voters

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 200
WORKERS = 20


def _race(proposal, people, choices):
    """The votes are cast at the same time by WORKERS threads, each with its own
    database connection (the server is shared: 200 connections at once would take all
    of them), all released together by a barrier. Returns the results and the
    refusals, by person."""
    barrier = threading.Barrier(WORKERS)
    results, refused, errors = {}, {}, []
    ballots = list(zip(people, choices, strict=True))
    shares = [ballots[index::WORKERS] for index in range(WORKERS)]

    def work(share):
        try:
            barrier.wait()
            for person, is_yes in share:
                try:
                    results[person.pk] = services.vote_cast(
                        proposal=Proposal.objects.get(pk=proposal.pk), user=person, is_yes=is_yes
                    )
                except ValidationError as error:
                    refused[person.pk] = error
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results, refused


@pytest.fixture
def race_ready(settings, call):
    if connection.vendor != "postgresql":
        pytest.fail("The concurrency test needs PostgreSQL (DATABASE_URL).")
    settings.PROPOSAL_VOTES_PER_MINUTE = 1000
    return call


def test_200_concurrent_votes_none_lost_none_twice(race_ready, author):
    """With a threshold above the race, every one of 200 votes (150 yes, 50 no) is
    counted once, and the totals equal the votes stored."""
    call = race_ready
    call.threshold = 1000
    call.save()
    proposal = make_proposal(call, author)
    people = voters(VOTERS)
    choices = [index % 4 != 0 for index in range(VOTERS)]
    results, refused = _race(proposal, people, choices)
    assert refused == {}
    assert len(results) == VOTERS
    proposal.refresh_from_db()
    assert proposal.yes_count == 150 and proposal.no_count == 50
    assert Vote.objects.filter(proposal=proposal).count() == VOTERS
    assert VoteAuditEntry.objects.filter(proposal=proposal).count() == VOTERS


def test_the_threshold_is_crossed_exactly_by_the_vote_that_reaches_it(race_ready, author):
    """200 yes votes race towards a threshold of 120: exactly one vote reports that it
    reached the threshold, the proposal is referred once with exactly 120 yes votes, and
    the 80 that came after are refused with a clear message (the vote is over)."""
    call = race_ready
    call.threshold = 120
    call.save()
    proposal = make_proposal(call, author)
    people = voters(VOTERS)
    results, refused = _race(proposal, people, [True] * VOTERS)
    reached = [pk for pk, result in results.items() if result.reached]
    assert len(reached) == 1
    assert len(results) == 120 and len(refused) == 80
    proposal.refresh_from_db()
    assert proposal.state == State.REFERRED
    assert proposal.yes_count == 120 == Vote.objects.filter(proposal=proposal).count()
    assert ProposalEvent.objects.filter(proposal=proposal, to_state=State.REFERRED).count() == 1
    # The vote that reached it is the last one counted.
    last = VoteAuditEntry.objects.filter(proposal=proposal).order_by("-pk").first()
    assert last.user_id == reached[0]
