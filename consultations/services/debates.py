"""Public debates: requested, scheduled, declined, attended, minuted."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conect.accounts.rules import is_verified
from registry.models import Institution, Organisation
from registry.rules.predicates import is_institution_staff, is_organisation_member

from .. import notifications
from ..models import Channel, Consultation, Debate, DebateRegistration, DebateRequest
from .common import State, clean_rich_text, require_staff


def debate_request_create(
    *,
    consultation: Consultation,
    actor,
    motivation: str,
    organisation: Organisation | None = None,
    institution: Institution | None = None,
    channel: str = Channel.ONLINE,
    requested_on: datetime.date | None = None,
) -> DebateRequest:
    """A public debate is requested, while the consultation is open, by a legally
    constituted association (one of its members) or by another public authority (one of
    its civil servants); one request per requester. The owning institution's staff may
    also record a request that reached them by letter or e-mail, with its date."""
    if (organisation is None) == (institution is None):
        raise ValidationError(_("Choose the association or the public authority that asks."))
    recorded = channel != Channel.ONLINE
    if recorded:
        require_staff(actor, consultation)
        if channel not in Channel.values:
            raise ValidationError({"channel": _("Choose how the request was received.")})
        if requested_on is None or requested_on > timezone.localdate():
            raise ValidationError(
                {"requested_on": _("Give the date of the request (not in the future).")}
            )
        if institution is not None and institution.pk == consultation.institution_id:
            raise ValidationError(
                {"institution": _("The institution cannot ask itself for a debate.")}
            )
    elif organisation is not None:
        if not is_organisation_member(actor, organisation):
            raise PermissionDenied(
                _("You can ask for a debate only for an organisation you belong to.")
            )
    else:
        if institution.pk == consultation.institution_id or not is_institution_staff(
            actor, institution
        ):
            raise PermissionDenied(
                _("You can ask for a debate only for another public authority you work for.")
            )
    if recorded:
        if consultation.state not in (State.OPEN, State.CLOSED, State.UNDER_ANALYSIS):
            raise ValidationError(_("A request for a debate can no longer be recorded."))
    elif not consultation.is_accepting_recommendations:
        raise ValidationError(
            _("A public debate can be requested only while the consultation is open.")
        )
    motivation = (motivation or "").strip()
    if not motivation:
        raise ValidationError({"motivation": _("Explain why a public debate is needed.")})
    try:
        with transaction.atomic():
            return DebateRequest.objects.create(
                consultation=consultation,
                organisation=organisation,
                institution=institution,
                channel=channel,
                requested_on=requested_on or timezone.localdate(),
                requested_by=actor,
                motivation=motivation,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(organisation)s has already asked for a debate on this consultation.")
            % {"organisation": (organisation or institution).name}
        ) from None


@transaction.atomic
def debate_schedule(
    *,
    consultation: Consultation,
    actor,
    starts_at: datetime.datetime,
    place: str = "",
    online_url: str = "",
    details: str = "",
    request_ids: Iterable[int] = (),
    capacity: int | None = None,
    minutes_per_speaker: int = 5,
) -> Debate:
    """Schedule a public debate at least CONSULTATION_DEBATE_MIN_NOTICE_DAYS days ahead,
    honouring the chosen pending requests; their organisations are notified."""
    require_staff(actor, consultation)
    if consultation.state not in (State.OPEN, State.CLOSED, State.UNDER_ANALYSIS):
        raise ValidationError(_("A public debate can no longer be scheduled."))
    notice = settings.CONSULTATION_DEBATE_MIN_NOTICE_DAYS
    if starts_at < timezone.now() + datetime.timedelta(days=notice):
        raise ValidationError(
            {
                "starts_at": ngettext(
                    "The debate must be announced at least %(days)d day ahead.",
                    "The debate must be announced at least %(days)d days ahead.",
                    notice,
                )
                % {"days": notice}
            }
        )
    place, online_url = (place or "").strip(), (online_url or "").strip()
    if not place and not online_url:
        raise ValidationError({"place": _("Give a place or an online link.")})
    debate = Debate(
        consultation=consultation,
        starts_at=starts_at,
        place=place,
        online_url=online_url,
        details=(details or "").strip(),
        capacity=capacity or None,
        minutes_per_speaker=minutes_per_speaker or 5,
        created_by=actor,
    )
    debate.full_clean()
    debate.save()
    requests = list(
        DebateRequest.objects.select_for_update().filter(
            consultation=consultation, pk__in=list(request_ids), status=DebateRequest.Status.PENDING
        )
    )
    now = timezone.now()
    for debate_request in requests:
        debate_request.status = DebateRequest.Status.SCHEDULED
        debate_request.debate = debate
        debate_request.decided_at = now
        debate_request.decided_by = actor
    DebateRequest.objects.bulk_update(requests, ["status", "debate", "decided_at", "decided_by"])
    notifications.notify_debate_scheduled(debate)
    return debate


def debate_request_decline(*, debate_request: DebateRequest, actor, reason: str) -> DebateRequest:
    """Decline a request for a debate, with a public reason."""
    require_staff(actor, debate_request.consultation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain publicly why no debate will be held.")})
    with transaction.atomic():
        locked = DebateRequest.objects.select_for_update().get(pk=debate_request.pk)
        if locked.status != DebateRequest.Status.PENDING:
            raise ValidationError(_("This request was already answered."))
        locked.status = DebateRequest.Status.DECLINED
        locked.decision_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
    return locked


def _locked_debate(debate: Debate) -> Debate:
    """The debate's row, locked until the transaction ends: registrations and
    cancellations of one debate are taken one at a time, so that two people never get the
    last place and a cancelled place goes to exactly one person on the waiting list."""
    return Debate.objects.select_for_update().get(pk=debate.pk)


@transaction.atomic
def debate_register(
    *,
    debate: Debate,
    user,
    mode: str = DebateRegistration.Mode.IN_PERSON,
    wants_to_speak: bool = False,
) -> DebateRegistration:
    """Register a verified user for an upcoming debate, once, in person or online, and
    perhaps to speak. Within the debate's capacity the registration is confirmed;
    beyond it, the person is put on the waiting list."""
    if not is_verified(user):
        raise PermissionDenied(_("Only users with a verified e-mail address can register."))
    debate = _locked_debate(debate)
    if not debate.is_upcoming:
        raise ValidationError(_("This debate has already taken place."))
    if mode not in DebateRegistration.Mode.values:
        raise ValidationError({"mode": _("Choose whether you take part in person or online.")})
    if DebateRegistration.objects.filter(debate=debate, user=user).exists():
        raise ValidationError(_("You are already registered for this debate."))
    confirmed = DebateRegistration.objects.filter(
        debate=debate, status=DebateRegistration.Status.CONFIRMED
    ).count()
    full = debate.capacity is not None and confirmed >= debate.capacity
    return DebateRegistration.objects.create(
        debate=debate,
        user=user,
        mode=mode,
        wants_to_speak=bool(wants_to_speak),
        status=DebateRegistration.Status.WAITING if full else DebateRegistration.Status.CONFIRMED,
    )


@transaction.atomic
def debate_unregister(*, debate: Debate, user) -> DebateRegistration | None:
    """Cancel a registration; a confirmed place that frees goes to the first person on
    the waiting list, who is returned (None when nobody moves up)."""
    debate = _locked_debate(debate)
    registration = DebateRegistration.objects.filter(debate=debate, user=user).first()
    if registration is None:
        raise ValidationError(_("You were not registered for this debate."))
    registration.delete()
    if registration.status != DebateRegistration.Status.CONFIRMED:
        return None
    first_waiting = (
        DebateRegistration.objects.filter(debate=debate, status=DebateRegistration.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first_waiting is None:
        return None
    first_waiting.status = DebateRegistration.Status.CONFIRMED
    first_waiting.save(update_fields=["status"])
    return first_waiting


def _remaining_speakers(debate: Debate):
    return DebateRegistration.objects.filter(
        debate=debate,
        status=DebateRegistration.Status.CONFIRMED,
        wants_to_speak=True,
        spoken_at__isnull=True,
    )


@transaction.atomic
def debate_mark_spoken(*, registration: DebateRegistration, actor) -> Debate:
    """The staff record that a registered speaker has spoken; once every registered
    speaker has spoken, the debate ends."""
    debate = _locked_debate(registration.debate)
    require_staff(actor, debate.consultation)
    if debate.is_upcoming:
        raise ValidationError(_("The debate has not started yet."))
    if debate.ended_at is not None:
        raise ValidationError(_("This debate has ended."))
    registration = DebateRegistration.objects.select_for_update().get(pk=registration.pk)
    confirmed = registration.status == DebateRegistration.Status.CONFIRMED
    if not (registration.wants_to_speak and confirmed):
        raise ValidationError(_("This person is not on the list of speakers."))
    if registration.spoken_at is not None:
        raise ValidationError(_("This speaker has already spoken."))
    registration.spoken_at = timezone.now()
    registration.save(update_fields=["spoken_at"])
    if not _remaining_speakers(debate).exists():
        debate.ended_at = timezone.now()
        debate.save(update_fields=["ended_at"])
    return debate


@transaction.atomic
def debate_end(*, debate: Debate, actor) -> Debate:
    """End a debate that has started, once every registered speaker has spoken."""
    debate = _locked_debate(debate)
    require_staff(actor, debate.consultation)
    if debate.is_upcoming:
        raise ValidationError(_("The debate has not started yet."))
    if debate.ended_at is not None:
        raise ValidationError(_("This debate has ended."))
    remaining = _remaining_speakers(debate).count()
    if remaining:
        raise ValidationError(
            ngettext(
                "The debate ends when every registered speaker has spoken: %(count)d has not.",
                "The debate ends when every registered speaker has spoken: %(count)d have not.",
                remaining,
            )
            % {"count": remaining}
        )
    debate.ended_at = timezone.now()
    debate.save(update_fields=["ended_at"])
    return debate


def debate_record(
    *,
    debate: Debate,
    actor,
    attendance_count: int | None,
    organisations: Iterable[Organisation] = (),
    attending_others: str = "",
    recording_url: str = "",
    minutes_drawn_up_on: datetime.date | None = None,
    minutes_archived_on: datetime.date | None = None,
    minutes_archive_reference: str = "",
) -> Debate:
    """Record what happened at a debate that took place: how many people came, which
    organisations, the recording, and when the minutes were drawn up and archived."""
    require_staff(actor, debate.consultation)
    if debate.is_upcoming:
        raise ValidationError(_("The debate has not taken place yet."))
    today = timezone.localdate()
    errors = {}
    for name, day in (
        ("minutes_drawn_up_on", minutes_drawn_up_on),
        ("minutes_archived_on", minutes_archived_on),
    ):
        if day is not None and (day > today or day < timezone.localdate(debate.starts_at)):
            errors[name] = [_("Choose a day between the debate and today.")]
    if minutes_archived_on and not minutes_drawn_up_on:
        errors["minutes_drawn_up_on"] = [_("Minutes are drawn up before they are archived.")]
    elif minutes_archived_on and minutes_archived_on < minutes_drawn_up_on:
        errors["minutes_archived_on"] = [_("Minutes are drawn up before they are archived.")]
    if errors:
        raise ValidationError(errors)
    debate.attendance_count = attendance_count
    debate.attending_others = (attending_others or "").strip()
    debate.recording_url = (recording_url or "").strip()
    debate.minutes_drawn_up_on = minutes_drawn_up_on
    debate.minutes_archived_on = minutes_archived_on
    debate.minutes_archive_reference = (minutes_archive_reference or "").strip()
    debate.full_clean()
    with transaction.atomic():
        debate.save()
        debate.attending_organisations.set(list(organisations))
    return debate


def debate_publish_minutes(*, debate: Debate, actor, minutes: str) -> Debate:
    """Publish the minutes of a debate that took place."""
    require_staff(actor, debate.consultation)
    if debate.is_upcoming:
        raise ValidationError(_("The minutes can be published once the debate has taken place."))
    cleaned = clean_rich_text(minutes)
    if not strip_tags(cleaned).strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    debate.minutes = cleaned
    debate.minutes_published_at = timezone.now()
    debate.minutes_drawn_up_on = debate.minutes_drawn_up_on or timezone.localdate()
    debate.save(update_fields=["minutes", "minutes_published_at", "minutes_drawn_up_on"])
    return debate
