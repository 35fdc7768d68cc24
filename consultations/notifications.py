"""Notifications about consultations: who hears of an event, and the e-mail fan-out.

An event (a consultation opened, a window about to close, a recommendation moderated,
a synthesis published, a debate scheduled) becomes one Notification row per recipient,
unique per (user, event key), created before anything is sent. Its `email_status`
follows the recipient's preference: `pending` (e-mail at once), `digest` (daily or
weekly digest) or `none` (only the list on the site).

The tasks that record and send an event are handed to Celery through the outbox
(conect/core/outbox.py): the `schedule_*` functions and `notify_users` are called inside
the transaction of the change, and their work exists if and only if the change commits.

Sending is batched and idempotent: a worker claims a batch of pending rows (claim token
and time, committed), sends each message on one SMTP connection, marks its row sent right
after, and renews its claim while it works. If sending raises, the rows it claimed and
did not send are given back; if the worker is killed, its claim expires after
CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS and the sweep (`stalled_event_keys`, run by Celery
beat every 30 s) hands the event to another run, which takes the rows over, as it does
for an event whose rows wait with no worker on them. So a restarted run misses nobody, and
sends nobody a second e-mail except, at worst, the one message in flight at the instant
of a kill.
"""

import logging
import time
import uuid
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from conect.core import outbox
from conect.core.emails import render_parts
from conect.core.site import absolute_url, site_url
from registry.models import County, OrganisationMembership
from registry.rules.predicates import ACTIVE_ORG_STATUSES

from .models import (
    Consultation,
    Debate,
    DocumentVersion,
    Follow,
    Notification,
    NotificationPreference,
)
from .selectors import forget_unread_counts

logger = logging.getLogger(__name__)

Status = Notification.EmailStatus
Frequency = NotificationPreference.Frequency
UNSUBSCRIBE_SALT = "consultations.unsubscribe"

_STATUS_FOR_FREQUENCY = {
    None: Status.PENDING,
    Frequency.IMMEDIATE: Status.PENDING,
    Frequency.DAILY: Status.DIGEST,
    Frequency.WEEKLY: Status.DIGEST,
    Frequency.NEVER: Status.NONE,
}


# --- Who hears of what ------------------------------------------------------------


def follower_user_ids(consultation: Consultation):
    """Active users who follow, themselves or through an organisation they belong to,
    the consultation itself, its institution, one of its domains, or a county or region it
    concerns (a region covers its counties, and a county's region covers the county).
    National consultations reach the followers of their domains and institution."""
    county_ids = set(consultation.counties.values_list("pk", flat=True))
    region_ids = set(consultation.regions.values_list("pk", flat=True))
    county_ids |= set(County.objects.filter(region_id__in=region_ids).values_list("pk", flat=True))
    region_ids |= set(County.objects.filter(pk__in=county_ids).values_list("region_id", flat=True))
    target = (
        Q(institution_id=consultation.institution_id)
        | Q(domain__in=consultation.domains.values("pk"))
        | Q(consultation_id=consultation.pk)
    )
    if county_ids:
        target |= Q(county_id__in=county_ids)
    if region_ids:
        target |= Q(region_id__in=region_ids)
    follows = Follow.objects.filter(target)
    direct = follows.filter(user__isnull=False).values("user_id")
    via_organisation = OrganisationMembership.objects.filter(
        organisation__in=follows.filter(organisation__isnull=False).values("organisation_id"),
        organisation__status__in=ACTIVE_ORG_STATUSES,
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=direct) | Q(pk__in=via_organisation))
        .values_list("pk", flat=True)
    )


def create_notifications(
    *,
    user_ids: Iterable[int],
    kind: str,
    event_key: str,
    consultation_id: int,
    recommendation_id: int | None = None,
    action: str = "",
    detail: str = "",
) -> int:
    """One row per recipient for this event; running it again adds no duplicate.
    Returns how many rows the event has."""
    user_ids = list(user_ids)
    now = timezone.now()
    chunk = 2000
    for start in range(0, len(user_ids), chunk):
        part = user_ids[start : start + chunk]
        frequencies = dict(
            NotificationPreference.objects.filter(user_id__in=part).values_list(
                "user_id", "frequency"
            )
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=user_id,
                    kind=kind,
                    event_key=event_key,
                    consultation_id=consultation_id,
                    recommendation_id=recommendation_id,
                    action=action,
                    detail=detail,
                    created_at=now,
                    email_status=_STATUS_FOR_FREQUENCY[frequencies.get(user_id)],
                )
                for user_id in part
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        forget_unread_counts(part)
    return Notification.objects.filter(event_key=event_key).count()


