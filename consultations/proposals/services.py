"""Every write on calls for proposals, proposals, votes, decisions and their follow-up.

Each function checks who acts and in which state, changes the rows in one transaction and
writes out its side effects (history, moderation log, notifications, map statistics). A
refused action raises ValidationError (a message the user can act on) or PermissionDenied
and changes nothing. The transitions of a proposal are listed once, in `workflow.py`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conect.accounts.rules import is_verified
from conect.core.text import fold
from consultations.services.common import clean_rich_text
from consultations.uploads import check_upload
from registry.models import Institution, Meeting, Organisation
from registry.rules.predicates import is_institution_staff, is_organisation_member
from registry.stats import bump_stats_version

from . import notifications, workflow
from .models import (
    ATTACHMENTS_MAX,
    CallEvaluator,
    Evaluation,
    ImplementationStep,
    Proposal,
    ProposalAttachment,
    ProposalCall,
    ProposalComment,
    ProposalEvent,
    ProposalFollow,
    ProposalModerationLogEntry,
    ProposalNotification,
    Vote,
    VoteAuditEntry,
)

State = Proposal.State
Kind = ProposalNotification.Kind

CALL_FIELDS = (
    "title",
    "description",
    "is_national",
    "is_permanent",
    "submissions_open_on",
    "submissions_close_on",
    "vote_days",
    "threshold",
    "count_net_votes",
    "structure",
    "answer_days",
    "answer_by",
)
PROPOSAL_FIELDS = ("title", "problem", "body", "expected_effect", "domain", "county")


def _setting(name: str, default):
    return getattr(settings, name, default)


def require_call_staff(actor, call: ProposalCall) -> None:
    """Refuse anyone but a civil servant of the institution that owns the call."""
    if actor is None or not is_institution_staff(actor, Institution(pk=call.institution_id)):
        raise PermissionDenied(
            _("Only the civil servants of the institution that opened this call may do this.")
        )


def _event(proposal, from_state, to_state, actor=None, note="") -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal, from_state=from_state, to_state=to_state, actor=actor, note=note
    )


def _move(proposal: Proposal, name: str, *, actor=None, note="", fields=()) -> None:
    """Apply transition `name` to a locked proposal, with its history entry."""
    transition = workflow.TRANSITIONS[name]
    if proposal.state not in transition.sources:
        raise ValidationError(
            _("This proposal is %(state)s; this action does not apply to it.")
            % {"state": proposal.get_state_display()},
            code="wrong_state",
        )
    previous = proposal.state
    proposal.state = transition.target
    proposal.save(update_fields=["state", "updated_at", *fields])
    _event(proposal, previous, transition.target, actor, note)


def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )


# --- Calls ---------------------------------------------------------------------------


def _check_call(call: ProposalCall, counties) -> None:
    errors = {}
    if call.is_permanent:
        call.submissions_close_on = None
    elif call.submissions_close_on is None:
        errors["submissions_close_on"] = _(
            "Give the last day for proposals, or make the call permanent."
        )
    if not call.is_national and not counties:
        errors["counties"] = _("Choose the counties concerned, or the whole country.")
    if call.structure_id and not call.structure.is_active:
        errors["structure"] = _("Choose an active advisory structure.")
    if call.threshold is not None and call.threshold < 1:
        errors["threshold"] = _("The threshold must be at least one vote.")
    if call.vote_days is not None and call.vote_days < 1:
        errors["vote_days"] = _("Proposals must stay open for votes at least one day.")
    if (
        call.answer_by is not None
        and call.submissions_open_on is not None
        and call.answer_by <= call.submissions_open_on
    ):
        errors["answer_by"] = _("The answer date must come after the day proposals open.")
    if errors:
        raise ValidationError(errors)


def call_create(
    *, actor, institution: Institution, domains=(), counties=(), **fields
) -> ProposalCall:
    """A civil servant opens a call (as a draft) for their institution."""
    if not is_institution_staff(actor, institution):
        raise PermissionDenied(
            _("Only the civil servants of an institution can open a call on its behalf.")
        )
    values = {k: v for k, v in fields.items() if k in CALL_FIELDS}
    call = ProposalCall(institution=institution, created_by=actor, **values)
    call.description = clean_rich_text(call.description)
    _check_call(call, counties)
    call.full_clean()
    with transaction.atomic():
        call.save()
        call.domains.set(domains)
        call.counties.set([] if call.is_national else counties)
    return call


def call_update(
    *, call: ProposalCall, actor, domains=None, counties=None, **changes
) -> ProposalCall:
    """Change a call; the threshold and the vote's rules are fixed once it is published,
    so that nobody's vote counts for something else than when it was cast."""
    require_call_staff(actor, call)
    fixed = {"threshold", "count_net_votes", "vote_days"}
    for name, value in changes.items():
        if name not in CALL_FIELDS:
            continue
        if (
            call.state != ProposalCall.State.DRAFT
            and name in fixed
            and getattr(call, name) != value
        ):
            raise ValidationError(
                {name: _("The rules of the vote cannot change once the call is published.")}
            )
        setattr(call, name, value)
    call.description = clean_rich_text(call.description)
    if counties is None:
        counties = list(call.counties.all())
    _check_call(call, counties)
    call.full_clean()
    with transaction.atomic():
        call.save()
        if domains is not None:
            call.domains.set(domains)
        call.counties.set([] if call.is_national else counties)
    return call


