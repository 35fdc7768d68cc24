"""A consultation's life: publish, schedule, open, close, analyse, synthesise, adopt,
withdraw; each allowed transition is listed in consultations.workflow."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registry.stats import bump_stats_version

from .. import dates, notifications
from ..models import Consultation, ConsultationTransition, Recommendation
from ..workflow import TRANSITIONS
from .common import State, check_dates, clean_rich_text, format_day, require_staff


def _require_legal_dates(consultation: Consultation, *, opens_on, intro, today=None) -> None:
    """Raise, the intro first, every legal date rule the consultation would break if it
    opened on `opens_on`."""
    errors = check_dates(
        opens_on=opens_on,
        closes_on=consultation.closes_on,
        planned_adoption_on=consultation.planned_adoption_on,
        planned_endorsement_on=consultation.planned_endorsement_on,
        is_urgent=consultation.is_urgent,
        urgency_justification=consultation.urgency_justification,
        today=today,
    )
    if errors:
        messages = [m for field_messages in errors.values() for m in field_messages]
        raise ValidationError([intro, *messages])


def _start_window(consultation: Consultation, today) -> None:
    """The window for recommendations opens today: the map counts it and its followers
    are told once the transaction commits."""
    consultation.opens_on = today
    consultation.window_days = dates.window_days(today, consultation.closes_on)
    bump_stats_version()
    consultation_id = consultation.pk
    notifications.schedule_consultation_opened(consultation_id)


def _publish(consultation: Consultation, actor, data: dict, now) -> None:
    _require_document(consultation)
    today = dates.local_today()
    _require_legal_dates(
        consultation,
        opens_on=today,
        intro=_(
            "Published today, the consultation would break the legal deadlines; "
            "change its dates first."
        ),
    )
    consultation.published_at = now
    consultation.announcement_working_days = dates.working_days_between(
        today, consultation.legal_clock_date
    )
    _start_window(consultation, today)


def _schedule(consultation: Consultation, actor, data: dict, now) -> None:
    """Announce the draft now; it opens on its planned date (see open_due_consultations)."""
    _require_document(consultation)
    today = dates.local_today()
    if consultation.opens_on <= today:
        raise ValidationError(
            _(
                "The planned opening is not after today: publish the consultation now, or "
                "change its opening date first."
            )
        )
    _require_legal_dates(
        consultation,
        opens_on=consultation.opens_on,
        intro=_("On its planned dates the consultation would break the legal deadlines:"),
        today=today,
    )
    consultation.published_at = now
    consultation.window_days = dates.window_days(consultation.opens_on, consultation.closes_on)
    consultation.announcement_working_days = dates.working_days_between(
        today, consultation.legal_clock_date
    )
    consultation_id = consultation.pk
    notifications.schedule_consultation_announced(consultation_id)


def _open(consultation: Consultation, actor, data: dict, now) -> None:
    """Open an announced consultation: on its planned date (the platform, actor None), or
    earlier by hand (the institution), when the legal deadlines still hold from today.
    Its opening date becomes the day it really opens (a platform that was down opens it
    late, never early)."""
    today = dates.local_today()
    if actor is None:
        if consultation.opens_on > today:
            raise ValidationError(_("The consultation opens on its planned date, not before."))
    else:
        _require_legal_dates(
            consultation,
            opens_on=today,
            intro=_(
                "Opened today, the consultation would break the legal deadlines; "
                "change its dates first."
            ),
        )
    _start_window(consultation, today)


def close_too_early_message(consultation: Consultation) -> str:
    """Why the window cannot be closed yet (its last day has not passed)."""
    return _(
        "The window for recommendations runs until the end of %(date)s; it cannot be "
        "closed earlier."
    ) % {"date": format_day(consultation.closes_on)}


def _require_document(consultation: Consultation) -> None:
    """A consultation is published with its draft: at least one document."""
    if not consultation.documents.exists():
        raise ValidationError(
            _(
                "Add at least one document (the draft act) before publishing the "
                "consultation: people cannot comment on a draft they cannot read."
            )
        )


def _close(consultation: Consultation, actor, data: dict, now) -> None:
    if now <= consultation.closes_at:
        raise ValidationError(close_too_early_message(consultation))
    consultation.closed_at = now
    bump_stats_version()


def _analyse(consultation: Consultation, actor, data: dict, now) -> None:
    pending = consultation.recommendations.filter(status=Recommendation.Status.PENDING).count()
    if pending:
        raise ValidationError(
            ngettext(
                "%(count)d recommendation still awaits moderation; approve or hide it first.",
                "%(count)d recommendations still await moderation; approve or hide them first.",
                pending,
            )
            % {"count": pending}
        )


def _synthesise(consultation: Consultation, actor, data: dict, now) -> None:
    unanswered = consultation.recommendations.filter(
        status=Recommendation.Status.PUBLISHED, disposition=""
    ).count()
    if unanswered:
        raise ValidationError(
            ngettext(
                "%(count)d published recommendation has no disposition yet.",
                "%(count)d published recommendations have no disposition yet.",
                unanswered,
            )
            % {"count": unanswered}
        )
    consultation.synthesis_summary = clean_rich_text(data.get("synthesis_summary", ""))
    consultation.synthesis_published_at = now
    consultation.synthesis_days_late = max(
        0, (timezone.localdate(now) - consultation.synthesis_due_on).days
    )
    for field_name in Consultation.SYNTHESIS_PDF_FIELDS.values():
        if getattr(consultation, field_name):
            getattr(consultation, field_name).delete(save=False)
    consultation_id = consultation.pk
    notifications.schedule_synthesis_published(consultation_id)


def _adopt(consultation: Consultation, actor, data: dict, now) -> None:
    url = (data.get("adopted_act_url") or "").strip()
    adopted_on = data.get("adopted_on")
    errors = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["adopted_act_url"] = _("Give the link to the adopted act as published.")
    if not adopted_on:
        errors["adopted_on"] = _("Give the date on which the act was adopted.")
    elif adopted_on > timezone.localdate(now):
        errors["adopted_on"] = _("The adoption date cannot be in the future.")
    elif adopted_on < consultation.opens_on:
        errors["adopted_on"] = _("The act cannot be adopted before the consultation opened.")
    if errors:
        raise ValidationError(errors)
    consultation.adopted_act_url = url
    consultation.adopted_on = adopted_on


def _withdraw(consultation: Consultation, actor, data: dict, now) -> None:
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain publicly why the draft is withdrawn.")})
    consultation.withdrawn_reason = reason
    if consultation.state == State.OPEN:
        consultation.closed_at = now
        bump_stats_version()


_HANDLERS = {
    "publish": _publish,
    "schedule": _schedule,
    "open": _open,
    "close": _close,
    "analyse": _analyse,
    "synthesise": _synthesise,
    "adopt": _adopt,
    "withdraw": _withdraw,
}


# What the platform itself (actor None, Celery beat) may do.
PLATFORM_TRANSITIONS = ("open", "close")


def consultation_transition(
    *, consultation: Consultation, actor, name: str, **data
) -> Consultation:
    """Move the consultation along one allowed transition (see workflow.TRANSITIONS).

    `actor` None is the platform itself (the automatic closing). Each transition is
    recorded in the public timeline with its note.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("This action does not exist."))
    if actor is not None or name not in PLATFORM_TRANSITIONS:
        require_staff(actor, consultation)
    now = timezone.now()
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state not in transition.sources:
            raise ValidationError(
                _("“%(action)s” is not possible while the consultation is %(state)s.")
                % {"action": transition.label, "state": locked.get_state_display()}
            )
        _HANDLERS[name](locked, actor, data, now)
        previous = locked.state
        locked.state = transition.target
        locked.state_changed_at = now
        locked.full_clean()
        locked.save()
        ConsultationTransition.objects.create(
            consultation=locked,
            from_state=previous,
            to_state=transition.target,
            actor=actor,
            note=(data.get("reason") or "").strip(),
            created_at=now,
        )
    return locked


