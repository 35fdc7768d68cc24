"""The life of a proposal through its services: proposing, moderation, votes, the
threshold, the archive by the clock, the structure's answer and the follow-up."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultations.models import NotificationPreference
from consultations.proposals import services
from consultations.proposals.models import (
    ImplementationStep,
    Proposal,
    ProposalCall,
    ProposalEvent,
    ProposalModerationLogEntry,
    ProposalNotification,
    Vote,
    VoteAuditEntry,
)

from .conftest import State, make_call, make_proposal, voters

pytestmark = pytest.mark.django_db


def _submit(call, author, **extra):
    values = {
        "title": "Transport gratuit pentru elevi",
        "problem": "Navetiștii plătesc mult.",
        "body": "Abonamente gratuite.",
        "expected_effect": "Mai mulți elevi la școală.",
    }
    values.update(extra)
    return services.proposal_submit(call=call, author=author, **values)


# --- Calls -------------------------------------------------------------------------


def test_a_civil_servant_opens_a_draft_call_and_publishes_it(civil_servant, institution, structure):
    """A call starts as a draft that only its institution sees, then opens."""
    call = services.call_create(
        actor=civil_servant,
        institution=institution,
        title="Apel permanent",
        description="Propuneri",
        is_national=True,
        is_permanent=True,
        submissions_open_on=timezone.localdate(),
        vote_days=30,
        threshold=100,
        structure=structure,
        answer_days=45,
    )
    assert call.state == ProposalCall.State.DRAFT
    assert call.description == "<p>Propuneri</p>"
    services.call_publish(call=call, actor=civil_servant)
    assert call.state == ProposalCall.State.OPEN and call.is_accepting()


def test_a_call_needs_an_end_or_to_be_permanent_and_a_place(civil_servant, institution, structure):
    """A call that is neither permanent nor dated, nor national nor placed, is refused
    with a message on each field, and nothing is saved."""
    with pytest.raises(ValidationError) as error:
        services.call_create(
            actor=civil_servant,
            institution=institution,
            title="Apel",
            description="x",
            is_national=False,
            is_permanent=False,
            submissions_open_on=timezone.localdate(),
            structure=structure,
        )
    assert set(error.value.message_dict) == {"submissions_close_on", "counties"}
    assert not ProposalCall.objects.exists()


def test_another_institution_cannot_open_a_call_for_this_one(
    other_civil_servant, institution, structure
):
    with pytest.raises(PermissionDenied):
        services.call_create(
            actor=other_civil_servant,
            institution=institution,
            title="Apel",
            description="x",
            is_national=True,
            is_permanent=True,
            submissions_open_on=timezone.localdate(),
            structure=structure,
        )


def test_the_rules_of_the_vote_are_fixed_once_published(call, civil_servant):
    """Changing the threshold of a published call is refused: votes already cast would
    count for something else."""
    with pytest.raises(ValidationError) as error:
        services.call_update(call=call, actor=civil_servant, threshold=10)
    assert "threshold" in error.value.message_dict
    call.refresh_from_db()
    assert call.threshold == 3


# --- Proposing ------------------------------------------------------------------------


def test_a_verified_user_proposes_and_waits_for_moderation(call, citizen):
    proposal = _submit(call, citizen)
    assert proposal.state == State.PENDING
    assert proposal.search_text.startswith("transport gratuit")
    assert ProposalEvent.objects.filter(proposal=proposal, to_state=State.PENDING).exists()
    # The author follows their own proposal.
    assert proposal.follows.filter(user=citizen).exists()


def test_an_unconfirmed_address_cannot_propose(call, unverified_user):
    with pytest.raises(PermissionDenied):
        _submit(call, unverified_user)
    assert not Proposal.objects.exists()


def test_the_institutions_own_staff_cannot_propose_to_its_call(call, civil_servant):
    with pytest.raises(PermissionDenied):
        _submit(call, civil_servant)


def test_a_closed_call_accepts_no_proposal(call, citizen):
    call.state = ProposalCall.State.CLOSED
    call.save()
    with pytest.raises(ValidationError):
        _submit(call, citizen)


def test_a_dated_call_accepts_proposals_only_within_its_dates(institution, structure, citizen):
    ended = make_call(
        institution,
        structure,
        is_permanent=False,
        submissions_open_on=timezone.localdate() - datetime.timedelta(days=30),
        submissions_close_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        _submit(ended, citizen)


def test_proposing_on_behalf_of_an_organisation_needs_membership(call, citizen, organisation):
    with pytest.raises(ValidationError) as error:
        _submit(call, citizen, organisation=organisation)
    assert "organisation" in error.value.message_dict


def test_proposals_are_rate_limited_per_day(settings, call, citizen):
    """Past PROPOSALS_PER_DAY, a clear message and nothing saved."""
    settings.PROPOSALS_PER_DAY = 2
    _submit(call, citizen)
    _submit(call, citizen, title="A doua propunere")
    with pytest.raises(ValidationError) as error:
        _submit(call, citizen, title="A treia")
    assert error.value.code == "rate_limited"
    assert Proposal.objects.count() == 2


# --- Moderation -----------------------------------------------------------------------


def test_accepting_opens_the_vote_for_the_calls_days(call, citizen, civil_servant):
    proposal = _submit(call, citizen)
    entry = services.proposal_moderate(proposal=proposal, actor=civil_servant, action="accept")
    proposal.refresh_from_db()
    assert proposal.state == State.VOTING and proposal.is_voting_open
    days = (proposal.voting_closes_at - proposal.voting_opens_at).days
    assert days == call.vote_days
    assert entry.action == ProposalModerationLogEntry.Action.ACCEPTED
    assert ProposalNotification.objects.filter(user=citizen, kind="moderated").exists()


def test_asking_for_changes_then_resubmitting_goes_back_to_the_moderators(
    call, citizen, civil_servant
):
    proposal = _submit(call, citizen)
    with pytest.raises(ValidationError):
        services.proposal_moderate(proposal=proposal, actor=civil_servant, action="request_changes")
    services.proposal_moderate(
        proposal=proposal, actor=civil_servant, action="request_changes", reason="Mai clar."
    )
    assert proposal.state == State.CHANGES_REQUESTED
    services.proposal_update(proposal=proposal, actor=citizen, title="Titlu mai clar")
    assert proposal.state == State.PENDING and proposal.title == "Titlu mai clar"


def test_rejection_needs_a_reason_the_author_sees(call, citizen, civil_servant):
    proposal = _submit(call, citizen)
    services.proposal_moderate(
        proposal=proposal, actor=civil_servant, action="reject", reason="În afara temei."
    )
    assert proposal.state == State.REJECTED and proposal.moderation_reason == "În afara temei."


def test_merging_points_to_the_other_proposal_and_tells_the_author(
    call, citizen, author, civil_servant
):
    target = make_proposal(call, author)
    proposal = _submit(call, citizen)
    services.proposal_moderate(
        proposal=proposal, actor=civil_servant, action="merge", merge_into=target, reason="La fel"
    )
    assert proposal.state == State.MERGED and proposal.merged_into == target
    assert target.follows.filter(user=citizen).exists()
    notification = ProposalNotification.objects.get(user=citizen, kind="moderated")
    assert notification.detail == "merged"


def test_another_institution_cannot_moderate(call, citizen, other_civil_servant):
    proposal = _submit(call, citizen)
    with pytest.raises(PermissionDenied):
        services.proposal_moderate(proposal=proposal, actor=other_civil_servant, action="accept")
    proposal.refresh_from_db()
    assert proposal.state == State.PENDING


# --- Votes ----------------------------------------------------------------------------


def test_one_vote_per_person_changeable_with_an_audit_trail(proposal, citizen):
    """Voting again the same way changes nothing; changing the vote moves it from yes to
    no; each cast and change is in the audit trail."""
    first = services.vote_cast(proposal=proposal, user=citizen, is_yes=True, ip_address="1.2.3.4")
    assert first.changed and not first.reached
    again = services.vote_cast(proposal=proposal, user=citizen, is_yes=True)
    assert not again.changed
    services.vote_cast(proposal=proposal, user=citizen, is_yes=False)
    proposal.refresh_from_db()
    assert (proposal.yes_count, proposal.no_count) == (0, 1)
    assert Vote.objects.filter(proposal=proposal).count() == 1
    actions = list(
        VoteAuditEntry.objects.filter(proposal=proposal)
        .order_by("pk")
        .values_list("action", "is_yes")
    )
    assert actions == [("cast", True), ("changed", False)]


def test_the_vote_that_reaches_the_threshold_refers_the_proposal_at_once(
    proposal, structure_member, seated_official
):
    """The third yes vote (threshold 3) sends the proposal to the structure; its members,
    the author and the voters are told; the answer is due answer_days later."""
    people = voters(3)
    results = [services.vote_cast(proposal=proposal, user=u, is_yes=True) for u in people]
    assert [r.reached for r in results] == [False, False, True]
    proposal.refresh_from_db()
    assert proposal.state == State.REFERRED
    assert proposal.answer_due_on == timezone.localdate() + datetime.timedelta(days=60)
    told = set(
        ProposalNotification.objects.filter(kind="referred").values_list("user_id", flat=True)
    )
    assert told == {structure_member.pk, seated_official.pk, proposal.author_id} | {
        u.pk for u in people
    }
    # The vote is over: a fourth person cannot vote any more.
    with pytest.raises(ValidationError):
        services.vote_cast(proposal=proposal, user=voters(1, "late")[0], is_yes=True)


def test_the_calls_answer_date_comes_first_when_it_is_earlier(call, proposal):
    """A call may set a date by which the structure answers: a proposal that reaches the
    threshold is due then, if that comes before the call's number of days."""
    call.answer_by = timezone.localdate() + datetime.timedelta(days=20)
    call.save()
    for person in voters(3):
        services.vote_cast(proposal=proposal, user=person, is_yes=True)
    proposal.refresh_from_db()
    assert proposal.state == State.REFERRED
    assert proposal.answer_due_on == call.answer_by