def notify_users(*, user_ids, kind, event_key, consultation_id, **extra) -> None:
    """Record the event for these users, in the current transaction, and e-mail them
    once it commits (through the outbox)."""
    create_notifications(
        user_ids=user_ids,
        kind=kind,
        event_key=event_key,
        consultation_id=consultation_id,
        **extra,
    )
    _send_after_commit(event_key)


def _send_after_commit(event_key: str) -> None:
    from .tasks import send_event_emails

    outbox.enqueue(send_event_emails, event_key=event_key)


# The schedule_* functions belong inside the transaction of the change they announce:
# they write an outbox row there, and the event goes out once (and only if) it commits.


def schedule_consultation_opened(consultation_id: int) -> None:
    """The followers hear that the consultation opened."""
    from .tasks import fan_out_consultation_event

    outbox.enqueue(
        fan_out_consultation_event,
        consultation_id=consultation_id,
        kind=Notification.Kind.CONSULTATION_OPENED,
    )


def schedule_consultation_announced(consultation_id: int) -> None:
    """The followers hear that the consultation was announced."""
    from .tasks import fan_out_consultation_event

    outbox.enqueue(
        fan_out_consultation_event,
        consultation_id=consultation_id,
        kind=Notification.Kind.CONSULTATION_ANNOUNCED,
    )


def schedule_synthesis_published(consultation_id: int) -> None:
    """The synthesis' PDFs are made, and the contributors hear that it is out."""
    from .tasks import build_synthesis_pdfs, notify_contributors

    outbox.enqueue(build_synthesis_pdfs, consultation_id=consultation_id)
    outbox.enqueue(notify_contributors, consultation_id=consultation_id)


def event_key_for(kind: str, consultation_id: int) -> str:
    return f"{kind}:{consultation_id}"


def record_followers_event(*, consultation_id: int, kind: str) -> str:
    """Create the rows of a followers' event (announced, opened, closing); returns its key."""
    consultation = Consultation.objects.get(pk=consultation_id)
    key = event_key_for(kind, consultation_id)
    create_notifications(
        user_ids=follower_user_ids(consultation),
        kind=kind,
        event_key=key,
        consultation_id=consultation_id,
    )
    return key


def record_contributors_event(*, consultation_id: int) -> str:
    """Every author of a recommendation, and whoever follows the consultation itself,
    hears that the synthesis is out."""
    consultation = Consultation.objects.get(pk=consultation_id)
    key = event_key_for(Notification.Kind.SYNTHESIS_PUBLISHED, consultation_id)
    authors = (
        consultation.recommendations.filter(author__is_active=True)
        .values_list("author_id", flat=True)
        .distinct()
    )
    following = Follow.objects.filter(consultation_id=consultation_id).values("user_id")
    followers = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=following)
        .values_list("pk", flat=True)
    )
    create_notifications(
        user_ids=set(authors) | set(followers),
        kind=Notification.Kind.SYNTHESIS_PUBLISHED,
        event_key=key,
        consultation_id=consultation_id,
    )
    return key


def record_document_event(*, version_id: int) -> str:
    """A document was added to a public consultation, or given a new version: its
    followers and everyone who already sent a recommendation hear of it (what they
    commented on may have changed)."""
    version = DocumentVersion.objects.select_related("document__consultation").get(pk=version_id)
    consultation = version.document.consultation
    key = f"{Notification.Kind.DOCUMENT_PUBLISHED}:{version.pk}"
    contributors = consultation.recommendations.filter(author__is_active=True).values_list(
        "author_id", flat=True
    )
    create_notifications(
        user_ids=set(follower_user_ids(consultation)) | set(contributors),
        kind=Notification.Kind.DOCUMENT_PUBLISHED,
        event_key=key,
        consultation_id=consultation.pk,
        action=str(version.number),
        detail=version.document.title,
    )
    return key


def schedule_document_published(version_id: int) -> None:
    """Followers and contributors hear of a new document or version."""
    from .tasks import notify_document_published

    outbox.enqueue(notify_document_published, version_id=version_id)


