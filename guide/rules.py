"""Every permission of the guide app, by name (views, the API and templates ask these).

The guide is public once an edition is published; coordinators write and publish it.
Training sessions are announced by coordinators and by civil servants in their
institution's name; anyone with a verified e-mail registers. Practices are submitted by
civil servants and NGO members and published by coordinators.
"""

import rules

from conect.accounts.rules import is_authenticated, is_coordinator, is_verified
from registry.rules.predicates import (
    is_civil_servant,
    is_institution_staff,
    is_ngo_representative,
)

from .models import Practice, TrainingSession


@rules.predicate
def is_session_organiser(user, session):
    """A civil servant of the institution that organises the session."""
    return bool(
        session is not None
        and session.institution_id
        and is_institution_staff(user, session.institution)
    )


@rules.predicate
def is_open_session(user, session):
    return bool(
        session is not None
        and session.status == TrainingSession.Status.ANNOUNCED
        and session.is_upcoming
    )


@rules.predicate
def is_attendee(user, registration):
    return bool(
        registration is not None
        and is_authenticated(user)
        and registration.user_id == user.pk
        and registration.attended
    )


@rules.predicate
def is_published_practice(user, practice):
    return practice is not None and practice.status == Practice.Status.PUBLISHED


@rules.predicate
def is_practice_submitter(user, practice):
    return bool(
        practice is not None and is_authenticated(user) and practice.submitted_by_id == user.pk
    )


# The guide.
rules.add_perm("guide.edit_guide", is_coordinator)
rules.add_perm("guide.publish_edition", is_coordinator)
rules.add_perm("guide.view_monitoring", is_coordinator)

# Training sessions.
rules.add_perm("guide.add_trainingsession", is_coordinator | is_civil_servant)
rules.add_perm("guide.change_trainingsession", is_coordinator | is_session_organiser)
rules.add_perm("guide.register_trainingsession", is_verified & is_open_session)
rules.add_perm("guide.get_certificate", is_attendee)
rules.add_perm("guide.give_training_feedback", is_attendee)

# The library of good practices.
rules.add_perm("guide.add_practice", is_civil_servant | is_ngo_representative)
rules.add_perm(
    "guide.view_practice", is_published_practice | is_practice_submitter | is_coordinator
)
rules.add_perm("guide.publish_practice", is_coordinator)

# The innovation network.
rules.add_perm("guide.join_network", is_civil_servant | is_ngo_representative)