def test_a_later_or_past_answer_date_leaves_the_days(call, institution, structure):
    """A call's date after the days, or one already past, leaves the days to count."""
    today = timezone.localdate()
    for answer_by in (today + datetime.timedelta(days=90), today - datetime.timedelta(days=1)):
        call.answer_by = answer_by
        call.save()
        proposal = make_proposal(call, voters(1, f"author-{answer_by}")[0], State.VOTING)
        for person in voters(3, f"v-{answer_by}"):
            services.vote_cast(proposal=proposal, user=person, is_yes=True)
        proposal.refresh_from_db()
        assert proposal.answer_due_on == today + datetime.timedelta(days=60)


def test_an_answer_date_before_the_call_opens_is_refused(civil_servant, institution, structure):
    with pytest.raises(ValidationError) as error:
        services.call_create(
            actor=civil_servant,
            institution=institution,
            title="Apel",
            description="x",
            is_national=True,
            is_permanent=True,
            submissions_open_on=timezone.localdate(),
            threshold=100,
            structure=structure,
            answer_by=timezone.localdate(),
        )
    assert "answer_by" in error.value.message_dict
    assert not ProposalCall.objects.filter(title="Apel").exists()


def test_with_net_votes_no_votes_count_against(call, proposal):
    call.count_net_votes = True
    call.save()
    people = voters(5)
    services.vote_cast(proposal=proposal, user=people[0], is_yes=False)
    for person in people[1:4]:
        services.vote_cast(proposal=proposal, user=person, is_yes=True)
    proposal.refresh_from_db()
    assert proposal.state == State.VOTING  # 3 yes - 1 no = 2 < 3
    services.vote_cast(proposal=proposal, user=people[4], is_yes=True)
    proposal.refresh_from_db()
    assert proposal.state == State.REFERRED