def call_publish(*, call: ProposalCall, actor) -> ProposalCall:
    require_call_staff(actor, call)
    if call.state != ProposalCall.State.DRAFT:
        raise ValidationError(_("Only a draft call can be published."))
    call.state = ProposalCall.State.OPEN
    call.published_at = timezone.now()
    call.save(update_fields=["state", "published_at", "updated_at"])
    bump_stats_version()
    return call


def call_close(*, call: ProposalCall, actor) -> ProposalCall:
    """No new proposals; those already in the vote go on to their end."""
    require_call_staff(actor, call)
    if call.state != ProposalCall.State.OPEN:
        raise ValidationError(_("Only an open call can be closed."))
    call.state = ProposalCall.State.CLOSED
    call.save(update_fields=["state", "updated_at"])
    return call


def call_set_evaluators(*, call: ProposalCall, actor, users=(), organisations=()) -> None:
    """The institution chooses the public evaluation group: citizens and NGOs."""
    require_call_staff(actor, call)
    with transaction.atomic():
        call.evaluators.all().delete()
        CallEvaluator.objects.bulk_create(
            [CallEvaluator(call=call, user=user) for user in set(users)]
            + [CallEvaluator(call=call, organisation=org) for org in set(organisations)]
        )


# --- Proposals -----------------------------------------------------------------------


def _check_organisation(author, organisation) -> None:
    if organisation is not None and not is_organisation_member(author, organisation):
        raise ValidationError(
            {"organisation": _("You can propose only on behalf of an organisation you belong to.")}
        )


def _check_place(call: ProposalCall, county) -> None:
    if (
        county is not None
        and not call.is_national
        and not call.counties.filter(pk=county.pk).exists()
    ):
        raise ValidationError({"county": _("Choose one of the counties of this call.")})


def _check_attachment_count(proposal: Proposal | None, files) -> None:
    """At most ATTACHMENTS_MAX files in all (those already attached count)."""
    already = proposal.attachments.count() if proposal is not None and proposal.pk else 0
    if already + len(files or ()) > ATTACHMENTS_MAX:
        raise ValidationError(
            {
                "attachments": _(
                    "A proposal can have at most %(max)d files in all; it has %(already)s already."
                )
                % {"max": ATTACHMENTS_MAX, "already": already}
            }
        )


