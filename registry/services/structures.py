"""Writes to advisory structures, their seats, calls for members, applications and
meetings.

Callers check the named permission first (registry.manage_structures,
registry.manage_seats, registry.create_call, registry.change_call,
registry.decide_application, registry.apply_to_call); these functions keep the records
consistent, refuse what the rules of the structure forbid with a clear message, and send
the e-mails that go with each decision.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conect.core.emails import enqueue_email
from conect.core.text import fold, sanitize_html

from ..models import (
    AdvisoryStructure,
    Institution,
    Meeting,
    MembershipApplication,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
    Seat,
)
from ..stats import bump_stats_version
from .institutions import track
from .officials import end_current_seats

STRUCTURE_FIELDS = (
    "name",
    "kind",
    "legal_basis",
    "territorial_level",
    "region",
    "county",
    "description",
    "status",
)
# What the map counts: a change to any of these invalidates its statistics.
MAPPED_FIELDS = ("status", "territorial_level", "region_id", "county_id")
CALL_FIELDS = ("title", "description", "seats_available", "opens_on", "closes_on")
MEETING_FIELDS = ("held_at", "location", "online_link", "agenda", "minutes")

SEAT_HOLDER_STATUSES = (Organisation.Status.VERIFIED, Organisation.Status.IMPORTED)


# --- Structures ----------------------------------------------------------------


def _prepare_structure(structure: AdvisoryStructure) -> None:
    structure.name = " ".join(structure.name.split())
    structure.description = sanitize_html(structure.description)
    structure.search_name = fold(structure.name)


@transaction.atomic
def structure_create(
    *,
    institution: Institution,
    actor,
    name: str,
    kind: str,
    territorial_level: str,
    legal_basis: str = "",
    domains=(),
    region=None,
    county=None,
    description: str = "",
    status: str = AdvisoryStructure.Status.ACTIVE,
) -> AdvisoryStructure:
    """Record an advisory structure of `institution`. Its region follows its county."""
    structure = AdvisoryStructure(
        institution=institution,
        name=name,
        kind=kind,
        legal_basis=legal_basis.strip(),
        territorial_level=territorial_level,
        region=region,
        county=county,
        description=description,
        status=status,
    )
    _prepare_structure(structure)
    structure.full_clean()
    track(structure, actor)
    structure.save()
    structure.domains.set(domains)
    bump_stats_version()
    return structure


@transaction.atomic
def structure_update(
    *, structure: AdvisoryStructure, actor, domains=None, **changes
) -> AdvisoryStructure:
    """Change a structure. Dissolving it closes its open calls and ends its running
    seats today; the map's statistics follow any change of status, area or domains."""
    unknown = set(changes) - set(STRUCTURE_FIELDS)
    if unknown:
        raise TypeError(f"structure_update() got unexpected fields: {sorted(unknown)}")
    # Work on the stored row: a bound form may already have changed the caller's copy.
    structure = AdvisoryStructure.objects.select_for_update().get(pk=structure.pk)
    before = {field: getattr(structure, field) for field in MAPPED_FIELDS}
    for field, value in changes.items():
        setattr(structure, field, value)
    _prepare_structure(structure)
    structure.full_clean()
    track(structure, actor)
    structure.save()
    mapped_change = any(getattr(structure, f) != before[f] for f in MAPPED_FIELDS)
    if domains is not None and set(domains) != set(structure.domains.all()):
        structure.domains.set(domains)
        mapped_change = True
    if (
        before["status"] != AdvisoryStructure.Status.DISSOLVED
        and structure.status == AdvisoryStructure.Status.DISSOLVED
    ):
        for call in structure.calls.filter(status=MembershipCall.Status.OPEN):
            call.status = MembershipCall.Status.CLOSED
            track(call, actor)
            call.save(update_fields=["status"])
        end_current_seats(structure.seats.all(), actor)
    if mapped_change:
        bump_stats_version()
    return structure


# --- Seats ---------------------------------------------------------------------


def _check_holder(organisation, official) -> None:
    if bool(organisation) == bool(official):
        raise ValidationError(
            _("A seat is held by exactly one organisation or one official: choose one of them.")
        )
    if organisation is not None and organisation.status not in SEAT_HOLDER_STATUSES:
        raise ValidationError(
            {
                "organisation": _("%(name)s is not a verified organisation and cannot hold a seat.")
                % {"name": organisation.name}
            }
        )
    if official is not None and not official.is_published:
        raise ValidationError(
            {
                "official": _(
                    "%(name)s has not agreed to be published (or was removed) and cannot "
                    "hold a seat."
                )
                % {"name": official.name}
            }
        )


def _check_open(structure: AdvisoryStructure) -> None:
    if structure.status == AdvisoryStructure.Status.DISSOLVED:
        raise ValidationError(_("This advisory structure was dissolved."))