def test_votes_need_a_confirmed_address_and_are_rate_limited(
    settings, proposal, call, author, unverified_user
):
    with pytest.raises(PermissionDenied):
        services.vote_cast(proposal=proposal, user=unverified_user, is_yes=True)
    settings.PROPOSAL_VOTES_PER_MINUTE = 2
    call.threshold = 100
    call.save()
    others = [make_proposal(call, author, title=f"P{i}") for i in range(3)]
    person = voters(1)[0]
    services.vote_cast(proposal=others[0], user=person, is_yes=True)
    services.vote_cast(proposal=others[1], user=person, is_yes=True)
    with pytest.raises(ValidationError) as error:
        services.vote_cast(proposal=others[2], user=person, is_yes=True)
    assert error.value.code == "rate_limited"
    assert not Vote.objects.filter(proposal=others[2]).exists()


def test_a_vote_past_the_window_is_refused_and_shown_archived_by_the_clock(proposal, citizen):
    """Before the periodic task runs, the clock already closes the vote and shows the
    proposal as not enough support."""
    proposal.voting_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    proposal.save()
    assert proposal.shown_state == State.NOT_ENOUGH_SUPPORT
    with pytest.raises(ValidationError):
        services.vote_cast(proposal=proposal, user=citizen, is_yes=True)


