"""Training sessions: announcement, registration with a waiting list, attendance,
feedback, and the e-mails that go with them.

The waiting list: a registration is confirmed while there are places, else it waits.
Every change to who holds a place locks the session's row first (select_for_update), so
sign-ups and cancellations arriving at the same moment are taken one after the other and
nobody is ever confirmed over capacity. A cancellation of a confirmed place confirms the
oldest waiting registration at once, in the same transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conect.accounts.rules import is_coordinator, is_verified
from conect.core import outbox
from registry.rules.predicates import (
    _institution_roles,
    _org_roles,
    is_institution_staff,
)

from ..models import Registration, TrainingFeedback, TrainingSession

Status = Registration.Status
SESSION_FIELDS = (
    "topic",
    "description",
    "audience",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "trainers",
    "institution",
    "is_network_event",
    "feedback_survey",
)


def can_organise(actor, session: TrainingSession | None = None) -> bool:
    """A coordinator, or a civil servant of the organising institution."""
    if actor is None:
        return False
    if is_coordinator(actor):
        return True
    if session is None:
        return bool(_institution_roles(actor)) if actor.is_authenticated else False
    return session.institution is not None and is_institution_staff(actor, session.institution)


def require_organiser(actor, session: TrainingSession | None = None) -> None:
    if not can_organise(actor, session):
        raise PermissionDenied(
            _("Only the coordinators and the organising institution may do this.")
        )


def session_save(*, actor, session: TrainingSession | None = None, sections=None, **data):
    """Announce a session, or change one. An institution announces sessions in its own
    name only; a session needs a place or an online link, and places."""
    creating = session is None
    session = session or TrainingSession(created_by=actor)
    for field in SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    session.topic = (session.topic or "").strip()
    session.place = (session.place or "").strip()
    if not is_coordinator(actor):
        if session.institution is None or not is_institution_staff(actor, session.institution):
            raise PermissionDenied(
                _("Choose an institution you work for: sessions are announced in its name.")
            )
    elif not creating:
        require_organiser(actor, session)
    errors = {}
    if not session.place and not session.online_url:
        errors["place"] = _("Give a place or an online link.")
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if creating and session.starts_at and session.starts_at <= timezone.now():
        errors["starts_at"] = _("A session is announced before it starts.")
    survey_error = _feedback_survey_error(actor, session)
    if survey_error:
        errors["feedback_survey"] = survey_error
    if errors:
        raise ValidationError(errors)
    session.full_clean()
    with transaction.atomic():
        if not creating:
            locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
            confirmed = locked.registrations.filter(status=Status.CONFIRMED).count()
            if session.capacity < confirmed:
                raise ValidationError(
                    {
                        "capacity": ngettext(
                            "%(count)d person already holds a place: the session cannot "
                            "have fewer places.",
                            "%(count)d people already hold a place: the session cannot "
                            "have fewer places.",
                            confirmed,
                        )
                        % {"count": confirmed}
                    }
                )
        session.save()
        if sections is not None:
            session.sections.set(sections)
        if not creating:
            _promote(session)
    return session


def _feedback_survey_error(actor, session: TrainingSession) -> str | None:
    """Why the session's feedback questionnaire cannot be used, or None. The attendees
    must be able to answer it (not a roster's questionnaire), and the organiser must
    manage it; one chosen earlier by someone else may stay."""
    from surveys.models import Survey

    survey = session.feedback_survey
    if survey is None:
        return None
    if survey.audience == Survey.Audience.ROSTER:
        return _(
            "The attendees cannot answer a questionnaire meant for a roster: choose one "
            "open to anyone or to signed-in users."
        )
    unchanged = session.pk and (
        TrainingSession.objects.filter(pk=session.pk, feedback_survey=survey).exists()
    )
    if not unchanged and not actor.has_perm("surveys.change_survey", survey):
        return _("Choose a questionnaire that you manage.")
    return None


def session_cancel(*, actor, session: TrainingSession) -> TrainingSession:
    """Cancel a session; everyone registered is told."""
    require_organiser(actor, session)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status == TrainingSession.Status.CANCELLED:
            return session
        session.status = TrainingSession.Status.CANCELLED
        session.save(update_fields=["status"])
        for registration in session.registrations.exclude(status=Status.CANCELLED).select_related(
            "user"
        ):
            _email(
                registration, "session_cancelled", f"training-session-cancelled:{registration.pk}"
            )
    return session


def _email(registration: Registration, name: str, key: str) -> None:
    """E-mail `guide/emails/<name>` about this registration once the transaction commits
    (through the outbox), in the person's language, once for `key`."""
    from ..tasks import send_training_email

    outbox.enqueue(send_training_email, registration_id=registration.pk, name=name, key=key)


def _confirm(registration: Registration, now) -> None:
    registration.status = Status.CONFIRMED
    registration.confirmed_at = now
    registration.save(update_fields=["status", "confirmed_at"])
    _email(
        registration,
        "registration_confirmed",
        f"training-confirmed:{registration.pk}:{now.timestamp()}",
    )


def _promote(session: TrainingSession) -> list[Registration]:
    """Confirm the oldest waiting registrations while places are free (the session's row
    is locked by the caller)."""
    confirmed = session.registrations.filter(status=Status.CONFIRMED).count()
    free = session.capacity - confirmed
    if free <= 0:
        return []
    waiting = list(
        session.registrations.filter(status=Status.WAITING)
        .select_related("user")
        .order_by("registered_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in waiting:
        _confirm(registration, now)
    return waiting


def _check_represented(user, institution, organisation) -> None:
    if institution is not None and institution.pk not in _institution_roles(user):
        raise ValidationError({"institution": _("Choose an institution you work for.")})
    if organisation is not None and organisation.pk not in _org_roles(user):
        raise ValidationError({"organisation": _("Choose an organisation you belong to.")})


def register(*, session: TrainingSession, user, institution=None, organisation=None):
    """Register a verified user: a place when there is one, else the waiting list. Whoever
    cancelled before may register again (at the end of the list)."""
    if not is_verified(user):
        raise PermissionDenied(_("Only users with a verified e-mail address can register."))
    _check_represented(user, institution, organisation)
    if institution is None and organisation is None:
        # The one body the person acts for, when there is only one: the dashboard counts it.
        institutions, organisations = list(_institution_roles(user)), list(_org_roles(user))
        if len(institutions) == 1 and not organisations:
            institution = institutions[0]
        elif len(organisations) == 1 and not institutions:
            organisation = organisations[0]
    institution_id = getattr(institution, "pk", institution)
    organisation_id = getattr(organisation, "pk", organisation)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status != TrainingSession.Status.ANNOUNCED or not session.is_upcoming:
            raise ValidationError(_("Registration for this session is closed."))
        registration = Registration.objects.filter(session=session, user=user).first()
        if registration is not None and registration.status != Status.CANCELLED:
            raise ValidationError(_("You are already registered for this session."))
        confirmed = session.registrations.filter(status=Status.CONFIRMED).count()
        now = timezone.now()
        registration = registration or Registration(session=session, user=user)
        registration.institution_id = institution_id
        registration.organisation_id = organisation_id
        registration.registered_at = now
        registration.cancelled_at = None
        registration.confirmed_at = None
        registration.status = Status.WAITING
        registration.save()
        if confirmed < session.capacity:
            _confirm(registration, now)
        else:
            _email(
                registration,
                "registration_waiting",
                f"training-waiting:{registration.pk}:{now.timestamp()}",
            )
    return registration


def cancel(*, registration: Registration, actor) -> Registration:
    """Give up a place (or a place on the waiting list); the first person waiting gets
    the place at once and is told by e-mail."""
    if actor is None or registration.user_id != actor.pk:
        raise PermissionDenied(_("You can cancel only your own registration."))
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=registration.session_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            raise ValidationError(_("This registration was already cancelled."))
        if session.has_ended:
            raise ValidationError(_("The session has already taken place."))
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        _promote(session)
    return registration


def attendance_mark(*, actor, session: TrainingSession, present_ids) -> int:
    """The organiser marks who attended (the others confirmed are marked absent), once
    the session has started. Returns how many attended."""
    require_organiser(actor, session)
    if session.is_upcoming:
        raise ValidationError(_("Attendance is marked once the session has started."))
    present = {int(pk) for pk in present_ids}
    with transaction.atomic():
        confirmed = Registration.objects.select_for_update().filter(
            session=session, status=Status.CONFIRMED
        )
        rows = list(confirmed)
        unknown = present - {r.pk for r in rows}
        if unknown:
            raise ValidationError(_("Mark only people who hold a confirmed place."))
        for row in rows:
            row.attended = row.pk in present
        Registration.objects.bulk_update(rows, ["attended"])
    return len(present)


def feedback_give(*, registration: Registration, actor, rating: int, liked="", improve=""):
    """The attendee's answer to the short feedback form, once."""
    if actor is None or registration.user_id != actor.pk:
        raise PermissionDenied(_("You can answer only for your own registration."))
    if not registration.attended:
        raise ValidationError(_("The feedback form is for the people who attended."))
    if TrainingFeedback.objects.filter(registration=registration).exists():
        raise ValidationError(_("You have already answered. Thank you!"))
    feedback = TrainingFeedback(
        registration=registration,
        rating=rating,
        liked=(liked or "").strip(),
        improve=(improve or "").strip(),
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def send_reminders(*, within_hours: int = 48) -> int:
    """E-mail a reminder to every confirmed person of the sessions starting within
    `within_hours` (once per registration: the key keeps it from going twice)."""
    now = timezone.now()
    rows = Registration.objects.filter(
        status=Status.CONFIRMED,
        session__status=TrainingSession.Status.ANNOUNCED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + datetime.timedelta(hours=within_hours),
    ).select_related("user")
    count = 0
    with transaction.atomic():
        for registration in rows:
            _email(registration, "reminder", f"training-reminder:{registration.pk}")
            count += 1
    return count


def send_feedback_requests(*, days: int = 7) -> int:
    """Ask the attendees of the sessions that ended in the last `days` days for their
    feedback (once each), through the feedback provider (guide/feedback.py)."""
    now = timezone.now()
    rows = Registration.objects.filter(
        attended=True,
        feedback__isnull=True,
        session__ends_at__lte=now,
        session__ends_at__gt=now - datetime.timedelta(days=days),
    ).select_related("user")
    count = 0
    with transaction.atomic():
        for registration in rows:
            _email(registration, "feedback_request", f"training-feedback:{registration.pk}")
            count += 1
    return count
