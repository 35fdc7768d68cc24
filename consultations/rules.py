"""Every permission on consultations, by name. Views, the API and templates ask these
(`user.has_perm("consultations.close_consultation", consultation)`).

Moderators are the approved civil servants of the institution that owns the
consultation; coordinators (SGG) see everything but act on no institution's behalf.
"""

import rules
from django.utils import timezone

from conect.accounts.rules import is_authenticated, is_coordinator, is_verified
from registry.models import Institution
from registry.rules.predicates import (
    is_civil_servant,
    is_institution_staff,
    is_ngo_representative,
)

from .models import Consultation, Recommendation
from .workflow import TRANSITIONS

State = Consultation.State


@rules.predicate
def is_owner_staff(user, consultation):
    """An approved civil servant of the institution that owns the consultation."""
    if consultation is None:
        return False
    return is_institution_staff(user, Institution(pk=consultation.institution_id))


@rules.predicate
def is_public_consultation(user, consultation):
    return consultation is not None and consultation.state in Consultation.PUBLIC_STATES


def state_in(*states):
    name = "state_in_" + "_".join(states)

    @rules.predicate(name)
    def predicate(user, consultation):
        return consultation is not None and consultation.state in states

    return predicate


@rules.predicate
def window_has_ended(user, consultation):
    return consultation is not None and timezone.now() > consultation.closes_at


@rules.predicate
def is_accepting(user, consultation):
    return consultation is not None and consultation.is_accepting_recommendations


@rules.predicate
def is_author(user, recommendation):
    return bool(
        recommendation is not None
        and is_authenticated(user)
        and recommendation.author_id == user.pk
    )


@rules.predicate
def is_published_recommendation(user, recommendation):
    return recommendation is not None and recommendation.status == Recommendation.Status.PUBLISHED


@rules.predicate
def is_recommendation_moderator(user, recommendation):
    if recommendation is None:
        return False
    return is_owner_staff(user, recommendation.consultation)


@rules.predicate
def is_editable_recommendation(user, recommendation):
    return (
        recommendation is not None
        and recommendation.status != Recommendation.Status.HIDDEN
        and recommendation.consultation.is_accepting_recommendations
    )


@rules.predicate
def is_other_authority_staff(user, consultation):
    """A civil servant of another public authority than the one that owns it."""
    return bool(is_civil_servant(user)) and not is_owner_staff(user, consultation)


@rules.predicate
def is_debate_owner_staff(user, debate):
    return debate is not None and is_owner_staff(user, debate.consultation)


@rules.predicate
def is_staff_of_institution(user, institution):
    return institution is not None and is_institution_staff(user, institution)


# --- Consultations ----------------------------------------------------------
rules.add_perm("consultations.add_consultation", is_civil_servant)
rules.add_perm(
    "consultations.view_consultation", is_public_consultation | is_owner_staff | is_coordinator
)
# The management pages of a consultation (the role, whatever the state).
rules.add_perm("consultations.manage_consultation", is_owner_staff)
rules.add_perm(
    "consultations.change_consultation",
    is_owner_staff & state_in(State.DRAFT, State.SCHEDULED, State.OPEN),
)
rules.add_perm("consultations.delete_consultation", is_owner_staff & state_in(State.DRAFT))
rules.add_perm(
    "consultations.manage_documents",
    is_owner_staff
    & state_in(State.DRAFT, State.SCHEDULED, State.OPEN, State.CLOSED, State.UNDER_ANALYSIS),
)
rules.add_perm(
    "consultations.change_articles",
    is_owner_staff & state_in(State.DRAFT, State.SCHEDULED, State.OPEN),
)

# One permission per transition, offered only from the states it leaves.
for _transition in TRANSITIONS.values():
    _condition = is_owner_staff & state_in(*_transition.sources)
    if _transition.name == "close":
        _condition &= window_has_ended
    rules.add_perm(_transition.permission, _condition)

# --- Recommendations --------------------------------------------------------
rules.add_perm("consultations.add_recommendation", is_verified & is_accepting & ~is_owner_staff)
rules.add_perm(
    "consultations.view_recommendation",
    is_published_recommendation | is_author | is_recommendation_moderator | is_coordinator,
)
rules.add_perm("consultations.change_recommendation", is_author & is_editable_recommendation)
rules.add_perm(
    "consultations.report_recommendation",
    is_authenticated & is_published_recommendation & ~is_author,
)
rules.add_perm("consultations.moderate_consultation", is_owner_staff & ~state_in(State.DRAFT))
rules.add_perm(
    "consultations.answer_recommendations", is_owner_staff & state_in(State.UNDER_ANALYSIS)
)

# --- Public debates ---------------------------------------------------------
rules.add_perm(
    "consultations.request_debate",
    (is_ngo_representative | is_other_authority_staff) & is_accepting,
)
# Requests and recommendations received by letter, e-mail, phone, in person or at a
# debate, recorded by the owning institution's staff.
rules.add_perm(
    "consultations.record_recommendation",
    is_owner_staff & state_in(State.OPEN, State.CLOSED, State.UNDER_ANALYSIS),
)
rules.add_perm(
    "consultations.record_debate_request",
    is_owner_staff & state_in(State.OPEN, State.CLOSED, State.UNDER_ANALYSIS),
)
# Running a debate (speakers, attendance, minutes, end): the owning institution's staff.
rules.add_perm("consultations.run_debate", is_debate_owner_staff)
rules.add_perm(
    "consultations.schedule_debate",
    is_owner_staff & state_in(State.OPEN, State.CLOSED, State.UNDER_ANALYSIS),
)
rules.add_perm("consultations.register_debate", is_verified)

# --- Following, notifications and reports ------------------------------------
rules.add_perm("consultations.follow", is_verified)
rules.add_perm("consultations.produce_annual_report", is_coordinator | is_staff_of_institution)

# The annual report: completed and published by the institution's staff; once published
# anyone reads it; the General Secretariat (coordinators) compares every institution's.
rules.add_perm("consultations.complete_annual_report", is_staff_of_institution)


@rules.predicate
def is_published_statement(user, statement):
    return statement is not None and statement.published_at is not None


@rules.predicate
def is_statement_staff(user, statement):
    return statement is not None and is_institution_staff(
        user, Institution(pk=statement.institution_id)
    )


rules.add_perm(
    "consultations.view_annual_report",
    is_published_statement | is_statement_staff | is_coordinator,
)
rules.add_perm("consultations.view_national_reports", is_coordinator)

# The administration site (read-only for coordinators, see admin.py).
for _model in ("moderationlogentry", "debaterequest", "notification"):
    rules.add_perm(f"consultations.view_{_model}", is_coordinator)