def _attach(proposal: Proposal, files) -> None:
    limit = _setting("CONSULTATION_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
    for uploaded in files or ():
        checked = check_upload(uploaded, max_bytes=limit)
        attachment = ProposalAttachment(
            proposal=proposal,
            name=(uploaded.name or "attachment")[-255:],
            content_type=checked.content_type,
            size=checked.size,
        )
        attachment.file.save(f"attachment.{checked.extension}", uploaded, save=False)
        attachment.save()


def _search_text(proposal: Proposal) -> str:
    return fold(f"{proposal.title} {proposal.problem} {proposal.body}")


def proposal_submit(
    *,
    call: ProposalCall,
    author,
    title: str,
    problem: str,
    body: str,
    expected_effect: str,
    domain=None,
    county=None,
    organisation: Organisation | None = None,
    attachments=(),
) -> Proposal:
    """A user with a confirmed e-mail address proposes, while the call accepts proposals.
    The proposal waits for the institution's moderation before votes open. A user sends
    at most PROPOSALS_PER_DAY proposals a day."""
    if not is_verified(author):
        raise PermissionDenied(_("Only users with a confirmed e-mail address can propose."))
    if is_institution_staff(author, Institution(pk=call.institution_id)):
        raise PermissionDenied(
            _("The institution's own civil servants cannot send proposals to its call.")
        )
    if not call.is_accepting():
        raise ValidationError(_("This call does not accept proposals now."), code="not_open")
    _check_organisation(author, organisation)
    _check_place(call, county)
    limit = _setting("PROPOSALS_PER_DAY", 5)
    recent = Proposal.objects.filter(
        author=author, created_at__gte=timezone.now() - datetime.timedelta(days=1)
    ).count()
    if recent >= limit:
        raise ValidationError(
            ngettext(
                "You have sent %(count)d proposal in the last day, the most allowed; "
                "please try again tomorrow.",
                "You have sent %(count)d proposals in the last day, the most allowed; "
                "please try again tomorrow.",
                recent,
            )
            % {"count": recent},
            code="rate_limited",
        )
    proposal = Proposal(
        call=call,
        author=author,
        organisation=organisation,
        title=(title or "").strip(),
        problem=(problem or "").strip(),
        body=(body or "").strip(),
        expected_effect=(expected_effect or "").strip(),
        domain=domain,
        county=county,
    )
    proposal.search_text = _search_text(proposal)
    proposal.full_clean()
    _check_attachment_count(None, attachments)
    with transaction.atomic():
        proposal.save()
        _event(proposal, "", State.PENDING, author)
        _attach(proposal, attachments)
        ProposalFollow.objects.get_or_create(proposal=proposal, user=author)
    return proposal


def proposal_update(*, proposal: Proposal, actor, attachments=(), **changes) -> Proposal:
    """The author changes their proposal before votes open; one that the moderators
    asked to change goes back to them."""
    if proposal.author_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the author can change this proposal."))
    if proposal.state not in (State.PENDING, State.CHANGES_REQUESTED):
        raise ValidationError(_("A proposal can be changed only before its vote opens."))
    for name, value in changes.items():
        if name in PROPOSAL_FIELDS:
            setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    _check_place(proposal.call, proposal.county)
    proposal.search_text = _search_text(proposal)
    proposal.full_clean()
    _check_attachment_count(proposal, attachments)
    with transaction.atomic():
        locked = _lock(proposal)
        for name in PROPOSAL_FIELDS:
            setattr(locked, name, getattr(proposal, name))
        locked.search_text = proposal.search_text
        locked.save()
        if locked.state == State.CHANGES_REQUESTED:
            _move(locked, "resubmit", actor=actor)
        _attach(locked, attachments)
    proposal.refresh_from_db()
    return proposal


_LOG_ACTIONS = {
    "accept": ProposalModerationLogEntry.Action.ACCEPTED,
    "request_changes": ProposalModerationLogEntry.Action.CHANGES_REQUESTED,
    "reject": ProposalModerationLogEntry.Action.REJECTED,
    "merge": ProposalModerationLogEntry.Action.MERGED,
}


def proposal_moderate(
    *, proposal: Proposal, actor, action: str, reason: str = "", merge_into: Proposal | None = None
) -> ProposalModerationLogEntry:
    """Accept (votes open at once for the call's number of days), ask for changes,
    reject with a reason, or merge into another proposal of the call (the author is
    told where). Every decision goes to the moderation log and to the author."""
    require_call_staff(actor, proposal.call)
    if action not in workflow.MODERATION_ACTIONS:
        raise ValidationError(_("This action does not exist."))
    reason = (reason or "").strip()
    if action in ("request_changes", "reject") and not reason:
        raise ValidationError({"reason": _("Give a reason; the author will see it.")})
    if action == "merge":
        if merge_into is None or merge_into.pk == proposal.pk:
            raise ValidationError({"merge_into": _("Choose the proposal to merge this one into.")})
        if merge_into.call_id != proposal.call_id or merge_into.state not in (
            State.PENDING,
            State.VOTING,
        ):
            raise ValidationError(
                {
                    "merge_into": _(
                        "Choose a proposal of the same call that is awaiting moderation or "
                        "open for votes."
                    )
                }
            )
    with transaction.atomic():
        locked = _lock(proposal)
        fields = ["moderation_reason"]
        locked.moderation_reason = reason
        if action == "accept":
            now = timezone.now()
            locked.voting_opens_at = now
            locked.voting_closes_at = now + datetime.timedelta(days=locked.call.vote_days)
            fields += ["voting_opens_at", "voting_closes_at"]
        if action == "merge":
            locked.merged_into = merge_into
            fields.append("merged_into")
        _move(locked, action, actor=actor, note=reason, fields=fields)
        entry = ProposalModerationLogEntry.objects.create(
            call_id=locked.call_id,
            proposal=locked,
            actor=actor,
            action=_LOG_ACTIONS[action],
            reason=reason,
        )
        if locked.author_id:
            notifications.notify(
                user_ids=[locked.author_id],
                proposal=locked,
                kind=Kind.MODERATED,
                event_key=f"proposal-moderated:{entry.pk}",
                detail=entry.action,
            )
        if action == "merge" and merge_into.author_id:
            # The author is invited to support the proposal theirs was merged into.
            ProposalFollow.objects.get_or_create(proposal=merge_into, user_id=locked.author_id)
        bump_stats_version()
    proposal.refresh_from_db()
    return entry


# --- Votes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteResult:
    vote: Vote
    changed: bool  # the vote was new or changed (False: the same vote again)
    reached: bool  # this vote made the proposal reach its threshold


def check_voting_open(proposal: Proposal) -> None:
    if proposal.state != State.VOTING:
        raise ValidationError(
            _("This proposal is not open for votes (it is %(state)s).")
            % {"state": proposal.get_state_display()},
            code="not_open",
        )
    if not proposal.is_voting_open:
        raise ValidationError(_("The vote on this proposal has ended."), code="closed")


def _check_vote_rate(user) -> None:
    limit = _setting("PROPOSAL_VOTES_PER_MINUTE", 30)
    recent = VoteAuditEntry.objects.filter(
        user=user, created_at__gte=timezone.now() - datetime.timedelta(minutes=1)
    ).count()
    if recent >= limit:
        raise ValidationError(
            _("You are voting too fast; please wait a minute and try again."),
            code="rate_limited",
        )


def vote_cast(
    *, proposal: Proposal, user, is_yes: bool, ip_address: str | None = None
) -> VoteResult:
    """Vote yes or no, or change one's vote, while the vote is open.

    The proposal's row is locked while the vote is counted, so that concurrent votes are
    counted one after the other: none is lost or counted twice (the unique constraint on
    (proposal, user) is the last guard), and exactly one vote, the one that reaches the
    threshold, sends the proposal to the call's advisory structure, at once.
    """
    if not is_verified(user):
        raise PermissionDenied(_("Only users with a confirmed e-mail address can vote."))
    is_yes = bool(is_yes)
    check_voting_open(proposal)
    _check_vote_rate(user)
    with transaction.atomic():
        locked = _lock(proposal)
        check_voting_open(locked)
        vote = Vote.objects.filter(proposal=locked, user=user).first()
        now = timezone.now()
        if vote is not None and vote.is_yes == is_yes:
            return VoteResult(vote, changed=False, reached=False)
        if vote is None:
            try:
                with transaction.atomic():
                    vote = Vote.objects.create(
                        proposal=locked, user=user, is_yes=is_yes, created_at=now, updated_at=now
                    )
            except IntegrityError:  # only without row locks (SQLite): counted already
                vote = Vote.objects.get(proposal=locked, user=user)
                return VoteResult(vote, changed=False, reached=False)
            action = VoteAuditEntry.Action.CAST
            if is_yes:
                locked.yes_count += 1
            else:
                locked.no_count += 1
        else:
            vote.is_yes, vote.updated_at = is_yes, now
            vote.save(update_fields=["is_yes", "updated_at"])
            action = VoteAuditEntry.Action.CHANGED
            delta = 1 if is_yes else -1
            locked.yes_count += delta
            locked.no_count -= delta
        locked.save(update_fields=["yes_count", "no_count", "updated_at"])
        VoteAuditEntry.objects.create(
            proposal=locked, user=user, action=action, is_yes=is_yes, ip_address=ip_address
        )
        reached = locked.support >= locked.call.threshold
        if reached:
            _refer(locked)
    proposal.refresh_from_db(fields=["yes_count", "no_count", "state", "referred_at"])
    return VoteResult(vote, changed=True, reached=reached)


def _refer(proposal: Proposal) -> None:
    """The threshold is reached: the proposal goes to the structure, whose members, the
    author, the voters and the followers are told."""
    now = timezone.now()
    proposal.referred_at = now
    today = timezone.localdate(now)
    proposal.answer_due_on = today + datetime.timedelta(days=proposal.call.answer_days)
    answer_by = proposal.call.answer_by
    if answer_by is not None and today <= answer_by < proposal.answer_due_on:
        # The call's own date comes first (a date already past gives the days instead).
        proposal.answer_due_on = answer_by
    _move(
        proposal,
        "refer",
        note=_("%(count)d votes reached the threshold of %(threshold)d.")
        % {"count": proposal.support, "threshold": proposal.call.threshold},
        fields=["referred_at", "answer_due_on"],
    )
    structure_id = proposal.call.structure_id
    notifications.notify(
        user_ids=notifications.structure_member_user_ids(structure_id)
        | notifications.supporters_user_ids(proposal),
        proposal=proposal,
        kind=Kind.REFERRED,
        event_key=f"proposal-referred:{proposal.pk}",
    )
    bump_stats_version()


def close_expired_votes(*, now=None) -> int:
    """Archive as "not enough support" every proposal whose vote ended below the
    threshold (run by Celery beat; safe to run again). Returns how many."""
    now = now or timezone.now()
    ids = list(
        Proposal.objects.filter(state=State.VOTING, voting_closes_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    closed = 0
    for pk in ids:
        with transaction.atomic():
            locked = (
                Proposal.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("call")
                .filter(pk=pk, state=State.VOTING, voting_closes_at__lte=now)
                .first()
            )
            if locked is None:
                continue
            locked.closed_at = now
            _move(locked, "archive", fields=["closed_at"])
            notifications.notify(
                user_ids=notifications.supporters_user_ids(locked),
                proposal=locked,
                kind=Kind.NOT_ENOUGH_SUPPORT,
                event_key=f"proposal-archived:{locked.pk}",
            )
            closed += 1
    if closed:
        bump_stats_version()
    return closed


# --- The structure's answer ----------------------------------------------------------


def proposal_schedule(*, proposal: Proposal, actor, meeting: Meeting) -> Proposal:
    """Put the proposal on the agenda of a meeting of the call's structure; the author
    is invited to present it, and the supporters are told."""
    require_call_staff(actor, proposal.call)
    if meeting.structure_id != proposal.call.structure_id:
        raise ValidationError({"meeting": _("Choose a meeting of the call's advisory structure.")})
    if meeting.held_at < timezone.now():
        raise ValidationError({"meeting": _("Choose a meeting that has not taken place yet.")})
    with transaction.atomic():
        locked = _lock(proposal)
        if locked.state != State.REFERRED:
            raise ValidationError(
                _("Only a proposal sent to the structure can be put on a meeting's agenda.")
            )
        locked.meeting = meeting
        locked.save(update_fields=["meeting", "updated_at"])
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        item = _("Citizens' proposal: %(title)s") % {"title": locked.title}
        meeting.agenda = clean_rich_text(f"{meeting.agenda}\n<p>{_escape(item)}</p>")
        meeting.save(update_fields=["agenda"])
        _event(
            locked,
            locked.state,
            locked.state,
            actor,
            _("Put on the agenda of the meeting of %(date)s.")
            % {"date": timezone.localtime(meeting.held_at).strftime("%Y-%m-%d %H:%M")},
        )
        held_at = timezone.localtime(meeting.held_at).isoformat()
        # The author is invited in person (the date, and the place or else the online
        # link); the others who
        # voted or follow hear that the proposal is on the agenda.
        if locked.author_id:
            notifications.notify(
                user_ids=[locked.author_id],
                proposal=locked,
                kind=Kind.INVITED,
                event_key=f"proposal-invited:{locked.pk}:{meeting.pk}",
                detail=f"{held_at}\n{meeting.location or meeting.online_link}".strip(),
            )
        notifications.notify(
            user_ids=notifications.supporters_user_ids(locked) - {locked.author_id},
            proposal=locked,
            kind=Kind.SCHEDULED,
            event_key=f"proposal-scheduled:{locked.pk}:{meeting.pk}",
            detail=held_at,
        )
    proposal.refresh_from_db()
    return proposal


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def proposal_decide(
    *, proposal: Proposal, actor, decision: str, reasons: str, minutes: str = ""
) -> Proposal:
    """Publish the structure's decision with its reasons and the meeting's minutes."""
    require_call_staff(actor, proposal.call)
    if decision not in Proposal.Decision.values:
        raise ValidationError({"decision": _("Choose the decision.")})
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision; they are public.")})
    with transaction.atomic():
        locked = _lock(proposal)
        locked.decision = decision
        locked.decision_reasons = reasons
        locked.decision_minutes = (minutes or "").strip()
        locked.decided_at = timezone.now()
        locked.full_clean()
        _move(
            locked,
            "decide",
            actor=actor,
            note=locked.get_decision_display(),
            fields=["decision", "decision_reasons", "decision_minutes", "decided_at"],
        )
        notifications.notify(
            user_ids=notifications.supporters_user_ids(locked),
            proposal=locked,
            kind=Kind.DECIDED,
            event_key=f"proposal-decided:{locked.pk}",
            detail=decision,
        )
    proposal.refresh_from_db()
    return proposal


def _require_implementable(proposal: Proposal) -> None:
    if proposal.state != State.DECIDED or proposal.decision == Proposal.Decision.REJECTED:
        raise ValidationError(
            _("Implementation steps belong to an accepted proposal whose decision is published.")
        )


def step_add(
    *, proposal: Proposal, actor, description: str, owner: str, starts_on, due_on
) -> ImplementationStep:
    """Publish a step of implementing an accepted proposal (what, who, when); the author,
    the voters and the followers are told."""
    require_call_staff(actor, proposal.call)
    _require_implementable(proposal)
    step = ImplementationStep(
        proposal=proposal,
        description=(description or "").strip(),
        owner=(owner or "").strip(),
        starts_on=starts_on,
        due_on=due_on,
    )
    if starts_on and due_on and due_on < starts_on:
        raise ValidationError({"due_on": _("A step cannot be due before it starts.")})
    step.full_clean()
    with transaction.atomic():
        step.save()
        # A new step of the plan is news for the supporters, as each step's progress is.
        notifications.notify(
            user_ids=notifications.supporters_user_ids(proposal),
            proposal=proposal,
            kind=Kind.STEP,
            event_key=f"proposal-step:{step.pk}:added",
            detail=step.description[:200],
        )
    return step


def step_update(
    *, step: ImplementationStep, actor, status: str, done_on=None, note: str = ""
) -> ImplementationStep:
    """Record how a step goes; when every step is done the proposal is implemented, and
    the supporters are told of each step."""
    proposal = step.proposal
    require_call_staff(actor, proposal.call)
    _require_implementable(proposal)
    if status not in ImplementationStep.Status.values:
        raise ValidationError({"status": _("Choose the status of the step.")})
    # A step is done on a day; one that is not done has no such day.
    done_on = (
        (done_on or timezone.localdate()) if status == ImplementationStep.Status.DONE else None
    )
    with transaction.atomic():
        locked = _lock(proposal)
        step.status, step.done_on, step.note = status, done_on, (note or "").strip()
        step.updated_at = timezone.now()
        step.full_clean()
        step.save()
        notifications.notify(
            user_ids=notifications.supporters_user_ids(locked),
            proposal=locked,
            kind=Kind.STEP,
            event_key=f"proposal-step:{step.pk}:{status}",
            detail=step.description[:200],
        )
        steps = list(locked.implementation_steps.values_list("status", flat=True))
        if steps and all(s == ImplementationStep.Status.DONE for s in steps):
            locked.implemented_at = timezone.now()
            _move(locked, "implement", actor=actor, fields=["implemented_at"])
            notifications.notify(
                user_ids=notifications.supporters_user_ids(locked),
                proposal=locked,
                kind=Kind.IMPLEMENTED,
                event_key=f"proposal-implemented:{locked.pk}",
            )
    return step


def is_evaluator(user, call: ProposalCall) -> bool:
    """A member of the call's evaluation group, in person or through an organisation."""
    from registry.rules.predicates import _org_roles

    if not is_verified(user):
        return False
    cache = getattr(user, "_conect_evaluator_calls", None)
    if cache is None:
        cache = user._conect_evaluator_calls = {}
    if call.pk not in cache:
        organisations = list(_org_roles(user))
        cache[call.pk] = (
            CallEvaluator.objects.filter(call_id=call.pk)
            .filter(Q(user=user) | Q(organisation_id__in=organisations))
            .exists()
        )
    return cache[call.pk]


def evaluation_submit(
    *, proposal: Proposal, actor, rating: int, comment: str = "", organisation=None
) -> Evaluation:
    """A member of the evaluation group rates an implemented proposal's result (once;
    sending again changes their rating). Ratings are public."""
    if not is_evaluator(actor, proposal.call):
        raise PermissionDenied(_("Only the call's evaluation group can rate the results."))
    if proposal.state != State.IMPLEMENTED:
        raise ValidationError(_("Only an implemented proposal's result can be rated."))
    if organisation is not None and not is_organisation_member(actor, organisation):
        raise ValidationError(
            {"organisation": _("You can rate only on behalf of an organisation you belong to.")}
        )
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    evaluation, _created = Evaluation.objects.update_or_create(
        proposal=proposal,
        evaluator=actor,
        defaults={
            "rating": rating,
            "comment": (comment or "").strip(),
            "organisation": organisation,
        },
    )
    return evaluation


# --- Comments and follows ------------------------------------------------------------


def comment_add(*, proposal: Proposal, author, text: str) -> ProposalComment:
    if not is_verified(author):
        raise PermissionDenied(_("Only users with a confirmed e-mail address can comment."))
    if proposal.state not in (State.VOTING, State.REFERRED, State.DECIDED, State.IMPLEMENTED):
        raise ValidationError(_("Comments are closed on this proposal."))
    comment = ProposalComment(proposal=proposal, author=author, text=(text or "").strip())
    if not comment.text:
        raise ValidationError({"text": _("Write your comment.")})
    comment.full_clean()
    comment.save()
    return comment


def proposal_follow(*, proposal: Proposal, user) -> ProposalFollow:
    if not is_verified(user):
        raise PermissionDenied(_("Only users with a verified e-mail address can follow."))
    follow, _created = ProposalFollow.objects.get_or_create(proposal=proposal, user=user)
    return follow


def proposal_unfollow(*, proposal: Proposal, user) -> None:
    ProposalFollow.objects.filter(proposal=proposal, user=user).delete()


def notifications_mark_read(*, user) -> int:
    return ProposalNotification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