@transaction.atomic
def seat_add(
    *,
    structure: AdvisoryStructure,
    actor,
    role: str = Seat.Role.MEMBER,
    mandate_start: datetime.date,
    mandate_end: datetime.date | None = None,
    organisation: Organisation | None = None,
    official: RelationshipOfficial | None = None,
) -> Seat:
    """Give a seat to one organisation (verified or imported) or one published official,
    with a role and a mandate that does not end before it starts."""
    _check_open(structure)
    _check_holder(organisation, official)
    seat = Seat(
        structure=structure,
        organisation=organisation,
        official=official,
        role=role,
        mandate_start=mandate_start,
        mandate_end=mandate_end,
    )
    seat.full_clean()
    track(seat, actor)
    seat.save()
    return seat


@transaction.atomic
def seat_end(*, seat: Seat, actor, mandate_end: datetime.date | None = None) -> Seat:
    """End a seat's mandate on `mandate_end` (today by default)."""
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    mandate_end = mandate_end or timezone.localdate()
    if mandate_end < seat.mandate_start:
        raise ValidationError({"mandate_end": _("The mandate cannot end before it starts.")})
    seat.mandate_end = mandate_end
    seat.full_clean()
    track(seat, actor)
    seat.save(update_fields=["mandate_end"])
    return seat


# --- Calls for members -----------------------------------------------------------


@transaction.atomic
def call_create(
    *,
    structure: AdvisoryStructure,
    actor,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    seats_available: int = 1,
    description: str = "",
) -> MembershipCall:
    """Open a call for members of an active structure."""
    if structure.status != AdvisoryStructure.Status.ACTIVE:
        raise ValidationError(_("Only an active advisory structure can call for members."))
    call = MembershipCall(
        structure=structure,
        title=" ".join(title.split()),
        description=sanitize_html(description),
        seats_available=seats_available,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    call.full_clean()
    if seats_available < 1:
        raise ValidationError({"seats_available": _("A call offers at least one seat.")})
    track(call, actor)
    call.save()
    return call


@transaction.atomic
def call_update(*, call: MembershipCall, actor, **changes) -> MembershipCall:
    """Change a call that is still open (to correct it or extend its closing date)."""
    unknown = set(changes) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"call_update() got unexpected fields: {sorted(unknown)}")
    call = MembershipCall.objects.select_for_update().get(pk=call.pk)
    if call.status != MembershipCall.Status.OPEN:
        raise ValidationError(_("This call is closed and can no longer be changed."))
    for field, value in changes.items():
        setattr(call, field, value)
    call.title = " ".join(call.title.split())
    call.description = sanitize_html(call.description)
    call.full_clean()
    if call.seats_available < 1:
        raise ValidationError({"seats_available": _("A call offers at least one seat.")})
    track(call, actor)
    call.save()
    return call


@transaction.atomic
def call_close(*, call: MembershipCall, actor) -> MembershipCall:
    """Close a call before its closing date: no more applications are accepted."""
    call = MembershipCall.objects.select_for_update().get(pk=call.pk)
    if call.status != MembershipCall.Status.OPEN:
        raise ValidationError(_("This call is already closed."))
    call.status = _closed_status(call)
    track(call, actor)
    call.save(update_fields=["status"])
    return call


def _closed_status(call: MembershipCall) -> str:
    """Closed, or decided when no application waits for an answer any more."""
    waiting = call.applications.filter(status=MembershipApplication.Status.PENDING).exists()
    has_any = call.applications.exists()
    if has_any and not waiting:
        return MembershipCall.Status.DECIDED
    return MembershipCall.Status.CLOSED


# --- Applications --------------------------------------------------------------


def _organisation_cannot_apply_message(organisation: Organisation) -> str:
    # Each sentence is written out so that translators see it whole.
    messages = {
        Organisation.Status.PENDING: _(
            "%(name)s is still waiting for verification by the coordinators and cannot apply yet."
        ),
        Organisation.Status.REJECTED: _(
            "%(name)s was not verified by the coordinators and cannot apply."
        ),
        Organisation.Status.SUSPENDED: _("%(name)s is suspended and cannot apply."),
        Organisation.Status.IMPORTED: _(
            "%(name)s was imported from the national registry and has not been claimed "
            "and verified yet: it cannot apply."
        ),
    }
    return messages[organisation.status] % {"name": organisation.name}


