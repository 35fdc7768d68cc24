"""Writes to relationship officials, and the e-mails to their professional address.

An official is published only after agreeing to it: on creation (and whenever staff ask
again, or the address changes) a one-time link goes to the professional address. The
link's secret is made when the e-mail is sent, stored only as a SHA-256 hash, and
expires after OFFICIAL_CONSENT_DAYS days. Once the official agrees, a second e-mail
brings a link by which they can remove themselves at any time.

Callers check registry.manage_officials before the staff-side functions.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from conect.core import outbox
from conect.core.emails import enqueue_email, render_parts
from conect.core.models import SentEmail
from conect.core.site import absolute_url, site_url
from conect.core.text import fold

from ..models import Institution, RelationshipOfficial, Seat
from ..stats import bump_stats_version
from .institutions import track

# Recorded as the history's change reason when the official acts through an e-mailed link.
OFFICIAL_LINK_REASON = "official-link"
OFFICIAL_FIELDS = ("name", "position", "email", "phone", "language")
CONSENT_DAYS = getattr(settings, "OFFICIAL_CONSENT_DAYS", 14)


# --- E-mail to a plain address ---------------------------------------------------


def render_address_email(
    *, address: str, language: str, template: str, context: dict
) -> EmailMultiAlternatives:
    """Render `template` in `language` for someone known only by an e-mail address.

    The same three templates as conect.core.emails: `<template>_subject.txt`,
    `<template>.txt` and `<template>.html`.
    """
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        ctx = {"SITE_URL": site_url(), **context}
        subject, text, html = render_parts(template, ctx)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
    )
    message.attach_alternative(html, "text/html")
    return message


def deliver_address_email_once(
    *, address: str, language: str, template: str, context: dict | None = None, key: str
) -> bool:
    """Send to a plain address unless an e-mail with `key` was already sent.

    Shares the idempotency record of conect.core.emails (SentEmail, with no recipient
    user): the key row and the send succeed or fail together, so a retry sends it again.
    """
    if SentEmail.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, recipient=None, template=template)
            render_address_email(
                address=address, language=language, template=template, context=context or {}
            ).send()
    except IntegrityError:
        return False
    return True


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _absolute(path: str) -> str:
    return absolute_url(path)


def _official_context(official: RelationshipOfficial) -> dict:
    return {
        "official_name": official.name,
        "position": official.position,
        "institution_name": official.institution.name,
        "email": official.email,
        "phone": official.phone,
    }


# --- Consent -------------------------------------------------------------------


def official_issue_consent_token(*, official: RelationshipOfficial) -> str:
    """Make a fresh one-time consent secret for `official` and return it (for the e-mail
    only: the database keeps its hash). Any earlier link stops working."""
    token = secrets.token_urlsafe(32)
    official.consent_token = _hash(token)
    official.consent_expires_at = timezone.now() + timedelta(days=CONSENT_DAYS)
    # A plain UPDATE: the secret is not part of the history, so no history row either.
    RelationshipOfficial.objects.filter(pk=official.pk).update(
        consent_token=official.consent_token, consent_expires_at=official.consent_expires_at
    )
    return token


def official_issue_removal_token(*, official: RelationshipOfficial) -> str:
    """Make the secret of the link by which a published official removes themselves."""
    token = secrets.token_urlsafe(32)
    official.removal_token = _hash(token)
    RelationshipOfficial.objects.filter(pk=official.pk).update(removal_token=official.removal_token)
    return token


def official_send_consent_request(*, official: RelationshipOfficial, key: str) -> bool:
    """Send the agreement e-mail with a new one-time link (run by the Celery task).

    Nothing is sent if the official was removed or has answered since, or if this
    e-mail (`key`) was already sent.
    """
    if official.removed_at or official.consented_at or official.declined_at:
        return False
    if SentEmail.objects.filter(key=key).exists():
        return False
    with transaction.atomic():
        token = official_issue_consent_token(official=official)
        return deliver_address_email_once(
            address=official.email,
            language=official.language,
            template="registry/emails/official_consent_request",
            context={
                **_official_context(official),
                "consent_url": _absolute(
                    reverse("registry:official-consent", kwargs={"token": token})
                ),
                "valid_days": CONSENT_DAYS,
            },
            key=key,
        )


def official_send_removal_link(*, official: RelationshipOfficial, key: str) -> bool:
    """Confirm the publication to the official, with their personal removal link."""
    if not official.is_published:
        return False
    if SentEmail.objects.filter(key=key).exists():
        return False
    with transaction.atomic():
        token = official_issue_removal_token(official=official)
        return deliver_address_email_once(
            address=official.email,
            language=official.language,
            template="registry/emails/official_published",
            context={
                **_official_context(official),
                "official_url": _absolute(official.get_absolute_url()),
                "removal_url": _absolute(
                    reverse("registry:official-self-remove", kwargs={"token": token})
                ),
            },
            key=key,
        )


def _mark_consent_requested(official: RelationshipOfficial) -> None:
    """Mark that agreement is asked now (the e-mail with a fresh link is sent by
    _send_consent_request once the official is saved)."""
    official.consent_requested_at = timezone.now()
    official.consent_token = ""
    official.consent_expires_at = None


def _send_consent_request(official: RelationshipOfficial) -> None:
    """Queue the agreement e-mail in the outbox, in the caller's transaction: a
    rolled-back change sends nothing. Each request gets its own key: a retried task sends
    nothing more, a new request does."""
    from ..tasks import send_official_consent_request

    outbox.enqueue(
        send_official_consent_request,
        official_id=official.pk,
        key=f"official-consent:{official.pk}:{uuid.uuid4().hex}",
    )


@transaction.atomic
def official_create(
    *,
    institution: Institution,
    actor,
    name: str,
    position: str,
    email: str,
    phone: str = "",
    language: str = settings.LANGUAGE_CODE,
    domains=(),
    counties=(),
) -> RelationshipOfficial:
    """Name a relationship official for `institution`. Not published until the official
    agrees through the link e-mailed to `email`."""
    official = RelationshipOfficial(
        institution=institution,
        name=" ".join(name.split()),
        position=" ".join(position.split()),
        email=email.strip().lower(),
        phone=phone.strip(),
        language=language,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    official.search_name = fold(official.name)
    official.full_clean()
    _mark_consent_requested(official)
    track(official, actor)
    official.save()
    _send_consent_request(official)
    official.domains.set(domains)
    official.counties.set(counties)
    return official


@transaction.atomic
def official_update(
    *, official: RelationshipOfficial, actor, domains=None, counties=None, **changes
) -> RelationshipOfficial:
    """Change an official's professional data.

    A new e-mail address may belong to someone else: the official then goes back to
    unpublished and agreement is asked again at the new address.
    """
    unknown = set(changes) - set(OFFICIAL_FIELDS)
    if unknown:
        raise TypeError(f"official_update() got unexpected fields: {sorted(unknown)}")
    # Work on the stored row: a bound form may already have changed the caller's copy.
    official = RelationshipOfficial.objects.select_for_update().get(pk=official.pk)
    if official.removed_at is not None:
        raise ValidationError(_("This official was removed from the registry."))
    was_published = official.is_published
    old_email = official.email
    for field, value in changes.items():
        setattr(official, field, value.strip() if isinstance(value, str) else value)
    official.name = " ".join(official.name.split())
    official.email = official.email.lower()
    official.search_name = fold(official.name)
    official.full_clean()
    address_changed = official.email != old_email
    if address_changed:
        official.consented_at = None
        official.declined_at = None
        official.removal_token = ""
        _mark_consent_requested(official)
    track(official, actor)
    official.save()
    if address_changed:
        _send_consent_request(official)
    m2m_changed = False
    if domains is not None and set(domains) != set(official.domains.all()):
        official.domains.set(domains)
        m2m_changed = True
    if counties is not None and set(counties) != set(official.counties.all()):
        official.counties.set(counties)
        m2m_changed = True
    if was_published and (address_changed or m2m_changed):
        bump_stats_version()
    return official


@transaction.atomic
def official_request_consent_again(*, official: RelationshipOfficial, actor):
    """Send a new agreement link (the old one expired, or the official declined)."""
    official = RelationshipOfficial.objects.select_for_update().get(pk=official.pk)
    if official.removed_at is not None:
        raise ValidationError(_("This official was removed from the registry."))
    if official.consented_at is not None:
        raise ValidationError(_("This official has already agreed to be published."))
    official.declined_at = None
    _mark_consent_requested(official)
    track(official, actor)
    official.save(
        update_fields=[
            "declined_at",
            "consent_requested_at",
            "consent_token",
            "consent_expires_at",
            "updated_at",
        ]
    )
    _send_consent_request(official)
    return official


def _answerable(official: RelationshipOfficial) -> None:
    if official.removed_at is not None:
        raise ValidationError(_("This official was removed from the registry."))


@transaction.atomic
def official_give_consent(*, official: RelationshipOfficial) -> RelationshipOfficial:
    """The official agrees (from the e-mailed link): the record is published at once and
    the official receives a link to remove themselves later. The link is used up."""
    from ..tasks import send_official_removal_link

    official = RelationshipOfficial.objects.select_for_update().get(pk=official.pk)
    _answerable(official)
    official.consented_at = timezone.now()
    official.declined_at = None
    official.consent_token = ""
    official.consent_expires_at = None
    official._change_reason = OFFICIAL_LINK_REASON
    official.save(
        update_fields=[
            "consented_at",
            "declined_at",
            "consent_token",
            "consent_expires_at",
            "updated_at",
        ]
    )
    bump_stats_version()
    key = f"official-published:{official.pk}:{official.consented_at.timestamp():.6f}"
    outbox.enqueue(send_official_removal_link, official_id=official.pk, key=key)
    return official


@transaction.atomic
def official_decline_consent(*, official: RelationshipOfficial) -> RelationshipOfficial:
    """The official refuses publication: nothing is published and whoever added them is
    told, so that the institution can name someone else."""
    official = RelationshipOfficial.objects.select_for_update().get(pk=official.pk)
    _answerable(official)
    official.declined_at = timezone.now()
    official.consent_token = ""
    official.consent_expires_at = None
    official._change_reason = OFFICIAL_LINK_REASON
    official.save(
        update_fields=["declined_at", "consent_token", "consent_expires_at", "updated_at"]
    )
    if official.created_by_id and official.created_by.is_active:
        enqueue_email(
            to_user=official.created_by,
            template="registry/emails/official_declined",
            context={
                "official_id": official.pk,
                "official_name": official.name,
                "institution_name": official.institution.name,
            },
            key=f"official-declined:{official.pk}:{official.declined_at.timestamp():.6f}",
        )
    return official


@transaction.atomic
def official_remove(
    *, official: RelationshipOfficial, actor=None, by_self: bool = False
) -> RelationshipOfficial:
    """Take an official out of the public registry (by a coordinator, the institution's
    staff or, with `by_self`, the official's own link). Their current seats in advisory
    structures end today; the record stays in the history."""
    official = RelationshipOfficial.objects.select_for_update().get(pk=official.pk)
    if official.removed_at is not None:
        raise ValidationError(_("This official was already removed from the registry."))
    was_published = official.is_published
    official.removed_at = timezone.now()
    official.removed_by = actor if getattr(actor, "is_authenticated", False) else None
    official.removed_by_self = by_self
    official.consent_token = ""
    official.consent_expires_at = None
    official.removal_token = ""
    if by_self:
        official._change_reason = OFFICIAL_LINK_REASON
    track(official, actor)
    official.save()
    end_current_seats(Seat.objects.filter(official=official), actor)
    if was_published:
        bump_stats_version()
    return official


def end_current_seats(seats, actor) -> int:
    """End today every seat still running (a seat that starts later ends on its start),
    with one history row per seat. Returns how many seats ended."""
    today = timezone.localdate()
    running = list(seats.filter(Q(mandate_end__isnull=True) | Q(mandate_end__gt=today)))
    for seat in running:
        seat.mandate_end = max(today, seat.mandate_start)
    if running:
        user = actor if getattr(actor, "is_authenticated", False) else None
        bulk_update_with_history(running, Seat, ["mandate_end"], default_user=user)
    return len(running)