def open_due_consultations() -> list[int]:
    """Open every announced consultation whose planned opening has come (Celery beat)."""
    opened = []
    today = dates.local_today()
    for consultation in Consultation.objects.filter(state=State.SCHEDULED, opens_on__lte=today):
        try:
            consultation_transition(consultation=consultation, actor=None, name="open")
        except ValidationError:  # changed by someone else in the meantime
            continue
        opened.append(consultation.pk)
    return opened


def close_expired_consultations() -> list[int]:
    """Close every open consultation whose last day has passed (run by Celery beat)."""
    closed = []
    cutoff = dates.local_today()
    for consultation in Consultation.objects.filter(state=State.OPEN, closes_on__lt=cutoff):
        try:
            consultation_transition(consultation=consultation, actor=None, name="close")
        except ValidationError:  # changed by someone else in the meantime
            continue
        closed.append(consultation.pk)
    return closed


def transition_refusal(consultation: Consultation, transition) -> str:
    """Why `transition` is not offered for the consultation now, in words its staff can act
    on: the window not yet over for an early close, otherwise the state."""
    if consultation.state in transition.sources and transition.name == "close":
        return close_too_early_message(consultation)
    return _("“%(action)s” is not possible while the consultation is %(state)s.") % {
        "action": transition.label,
        "state": consultation.get_state_display(),
    }