def notify_debate_scheduled(debate: Debate) -> None:
    """The members of the organisations whose request the debate honours hear of it."""
    user_ids = (
        OrganisationMembership.objects.filter(
            organisation__debate_requests__debate=debate,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    notify_users(
        user_ids=user_ids,
        kind=Notification.Kind.DEBATE_SCHEDULED,
        event_key=f"debate:{debate.pk}",
        consultation_id=debate.consultation_id,
        detail=timezone.localtime(debate.starts_at).isoformat(),
    )


# --- Unsubscribing without signing in ----------------------------------------------


def unsubscribe_token(user_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user_id})


def user_id_from_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(user_id: int) -> str:
    path = reverse("consultations:unsubscribe", kwargs={"token": unsubscribe_token(user_id)})
    return absolute_url(path)


# --- Rendering --------------------------------------------------------------------


_absolute = absolute_url


# Stand-ins for what differs between two recipients of the same event, so that one
# rendering per language serves a whole fan-out.
_NAME = "\x00recipient-name\x00"
_UNSUBSCRIBE = "\x00unsubscribe-url\x00"


def _render_notification(notification: Notification, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of a notification in `language`, with stand-ins for the
    recipient's name and unsubscribe link."""
    with translation.override(language):
        context = {
            "user": {"name": _NAME},
            "notification": notification,
            "consultation": notification.consultation,
            "consultation_url": _absolute(notification.consultation.get_absolute_url()),
            "preferences_url": _absolute(reverse("consultations:follows")),
            "unsubscribe_url": _UNSUBSCRIBE,
            "SITE_URL": site_url(),
            "LANGUAGE_CODE": language,
        }
        subject, text, html = render_parts("consultations/emails/notification", context)
    return subject, text, html


def build_message(notification: Notification, cache: dict | None = None) -> EmailMultiAlternatives:
    """The e-mail for one notification, in the recipient's language, with a one-click
    unsubscribe link (also in the List-Unsubscribe header, RFC 8058).

    With `cache` (a dict kept for one fan-out), the templates are rendered once per
    language and event, and only the name and the link are filled in per recipient."""
    user = notification.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    unsubscribe = unsubscribe_url(user.pk)
    key = (
        language,
        notification.kind,
        notification.action,
        notification.detail,
        notification.consultation_id,
    )
    rendered = cache.get(key) if cache is not None else None
    if rendered is None:
        rendered = _render_notification(notification, language)
        if cache is not None:
            cache[key] = rendered
    subject, text, html = rendered
    text = text.replace(_NAME, user.name).replace(_UNSUBSCRIBE, unsubscribe)
    html = html.replace(_NAME, escape(user.name)).replace(_UNSUBSCRIBE, escape(unsubscribe))
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


def build_digest(user, notifications: list[Notification]) -> EmailMultiAlternatives:
    language = user.preferred_language or settings.LANGUAGE_CODE
    unsubscribe = unsubscribe_url(user.pk)
    with translation.override(language):
        context = {
            "user": user,
            "notifications": [
                (n, _absolute(n.consultation.get_absolute_url())) for n in notifications
            ],
            "preferences_url": _absolute(reverse("consultations:follows")),
            "unsubscribe_url": unsubscribe,
            "SITE_URL": site_url(),
            "LANGUAGE_CODE": language,
        }
        subject, text, html = render_parts("consultations/emails/digest", context)
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


# --- Sending ------------------------------------------------------------------------


def _claim_batch(event_key: str, token: str, size: int) -> list[int]:
    now = timezone.now()
    stale = now - timezone.timedelta(seconds=settings.CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(event_key=event_key)
            .filter(
                Q(email_status=Status.PENDING)
                | Q(email_status=Status.CLAIMED, claimed_at__lt=stale)
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(
                email_status=Status.CLAIMED, claim_token=token, claimed_at=now
            )
    return ids


def send_event_emails(event_key: str, *, batch_size: int | None = None) -> int:
    """Send the pending e-mails of one event, batch by batch; returns how many were sent.

    Safe to run again, and to run in several workers at once.
    """
    batch_size = batch_size or settings.CONSULTATION_FANOUT_BATCH_SIZE
    with _fast_commits():
        return _send_event_emails(event_key, batch_size)


@contextmanager
def _fast_commits():
    """Each row is marked sent in its own commit, right after its e-mail. On PostgreSQL
    those commits need not wait for the disk: a worker that dies loses none of them
    (only a crash of the database server itself could, for its last fraction of a
    second), and the fan-out runs several times faster."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


def _renew_claim(ids: list[int], token: str) -> None:
    """Keep this run's claim alive while it sends (a slow SMTP server is not a dead
    worker)."""
    Notification.objects.filter(pk__in=ids, claim_token=token, email_status=Status.CLAIMED).update(
        claimed_at=timezone.now()
    )


def _send_event_emails(event_key: str, batch_size: int) -> int:
    token = uuid.uuid4().hex
    sent = 0
    rendered: dict = {}
    renew_every = settings.CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS / 3
    while True:
        ids = _claim_batch(event_key, token, batch_size)
        if not ids:
            return sent
        batch = list(
            Notification.objects.filter(pk__in=ids, claim_token=token)
            .select_related("user", "consultation__institution")
            .order_by("pk")
        )
        mailer = get_connection()
        renewed = time.monotonic()
        try:
            mailer.open()
            for notification in batch:
                if time.monotonic() - renewed > renew_every:
                    _renew_claim(ids, token)
                    renewed = time.monotonic()
                if not notification.user.is_active:
                    Notification.objects.filter(pk=notification.pk, claim_token=token).update(
                        email_status=Status.NONE
                    )
                    continue
                mailer.send_messages([build_message(notification, rendered)])
                Notification.objects.filter(pk=notification.pk, claim_token=token).update(
                    email_status=Status.SENT, emailed_at=timezone.now()
                )
                sent += 1
        except BaseException:
            # Give back what this run claimed and did not send: a retry will send it.
            released = Notification.objects.filter(
                pk__in=ids, claim_token=token, email_status=Status.CLAIMED
            ).update(email_status=Status.PENDING, claim_token="", claimed_at=None)
            logger.warning(
                "Fan-out of %s interrupted after %d e-mails; %d given back",
                event_key,
                sent,
                released,
            )
            raise
        finally:
            mailer.close()


def has_unfinished_claims(event_key: str) -> bool:
    """Rows claimed by another (perhaps dead) worker and not sent yet."""
    return Notification.objects.filter(event_key=event_key, email_status=Status.CLAIMED).exists()


def stalled_event_keys() -> list[str]:
    """Events whose e-mails nobody is sending: rows claimed by a worker whose lease has
    expired (it died), or rows waiting longer than a lease with no live claim on their
    event (the task that should send them was lost). The sweep hands each to a new run."""
    stale = timezone.now() - timezone.timedelta(
        seconds=settings.CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS
    )
    expired = Notification.objects.filter(email_status=Status.CLAIMED, claimed_at__lt=stale)
    live = Notification.objects.filter(email_status=Status.CLAIMED, claimed_at__gte=stale)
    forgotten = Notification.objects.filter(
        email_status=Status.PENDING, created_at__lt=stale
    ).exclude(event_key__in=live.values("event_key"))
    keys = set(expired.values_list("event_key", flat=True).distinct())
    keys |= set(forgotten.values_list("event_key", flat=True).distinct())
    return sorted(keys)


def send_digests(frequency: str) -> int:
    """Send one digest e-mail per user with waiting notifications; returns how many.

    The daily run also takes what is waiting for users who have switched to immediate
    e-mail since. Each user's rows are locked, sent and marked in one transaction.
    """
    frequencies = [frequency]
    if frequency == Frequency.DAILY:
        frequencies.append(Frequency.IMMEDIATE)
    waiting = Notification.objects.filter(email_status=Status.DIGEST)
    condition = Q(user__consultation_preference__frequency__in=frequencies)
    if Frequency.IMMEDIATE in frequencies:
        condition |= Q(user__consultation_preference__isnull=True)
    user_ids = list(waiting.filter(condition).values_list("user_id", flat=True).distinct())
    users = get_user_model().objects.in_bulk(user_ids)
    sent = 0
    mailer = get_connection()
    with mailer:
        for user_id in user_ids:
            user = users.get(user_id)
            with transaction.atomic():
                rows = list(
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(user_id=user_id, email_status=Status.DIGEST)
                    .select_related("consultation__institution")
                    .order_by("created_at", "pk")
                )
                if not rows:
                    continue
                ids = [row.pk for row in rows]
                if user is None or not user.is_active:
                    Notification.objects.filter(pk__in=ids).update(email_status=Status.NONE)
                    continue
                mailer.send_messages([build_digest(user, rows)])
                Notification.objects.filter(pk__in=ids).update(
                    email_status=Status.DIGESTED, emailed_at=timezone.now()
                )
                sent += 1
    return sent