@transaction.atomic
def application_submit(
    *, call: MembershipCall, organisation: Organisation, user, motivation: str
) -> MembershipApplication:
    """An administrator of a verified organisation applies for it to an open call.

    Refused, with the reason, when the user does not administer the organisation, the
    organisation is not verified, the call is not open today (or its structure is no
    longer active), or the organisation has already applied to this call.
    """
    is_admin = OrganisationMembership.objects.filter(
        organisation=organisation, user=user, role=OrganisationMembership.Role.ADMIN
    ).exists()
    if not is_admin:
        raise PermissionDenied(_("Only an administrator of the organisation can apply for it."))
    if organisation.status != Organisation.Status.VERIFIED:
        raise ValidationError(
            {"organisation": _organisation_cannot_apply_message(organisation)},
            code="organisation_not_verified",
        )
    if not organisation.is_registry_active:
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s is %(state)s in the National NGO Registry: only active "
                    "organisations apply."
                )
                % {"name": organisation.name, "state": organisation.get_registry_state_display()}
            },
            code="organisation_not_active",
        )
    call = MembershipCall.objects.select_related("structure").get(pk=call.pk)
    today = timezone.localdate()
    if call.structure.status != AdvisoryStructure.Status.ACTIVE:
        raise ValidationError(_("This advisory structure is no longer active."), code="call_closed")
    if call.status != MembershipCall.Status.OPEN or today > call.closes_on:
        raise ValidationError(
            _("This call for members is closed: applications are no longer accepted."),
            code="call_closed",
        )
    if today < call.opens_on:
        raise ValidationError(
            _("This call for members opens on %(date)s: apply from that day.")
            % {"date": date_format(call.opens_on)},
            code="call_not_open",
        )
    motivation = (motivation or "").strip()
    if not motivation:
        raise ValidationError({"motivation": _("Explain why the organisation applies.")})
    if MembershipApplication.objects.filter(call=call, organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(name)s has already applied to this call.")
                % {"name": organisation.name}
            },
            code="duplicate",
        )
    application = MembershipApplication(
        call=call, organisation=organisation, submitted_by=user, motivation=motivation
    )
    application.full_clean(validate_unique=False)
    track(application, user)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same organisation applied at the same moment
        raise ValidationError(
            {
                "organisation": _("%(name)s has already applied to this call.")
                % {"name": organisation.name}
            },
            code="duplicate",
        ) from None
    return application


@transaction.atomic
def application_decide(
    *,
    application: MembershipApplication,
    actor,
    accept: bool,
    reason: str = "",
    role: str = Seat.Role.MEMBER,
    mandate_start: datetime.date | None = None,
    mandate_end: datetime.date | None = None,
) -> MembershipApplication:
    """Accept an application (the organisation gets a seat with `role` and the mandate
    given, from today by default) or reject it with a reason. The person who applied is
    told by e-mail, in their language. When no application of a closed call waits any
    more, the call becomes decided."""
    application = (
        MembershipApplication.objects.select_for_update(of=("self",))
        .select_related("call__structure", "organisation", "submitted_by")
        .get(pk=application.pk)
    )
    if application.status != MembershipApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    call = application.call
    reason = (reason or "").strip()
    if accept:
        accepted = call.applications.filter(status=MembershipApplication.Status.ACCEPTED).count()
        if accepted >= call.seats_available:
            raise ValidationError(
                _(
                    "All the seats of this call are already filled: reject this "
                    "application or offer more seats first."
                )
            )
        seat = seat_add(
            structure=call.structure,
            actor=actor,
            organisation=application.organisation,
            role=role,
            mandate_start=mandate_start or timezone.localdate(),
            mandate_end=mandate_end,
        )
        application.status = MembershipApplication.Status.ACCEPTED
        application.seat = seat
    else:
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the rejection.")})
        application.status = MembershipApplication.Status.REJECTED
    application.decision_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor
    track(application, actor)
    application.save()

    if call.status == MembershipCall.Status.CLOSED or call.closes_on < timezone.localdate():
        waiting = call.applications.filter(status=MembershipApplication.Status.PENDING)
        if not waiting.exists() and call.status != MembershipCall.Status.DECIDED:
            call.status = MembershipCall.Status.DECIDED
            track(call, actor)
            call.save(update_fields=["status"])

    if application.submitted_by_id and application.submitted_by.is_active:
        decision = "accepted" if accept else "rejected"
        enqueue_email(
            to_user=application.submitted_by,
            template=f"registry/emails/application_{decision}",
            context={
                "organisation_name": application.organisation.name,
                "structure_id": call.structure_id,
                "structure_name": call.structure.name,
                "call_title": call.title,
                "reason": reason,
                "role": application.seat.role if application.seat_id else "",
            },
            key=f"application-{decision}:{application.pk}",
        )
    return application


# --- Meetings ------------------------------------------------------------------


def _prepare_meeting(meeting: Meeting) -> None:
    meeting.location = " ".join(meeting.location.split())
    meeting.agenda = sanitize_html(meeting.agenda)
    meeting.minutes = sanitize_html(meeting.minutes)


@transaction.atomic
def meeting_create(
    *,
    structure: AdvisoryStructure,
    actor,
    held_at: datetime.datetime,
    agenda: str,
    location: str = "",
    online_link: str = "",
    minutes: str = "",
) -> Meeting:
    """Record a meeting of a structure (planned or held), with its agenda and minutes."""
    _check_open(structure)
    meeting = Meeting(
        structure=structure,
        held_at=held_at,
        location=location,
        online_link=online_link,
        agenda=agenda,
        minutes=minutes,
    )
    _prepare_meeting(meeting)
    meeting.full_clean()
    track(meeting, actor)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, **changes) -> Meeting:
    """Change a meeting, typically to add its minutes once it was held."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields: {sorted(unknown)}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for field, value in changes.items():
        setattr(meeting, field, value)
    _prepare_meeting(meeting)
    meeting.full_clean()
    track(meeting, actor)
    meeting.save()
    return meeting
