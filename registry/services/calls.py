"""Choosing NGO representatives through a call for members (issue 18).

A call's selection goes through the steps of `SelectionStage`; the only moves allowed
are those of TRANSITIONS below. Each step is kept in the structure's history
(`SelectionEvent`, besides each record's own history) and tells every applicant by
e-mail, in their language.

Callers check the named permission first (registry/rules/calls.py); these functions
still refuse, with a clear message, what the step or the dates do not allow.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conect.core.emails import enqueue_email

from ..models import (
    ApplicationEvaluation,
    CallSelection,
    CandidateVote,
    MembershipApplication,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    SelectionAppeal,
    SelectionEvent,
    SelectionStage,
)
from .institutions import track

Stage = SelectionStage

# Every move of a selection, in one place: {from: {to, ...}}.
TRANSITIONS = {
    Stage.REGISTRATION: {Stage.EVALUATION},
    Stage.EVALUATION: {Stage.APPEALS},
    Stage.APPEALS: {Stage.FINAL},
    Stage.FINAL: {Stage.VOTING},
    Stage.VOTING: {Stage.COMPLETED},
    Stage.COMPLETED: set(),
}


def can_move(selection: CallSelection, to: str) -> bool:
    if to == Stage.VOTING and not selection.has_vote:
        return False
    return to in TRANSITIONS[selection.stage]


def _move(selection: CallSelection, to: str, actor) -> None:
    if not can_move(selection, to):
        raise ValidationError(
            _("This selection is at the step “%(step)s” and cannot go to “%(next)s”.")
            % {"step": selection.get_stage_display(), "next": Stage(to).label},
            code="wrong_step",
        )
    selection.stage = to
    track(selection, actor)
    selection.save(update_fields=["stage", "appeals_until", "vote_until"])


def _locked(call: MembershipCall) -> CallSelection:
    try:
        return (
            CallSelection.objects.select_for_update(of=("self",))
            .select_related("call__structure")
            .get(call=call)
        )
    except CallSelection.DoesNotExist:
        raise ValidationError(
            _("This call has no selection rules yet: set them first."), code="no_selection"
        ) from None


def _require(selection: CallSelection, stage: str) -> None:
    if selection.stage != stage:
        raise ValidationError(
            _("This can only be done at the step “%(step)s”; the selection is at “%(now)s”.")
            % {"step": Stage(stage).label, "now": selection.get_stage_display()},
            code="wrong_step",
        )


def _event(selection: CallSelection, kind: str, actor, detail: str = "") -> SelectionEvent:
    return SelectionEvent.objects.create(
        structure_id=selection.call.structure_id,
        call=selection.call,
        kind=kind,
        detail=detail[:500],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _notify(selection: CallSelection, event: SelectionEvent, applications=None) -> None:
    """E-mail every applicant of the call (or those given) about `event`, in their
    language, once the transaction commits."""
    call = selection.call
    if applications is None:
        applications = call.applications.select_related("organisation", "submitted_by")
    for application in applications:
        user = application.submitted_by
        if user is None or not user.is_active:
            continue
        enqueue_email(
            to_user=user,
            template="registry/emails/selection_step",
            context={
                "step": event.kind,
                "organisation_name": application.organisation.name,
                "structure_id": call.structure_id,
                "structure_name": call.structure.name,
                "call_id": call.pk,
                "call_path": reverse("registry:call-selection", args=[call.pk]),
                "call_title": call.title,
                "detail": event.detail,
            },
            key=f"selection:{event.pk}:{application.pk}",
        )


def _is_admin(user, organisation_id) -> bool:
    return OrganisationMembership.objects.filter(
        organisation_id=organisation_id, user=user, role=OrganisationMembership.Role.ADMIN
    ).exists()


# --- Registration ------------------------------------------------------------------


@transaction.atomic
def selection_set(
    *, call: MembershipCall, actor, eligibility_criteria: str = "", has_vote: bool = False
) -> CallSelection:
    """Set (or correct, during registration) the eligibility criteria of a call and
    whether the eligible organisations vote for the candidates."""
    selection = CallSelection.objects.select_for_update().filter(call=call).first()
    if selection is not None:
        _require(selection, Stage.REGISTRATION)
    else:
        selection = CallSelection(call=call)
    selection.eligibility_criteria = (eligibility_criteria or "").strip()
    selection.has_vote = bool(has_vote)
    selection.full_clean()
    track(selection, actor)
    selection.save()
    selection.call = MembershipCall.objects.select_related("structure").get(pk=call.pk)
    _event(selection, SelectionEvent.Kind.SETUP, actor)
    return selection


@transaction.atomic
def registration_extend(*, call: MembershipCall, actor, closes_on: datetime.date) -> CallSelection:
    """Extend the registration period to `closes_on` (later than today's closing date,
    and not in the past). The applicants so far are told."""
    selection = _locked(call)
    _require(selection, Stage.REGISTRATION)
    call = MembershipCall.objects.select_for_update().get(pk=call.pk)
    if closes_on is None or closes_on <= call.closes_on:
        raise ValidationError(
            {
                "closes_on": _("The new closing date must be after %(date)s.")
                % {"date": date_format(call.closes_on)}
            }
        )
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The new closing date cannot be in the past.")})
    before = call.closes_on
    call.closes_on = closes_on
    if call.status == MembershipCall.Status.CLOSED:
        call.status = MembershipCall.Status.OPEN
    call.full_clean()
    track(call, actor)
    call.save(update_fields=["closes_on", "status"])
    selection.call = call
    event = _event(
        selection,
        SelectionEvent.Kind.EXTENDED,
        actor,
        _("from %(before)s to %(after)s")
        % {"before": date_format(before), "after": date_format(closes_on)},
    )
    _notify(selection, event)
    return selection


@transaction.atomic
def registration_close(*, call: MembershipCall, actor) -> CallSelection:
    """End the registration once its period is over, and start the evaluation."""
    selection = _locked(call)
    _require(selection, Stage.REGISTRATION)
    call = selection.call
    if timezone.localdate() <= call.closes_on:
        raise ValidationError(
            _("The registration runs until %(date)s: the evaluation starts after it.")
            % {"date": date_format(call.closes_on)}
        )
    if call.status == MembershipCall.Status.OPEN:
        call.status = MembershipCall.Status.CLOSED
        track(call, actor)
        call.save(update_fields=["status"])
    _move(selection, Stage.EVALUATION, actor)
    event = _event(selection, SelectionEvent.Kind.EVALUATION, actor)
    _notify(selection, event)
    return selection


# --- Evaluation and results ----------------------------------------------------------


@transaction.atomic
def application_evaluate(
    *,
    application: MembershipApplication,
    actor,
    admitted: bool,
    score: Decimal | None = None,
    reasons: str = "",
) -> ApplicationEvaluation:
    """Record (or correct, until the provisional results) the institution's evaluation of
    one application: admitted or not, a score and/or reasons (reasons are required for
    an application not admitted)."""
    selection = _locked(application.call)
    _require(selection, Stage.EVALUATION)
    reasons = (reasons or "").strip()
    if not admitted and not reasons:
        raise ValidationError(
            {"reasons": _("Give the reasons why the application is not admitted.")}
        )
    if score is None and not reasons:
        raise ValidationError(_("Give a score, reasons, or both."))
    if score is not None and score < 0:
        raise ValidationError({"score": _("The score cannot be negative.")})
    evaluation = ApplicationEvaluation.objects.filter(application=application).first()
    evaluation = evaluation or ApplicationEvaluation(application=application)
    evaluation.admitted = bool(admitted)
    evaluation.score = score
    evaluation.reasons = reasons
    evaluation.evaluated_by = actor
    evaluation.evaluated_at = timezone.now()
    evaluation.full_clean()
    track(evaluation, actor)
    evaluation.save()
    return evaluation


@transaction.atomic
def provisional_publish(
    *, call: MembershipCall, actor, appeals_until: datetime.date
) -> CallSelection:
    """Publish the provisional results once every application is evaluated, and open
    the appeals until `appeals_until` (today or later)."""
    selection = _locked(call)
    _require(selection, Stage.EVALUATION)
    waiting = call.applications.filter(evaluation__isnull=True).count()
    if waiting:
        raise ValidationError(
            _("Evaluate every application first: %(count)s still without an evaluation.")
            % {"count": waiting}
        )
    if appeals_until is None or appeals_until < timezone.localdate():
        raise ValidationError({"appeals_until": _("The appeals window cannot end in the past.")})
    selection.appeals_until = appeals_until
    _move(selection, Stage.APPEALS, actor)
    event = _event(
        selection,
        SelectionEvent.Kind.PROVISIONAL,
        actor,
        _("appeals until %(date)s") % {"date": date_format(appeals_until)},
    )
    _notify(selection, event)
    return selection


@transaction.atomic
def appeal_file(*, application: MembershipApplication, user, reasons: str) -> SelectionAppeal:
    """An administrator of the applicant organisation appeals its provisional result,
    with reasons, while the appeals window is open (once per application)."""
    selection = _locked(application.call)
    if not _is_admin(user, application.organisation_id):
        raise PermissionDenied(_("Only an administrator of the organisation can appeal."))
    _require(selection, Stage.APPEALS)
    if timezone.localdate() > selection.appeals_until:
        raise ValidationError(_("The appeals window is closed."), code="appeals_closed")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons of the appeal.")})
    if SelectionAppeal.objects.filter(application=application).exists():
        raise ValidationError(_("This application has already been appealed."), code="duplicate")
    appeal = SelectionAppeal(application=application, reasons=reasons, filed_by=user)
    appeal.full_clean(validate_unique=False)
    track(appeal, user)
    appeal.save()
    _event(selection, SelectionEvent.Kind.APPEAL_FILED, user, application.organisation.name)
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: SelectionAppeal, actor, uphold: bool, reasons: str) -> SelectionAppeal:
    """Decide an appeal with reasons. An upheld appeal admits the application."""
    appeal = (
        SelectionAppeal.objects.select_for_update(of=("self",))
        .select_related("application__organisation", "application__submitted_by")
        .get(pk=appeal.pk)
    )
    selection = _locked(appeal.application.call)
    _require(selection, Stage.APPEALS)
    if appeal.status != SelectionAppeal.Status.PENDING:
        raise ValidationError(_("This appeal has already been decided."))
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons of the decision.")})
    appeal.status = SelectionAppeal.Status.UPHELD if uphold else SelectionAppeal.Status.DISMISSED
    appeal.decision_reasons = reasons
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    track(appeal, actor)
    appeal.save()
    if uphold:
        evaluation = appeal.application.evaluation
        evaluation.admitted = True
        track(evaluation, actor)
        evaluation.save(update_fields=["admitted"])
    event = _event(
        selection,
        SelectionEvent.Kind.APPEAL_DECIDED,
        actor,
        f"{appeal.application.organisation.name}: {appeal.get_status_display()}",
    )
    _notify(selection, event, [appeal.application])
    return appeal


@transaction.atomic
def final_publish(*, call: MembershipCall, actor) -> CallSelection:
    """Publish the final results, once the appeals window is over and every appeal is
    decided."""
    selection = _locked(call)
    _require(selection, Stage.APPEALS)
    if timezone.localdate() <= selection.appeals_until:
        raise ValidationError(
            _("Appeals are accepted until %(date)s: publish the final results after it.")
            % {"date": date_format(selection.appeals_until)}
        )
    if SelectionAppeal.objects.filter(
        application__call=call, status=SelectionAppeal.Status.PENDING
    ).exists():
        raise ValidationError(_("Decide every appeal before publishing the final results."))
    _move(selection, Stage.FINAL, actor)
    event = _event(selection, SelectionEvent.Kind.FINAL, actor)
    _notify(selection, event)
    return selection


# --- Vote of the eligible organisations ------------------------------------------------


def candidates(call: MembershipCall):
    """The applications admitted in the final results."""
    return (
        call.applications.filter(evaluation__admitted=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


@transaction.atomic
def vote_open(*, call: MembershipCall, actor, vote_until: datetime.date) -> CallSelection:
    """Open the vote of the verified organisations for the admitted candidates, until
    `vote_until` (today or later), when the call provides for a vote."""
    selection = _locked(call)
    _require(selection, Stage.FINAL)
    if not selection.has_vote:
        raise ValidationError(_("This call does not provide for a vote."))
    if not candidates(call).exists():
        raise ValidationError(_("No candidate was admitted: there is nobody to vote for."))
    if vote_until is None or vote_until < timezone.localdate():
        raise ValidationError({"vote_until": _("The vote cannot end in the past.")})
    selection.vote_until = vote_until
    _move(selection, Stage.VOTING, actor)
    event = _event(
        selection,
        SelectionEvent.Kind.VOTE_OPENED,
        actor,
        _("vote until %(date)s") % {"date": date_format(vote_until)},
    )
    _notify(selection, event)
    return selection


def vote_cast(
    *, call: MembershipCall, organisation: Organisation, user, candidate: MembershipApplication
) -> CandidateVote:
    """An administrator of a verified organisation casts its one vote for an admitted
    candidate while the vote is open. A second vote of the same organisation is
    refused, even when both arrive at the same moment (the unique constraint decides)."""
    if not _is_admin(user, organisation.pk):
        raise PermissionDenied(_("Only an administrator of the organisation can vote for it."))
    if organisation.status != Organisation.Status.VERIFIED:
        raise ValidationError(_("Only verified organisations vote."), code="not_verified")
    if not organisation.is_registry_active:
        raise ValidationError(
            _("%(name)s is %(state)s in the National NGO Registry: only active organisations vote.")
            % {"name": organisation.name, "state": organisation.get_registry_state_display()},
            code="not_active",
        )
    selection = CallSelection.objects.filter(call=call).first()
    if selection is None or selection.stage != Stage.VOTING:
        raise ValidationError(_("The vote is not open."), code="vote_closed")
    if timezone.localdate() > selection.vote_until:
        raise ValidationError(_("The vote is closed."), code="vote_closed")
    if not candidates(call).filter(pk=candidate.pk).exists():
        raise ValidationError({"candidate": _("Choose one of the admitted candidates.")})
    try:
        with transaction.atomic():
            return CandidateVote.objects.create(
                call=call, organisation=organisation, candidate=candidate, cast_by=user
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s has already voted in this call.") % {"name": organisation.name},
            code="duplicate",
        ) from None


def vote_results(call: MembershipCall) -> dict:
    """The votes of each candidate (most first) and the turnout: organisations that
    voted out of the verified organisations that the National NGO Registry lists as
    active (those who may vote). Three queries."""
    counts = dict(
        CandidateVote.objects.filter(call=call)
        .values("candidate")
        .annotate(n=Count("pk"))
        .values_list("candidate", "n")
    )
    rows = [(c, counts.get(c.pk, 0)) for c in candidates(call)]
    rows.sort(key=lambda row: -row[1])
    voted = sum(counts.values())
    eligible = Organisation.objects.filter(
        status=Organisation.Status.VERIFIED, registry_state=Organisation.RegistryState.ACTIVE
    ).count()
    turnout = round(100 * voted / eligible, 1) if eligible else 0
    return {"rows": rows, "voted": voted, "eligible": eligible, "turnout": turnout}


@transaction.atomic
def vote_results_publish(*, call: MembershipCall, actor) -> CallSelection:
    """Publish the results of the vote, with the turnout, once the vote is over."""
    selection = _locked(call)
    _require(selection, Stage.VOTING)
    if timezone.localdate() <= selection.vote_until:
        raise ValidationError(
            _("The vote is open until %(date)s: publish its results after it.")
            % {"date": date_format(selection.vote_until)}
        )
    _move(selection, Stage.COMPLETED, actor)
    results = vote_results(call)
    event = _event(
        selection,
        SelectionEvent.Kind.VOTE_RESULTS,
        actor,
        _("turnout: %(voted)s out of %(eligible)s (%(turnout)s%%)") % results,
    )
    _notify(selection, event)
    return selection
