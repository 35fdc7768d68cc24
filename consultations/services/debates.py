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
from registry.models import Organisation
from registry.rules.predicates import is_organisation_member

from .. import notifications
from ..models import Consultation, Debate, DebateRegistration, DebateRequest
from .common import State, clean_rich_text, require_staff


def debate_request_create(
    *, consultation: Consultation, organisation: Organisation, actor, motivation: str
) -> DebateRequest:
    """A member of a verified association asks for a public debate while the
    consultation is open; one request per organisation."""
    if not is_organisation_member(actor, organisation):
        raise PermissionDenied(
            _("You can ask for a debate only for an organisation you belong to.")
        )
    if not consultation.is_accepting_recommendations:
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
                requested_by=actor,
                motivation=motivation,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(organisation)s has already asked for a debate on this consultation.")
            % {"organisation": organisation.name}
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


def debate_register(*, debate: Debate, user) -> DebateRegistration:
    """Register a verified user for an upcoming debate, once."""
    if not is_verified(user):
        raise PermissionDenied(_("Only users with a verified e-mail address can register."))
    if not debate.is_upcoming:
        raise ValidationError(_("This debate has already taken place."))
    try:
        with transaction.atomic():
            return DebateRegistration.objects.create(debate=debate, user=user)
    except IntegrityError:
        raise ValidationError(_("You are already registered for this debate.")) from None


def debate_unregister(*, debate: Debate, user) -> None:
    deleted, _rows = DebateRegistration.objects.filter(debate=debate, user=user).delete()
    if not deleted:
        raise ValidationError(_("You were not registered for this debate."))


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
    debate.save(update_fields=["minutes", "minutes_published_at"])
    return debate
