"""The periodic task that archives the votes ended below their threshold, and the
administration pages where the coordinators read the votes' audit trail."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.proposals import services, tasks
from consultations.proposals.models import Proposal

from .conftest import State, make_proposal

pytestmark = pytest.mark.django_db


def test_the_beat_task_archives_the_ended_votes_once(call, author):
    """The task run by Celery beat archives an ended vote; run again, it changes nothing."""
    ended = make_proposal(
        call, author, voting_closes_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    running = make_proposal(call, author)
    assert tasks.close_expired_votes.delay().get() == 1
    assert tasks.close_expired_votes.delay().get() == 0
    assert Proposal.objects.get(pk=ended.pk).state == State.NOT_ENOUGH_SUPPORT
    assert Proposal.objects.get(pk=running.pk).state == State.VOTING


def test_coordinators_read_the_vote_audit_trail_in_the_admin(
    client, coordinator, citizen, proposal
):
    """A coordinator sees who voted in the administration site, and cannot change it."""
    services.vote_cast(proposal=proposal, user=citizen, is_yes=True, ip_address="192.0.2.7")
    client.force_login(coordinator)
    response = client.get(reverse("admin:proposals_voteauditentry_changelist"))
    assert response.status_code == 200
    assert "192.0.2.7" in response.content.decode()
    vote = proposal.votes.get()
    response = client.post(reverse("admin:proposals_vote_change", args=[vote.pk]), {"is_yes": ""})
    assert response.status_code == 403
    vote.refresh_from_db()
    assert vote.is_yes is True


def test_a_civil_servant_does_not_see_the_votes_in_the_admin(client, civil_servant):
    client.force_login(civil_servant)
    response = client.get(reverse("admin:proposals_vote_changelist"))
    assert response.status_code in (302, 403)
