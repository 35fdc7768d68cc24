"""Who hears of a proposal's steps, and the e-mail of those steps.

The same pattern as consultations' notifications (consultations/notifications.py): an
event becomes one row per recipient, unique per (user, event key), written in the
transaction of the change; its e-mail status follows the user's consultations preference
(at once, in the daily or weekly digest, or never), and the e-mails are sent by a task
handed to the outbox, so that they go out if and only if the change commits.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from conect.core import outbox
from conect.core.emails import render_parts
from consultations.models import NotificationPreference
from consultations.notifications import unsubscribe_url
from registry.models import OrganisationMembership
from registry.rules.predicates import ACTIVE_ORG_STATUSES

from .models import Proposal, ProposalFollow, ProposalNotification, Vote

logger = logging.getLogger(__name__)

Status = ProposalNotification.EmailStatus
Frequency = NotificationPreference.Frequency
_STATUS_FOR_FREQUENCY = {
    None: Status.PENDING,
    Frequency.IMMEDIATE: Status.PENDING,
    Frequency.DAILY: Status.DIGEST,
    Frequency.WEEKLY: Status.DIGEST,
    Frequency.NEVER: Status.NONE,
}
CHUNK = 2000


def supporters_user_ids(proposal: Proposal) -> set[int]:
    """The author, everyone who voted and everyone who follows the proposal."""
    ids = set(Vote.objects.filter(proposal=proposal).values_list("user_id", flat=True))
    ids |= set(ProposalFollow.objects.filter(proposal=proposal).values_list("user_id", flat=True))
    if proposal.author_id:
        ids.add(proposal.author_id)
    return ids


def structure_member_user_ids(structure_id: int, *, on=None) -> set[int]:
    """The people who sit in the advisory structure today: the members of the
    organisations that hold a current seat, and the officials' accounts."""
    from registry.models import Seat

    on = on or timezone.localdate()
    seats = Seat.objects.filter(structure_id=structure_id, mandate_start__lte=on).filter(
        Q(mandate_end__isnull=True) | Q(mandate_end__gte=on)
    )
    members = OrganisationMembership.objects.filter(
        organisation__in=seats.filter(organisation__isnull=False).values("organisation_id"),
        organisation__status__in=ACTIVE_ORG_STATUSES,
    ).values_list("user_id", flat=True)
    officials = seats.filter(official__user__isnull=False).values_list(
        "official__user_id", flat=True
    )
    return set(members) | set(officials)


def notify(*, user_ids, proposal: Proposal, kind: str, event_key: str, detail: str = "") -> int:
    """One row per active recipient for this event, in the current transaction; the
    e-mails leave once it commits. Running it again adds no duplicate."""
    user_ids = list(
        get_user_model()
        .objects.filter(pk__in=list(set(user_ids)), is_active=True)
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    for start in range(0, len(user_ids), CHUNK):
        part = user_ids[start : start + CHUNK]
        frequencies = dict(
            NotificationPreference.objects.filter(user_id__in=part).values_list(
                "user_id", "frequency"
            )
        )
        ProposalNotification.objects.bulk_create(
            [
                ProposalNotification(
                    user_id=user_id,
                    proposal=proposal,
                    kind=kind,
                    event_key=event_key,
                    detail=detail,
                    created_at=now,
                    email_status=_STATUS_FOR_FREQUENCY[frequencies.get(user_id)],
                )
                for user_id in part
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
    if user_ids:
        from .tasks import send_event_emails

        outbox.enqueue(send_event_emails, event_key=event_key)
    return len(user_ids)


# --- E-mail --------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def build_message(notification: ProposalNotification) -> EmailMultiAlternatives:
    user = notification.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    unsubscribe = unsubscribe_url(user.pk)
    with translation.override(language):
        context = {
            "user": user,
            "notification": notification,
            "proposal": notification.proposal,
            "proposal_url": _absolute(notification.proposal.get_absolute_url()),
            "preferences_url": _absolute(reverse("consultations:follows")),
            "unsubscribe_url": unsubscribe,
            "SITE_URL": settings.SITE_URL,
            "LANGUAGE_CODE": language,
        }
        subject, text, html = render_parts("proposals/emails/notification", context)
    return _message(user, subject, text, html, unsubscribe)


def build_digest(user, notifications) -> EmailMultiAlternatives:
    language = user.preferred_language or settings.LANGUAGE_CODE
    unsubscribe = unsubscribe_url(user.pk)
    with translation.override(language):
        context = {
            "user": user,
            "notifications": [(n, _absolute(n.proposal.get_absolute_url())) for n in notifications],
            "preferences_url": _absolute(reverse("consultations:follows")),
            "unsubscribe_url": unsubscribe,
            "SITE_URL": settings.SITE_URL,
            "LANGUAGE_CODE": language,
        }
        subject, text, html = render_parts("proposals/emails/digest", context)
    return _message(user, subject, text, html, unsubscribe)


def _message(user, subject, text, html, unsubscribe) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_event_emails(event_key: str, *, batch_size: int = 100) -> int:
    """Send the pending e-mails of one event; each row is locked, sent and marked in its
    own transaction, so a re-delivered task sends nobody a second e-mail."""
    sent = 0
    mailer = get_connection()
    with mailer:
        while True:
            with transaction.atomic():
                rows = list(
                    ProposalNotification.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(event_key=event_key, email_status=Status.PENDING)
                    .select_related("user", "proposal")
                    .order_by("pk")[:batch_size]
                )
                if not rows:
                    return sent
                for row in rows:
                    if row.user.is_active:
                        mailer.send_messages([build_message(row)])
                        sent += 1
                ProposalNotification.objects.filter(pk__in=[r.pk for r in rows]).update(
                    email_status=Status.SENT, emailed_at=timezone.now()
                )


def send_digests(frequency: str) -> int:
    """One digest e-mail per user whose proposal notifications wait for it."""
    frequencies = [frequency]
    if frequency == Frequency.DAILY:
        frequencies.append(Frequency.IMMEDIATE)
    condition = Q(user__consultation_preference__frequency__in=frequencies)
    if Frequency.IMMEDIATE in frequencies:
        condition |= Q(user__consultation_preference__isnull=True)
    user_ids = list(
        ProposalNotification.objects.filter(email_status=Status.DIGEST)
        .filter(condition)
        .values_list("user_id", flat=True)
        .distinct()
    )
    users = get_user_model().objects.in_bulk(user_ids)
    sent = 0
    mailer = get_connection()
    with mailer:
        for user_id in user_ids:
            with transaction.atomic():
                rows = list(
                    ProposalNotification.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(user_id=user_id, email_status=Status.DIGEST)
                    .select_related("proposal")
                    .order_by("created_at", "pk")
                )
                if not rows:
                    continue
                ids = [row.pk for row in rows]
                user = users.get(user_id)
                if user is None or not user.is_active:
                    ProposalNotification.objects.filter(pk__in=ids).update(email_status=Status.NONE)
                    continue
                mailer.send_messages([build_digest(user, rows)])
                ProposalNotification.objects.filter(pk__in=ids).update(
                    email_status=Status.DIGESTED, emailed_at=timezone.now()
                )
                sent += 1
    return sent