def test_the_periodic_task_archives_what_closed_below_the_threshold(proposal, citizen):
    services.vote_cast(proposal=proposal, user=citizen, is_yes=True)
    Proposal.objects.filter(pk=proposal.pk).update(
        voting_closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.close_expired_votes() == 1
    assert services.close_expired_votes() == 0  # a second run changes nothing
    proposal.refresh_from_db()
    assert proposal.state == State.NOT_ENOUGH_SUPPORT
    assert ProposalNotification.objects.filter(user=citizen, kind="archived").exists()


# --- The structure's answer -----------------------------------------------------------


def test_putting_on_a_meetings_agenda_invites_the_author_in_person(
    call, author, citizen, civil_servant, meeting, django_capture_on_commit_callbacks
):
    """On the agenda of a meeting of the structure: the author gets a personal
    invitation to present the proposal, with the meeting's date and place; those who
    voted or follow hear that it is on the agenda."""
    proposal = make_proposal(call, author, State.REFERRED)
    services.proposal_follow(proposal=proposal, user=citizen)
    author.preferred_language = "en"
    author.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_schedule(proposal=proposal, actor=civil_servant, meeting=meeting)
    meeting.refresh_from_db()
    assert proposal.meeting == meeting
    assert proposal.title in meeting.agenda
    kinds = dict(ProposalNotification.objects.values_list("user_id", "kind"))
    assert kinds == {author.pk: "invited", citizen.pk: "scheduled"}
    by_address = {message.to[0]: message.body for message in mail.outbox}
    when = timezone.localtime(meeting.held_at)
    assert "You are invited to present your proposal" in by_address[author.email]
    assert "Sala mare" in by_address[author.email]
    assert str(when.year) in by_address[author.email]
    assert "its author is invited to present it" in by_address[citizen.email]


def test_an_online_meeting_invites_the_author_with_its_link(
    call, author, civil_servant, structure, django_capture_on_commit_callbacks
):
    """A meeting held only online: the author's invitation gives its link."""
    from registry.models import Meeting

    online = Meeting.objects.create(
        structure=structure,
        held_at=timezone.now() + datetime.timedelta(days=7),
        online_link="https://meet.example.ro/consiliu",
        agenda="<p>Ordinea de zi</p>",
    )
    proposal = make_proposal(call, author, State.REFERRED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_schedule(proposal=proposal, actor=civil_servant, meeting=online)
    assert [message.to for message in mail.outbox] == [[author.email]]
    assert "https://meet.example.ro/consiliu" in mail.outbox[0].body


def test_a_meeting_of_another_structure_is_refused(
    call, author, civil_servant, institution, meeting
):
    from registry.models import AdvisoryStructure, Meeting

    other = AdvisoryStructure.objects.create(
        institution=institution, name="Alt grup", kind="working_group", territorial_level="national"
    )
    elsewhere = Meeting.objects.create(
        structure=other, held_at=meeting.held_at, location="x", agenda="<p>x</p>"
    )
    proposal = make_proposal(call, author, State.REFERRED)
    with pytest.raises(ValidationError):
        services.proposal_schedule(proposal=proposal, actor=civil_servant, meeting=elsewhere)


def test_decision_then_steps_until_implemented(call, author, civil_servant):
    """The decision with its reasons; the steps, with owner and dates, updated until all
    are done, when the proposal is implemented; the supporters hear of each step."""
    proposal = make_proposal(call, author, State.REFERRED)
    with pytest.raises(ValidationError):
        services.proposal_decide(
            proposal=proposal, actor=civil_servant, decision="accepted", reasons=""
        )
    services.proposal_decide(
        proposal=proposal,
        actor=civil_servant,
        decision="partially_accepted",
        reasons="Parțial fezabil.",
        minutes="Procesul-verbal.",
    )
    assert proposal.state == State.DECIDED and proposal.decided_at is not None
    today = timezone.localdate()
    steps = [
        services.step_add(
            proposal=proposal,
            actor=civil_servant,
            description=f"Pasul {n}",
            owner="Direcția generală",
            starts_on=today,
            due_on=today + datetime.timedelta(days=30),
        )
        for n in (1, 2)
    ]
    services.step_update(step=steps[0], actor=civil_servant, status="done")
    proposal.refresh_from_db()
    assert proposal.state == State.DECIDED
    services.step_update(step=steps[1], actor=civil_servant, status="done")
    proposal.refresh_from_db()
    assert proposal.state == State.IMPLEMENTED
    assert steps[1].done_on == today
    kinds = set(ProposalNotification.objects.filter(user=author).values_list("kind", flat=True))
    assert {"decided", "step", "implemented"} <= kinds
    # Each step is news when it is planned and when it moves on.
    keys = set(ProposalNotification.objects.filter(user=author).values_list("event_key", flat=True))
    for step in steps:
        assert {f"proposal-step:{step.pk}:added", f"proposal-step:{step.pk}:done"} <= keys


def test_a_rejected_proposal_has_no_implementation_steps(call, author, civil_servant):
    proposal = make_proposal(call, author, State.DECIDED, decision=Proposal.Decision.REJECTED)
    with pytest.raises(ValidationError):
        services.step_add(
            proposal=proposal,
            actor=civil_servant,
            description="x",
            owner="y",
            starts_on=timezone.localdate(),
            due_on=timezone.localdate(),
        )
    assert not ImplementationStep.objects.exists()


def test_the_evaluation_group_rates_an_implemented_proposal(call, author, evaluator, citizen):
    proposal = make_proposal(call, author, State.IMPLEMENTED)
    with pytest.raises(PermissionDenied):
        services.evaluation_submit(proposal=proposal, actor=citizen, rating=5)
    with pytest.raises(ValidationError):
        services.evaluation_submit(proposal=proposal, actor=evaluator, rating=9)
    services.evaluation_submit(proposal=proposal, actor=evaluator, rating=4, comment="Bun.")
    services.evaluation_submit(proposal=proposal, actor=evaluator, rating=5)
    assert list(proposal.evaluations.values_list("rating", flat=True)) == [5]


def test_an_ngo_in_the_group_rates_through_its_members(call, author, ngo_member, organisation):
    from consultations.proposals.models import CallEvaluator

    CallEvaluator.objects.create(call=call, organisation=organisation)
    proposal = make_proposal(call, author, State.IMPLEMENTED)
    services.evaluation_submit(
        proposal=proposal, actor=ngo_member, rating=3, organisation=organisation
    )
    assert proposal.evaluations.get().organisation == organisation


# --- E-mail -------------------------------------------------------------------------


def test_each_step_is_emailed_once_or_kept_for_the_digest(
    proposal, citizen, author, django_capture_on_commit_callbacks
):
    """An immediate reader gets one e-mail per step (a second run sends nothing); a
    daily reader gets it in the digest."""
    NotificationPreference.objects.create(user=citizen, frequency="daily")
    services.proposal_follow(proposal=proposal, user=citizen)
    mail.outbox.clear()
    people = voters(3)
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            services.vote_cast(proposal=proposal, user=person, is_yes=True)
    recipients = {m.to[0] for m in mail.outbox}
    assert author.email in recipients and citizen.email not in recipients
    from consultations.proposals.notifications import send_digests, send_event_emails

    assert send_event_emails(f"proposal-referred:{proposal.pk}") == 0
    mail.outbox.clear()
    assert send_digests("daily") == 1
    assert mail.outbox[0].to == [citizen.email]
    assert "reached its threshold" in mail.outbox[0].body
