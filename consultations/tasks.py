"""Celery tasks of consultations: thin, they take ids and call the notification and
workflow services. Every task can run again without sending anything twice."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import notifications, services
from .models import Consultation, Notification
from .synthesis_pdf import store_synthesis_pdfs

RETRIED = (smtplib.SMTPException, ConnectionError, TimeoutError)


# Retries wait at most 240 s: less than the broker's visibility timeout (600 s,
# settings.CELERY_BROKER_TRANSPORT_OPTIONS), past which Redis would hand the message
# held for its retry to a second worker as well.
RETRY_BACKOFF_MAX = 240


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=10,
)
def send_event_emails(self, *, event_key: str):
    """Send the pending e-mails of an event. Rows another worker holds are left to it;
    if it died holding them, the sweep hands them to a new run once its lease expires."""
    return notifications.send_event_emails(event_key)


@shared_task(ignore_result=True)
def sweep_fan_outs():
    """Hand to a new run every event whose e-mails nobody is sending: a worker died
    holding them, or the task that should send them was lost (Celery beat, every 30 s).
    A re-queued run that waited in the queue past two leases is dropped: a later sweep
    sends a fresh one if the event still needs it."""
    keys = notifications.stalled_event_keys()
    expires = 2 * settings.CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS
    for key in keys:
        send_event_emails.apply_async(kwargs={"event_key": key}, expires=expires)
    return keys


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=10,
)
def fan_out_consultation_event(self, *, consultation_id: int, kind: str):
    """Record a followers' event (a consultation announced, opened or closing) and e-mail
    them."""
    key = notifications.record_followers_event(consultation_id=consultation_id, kind=kind)
    send_event_emails.delay(event_key=key)
    return key


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=10,
)
def notify_contributors(self, *, consultation_id: int):
    """Tell every contributor that the synthesis is published."""
    key = notifications.record_contributors_event(consultation_id=consultation_id)
    send_event_emails.delay(event_key=key)
    return key


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=10,
)
def notify_document_published(self, *, version_id: int):
    """Tell followers and contributors that a document was added or changed."""
    key = notifications.record_document_event(version_id=version_id)
    send_event_emails.delay(event_key=key)
    return key


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=5,
)
def build_synthesis_pdfs(*, consultation_id: int):
    """Make and keep the PDF of a synthesis just published, in every language."""
    return store_synthesis_pdfs(consultation_id)


@shared_task
def open_due_consultations():
    """Open the announced consultations whose planned opening has come (Celery beat)."""
    return services.open_due_consultations()


@shared_task
def close_expired_consultations():
    """Close the windows whose last day has passed (Celery beat)."""
    return services.close_expired_consultations()


@shared_task
def send_closing_reminders():
    """Remind followers CONSULTATION_REMINDER_DAYS_BEFORE_CLOSE days before a window
    closes (or later, if the reminder could not go out on time); once per consultation."""
    today = timezone.localdate()
    horizon = today + timezone.timedelta(days=settings.CONSULTATION_REMINDER_DAYS_BEFORE_CLOSE)
    due = Consultation.objects.filter(
        state=Consultation.State.OPEN, closes_on__gte=today, closes_on__lte=horizon
    ).exclude(
        notifications__event_key__startswith=f"{Notification.Kind.WINDOW_CLOSING}:",
    )
    ids = list(due.values_list("pk", flat=True))
    for consultation_id in ids:
        fan_out_consultation_event.delay(
            consultation_id=consultation_id, kind=Notification.Kind.WINDOW_CLOSING
        )
    return ids


@shared_task(
    autoretry_for=RETRIED, retry_backoff=True, retry_backoff_max=RETRY_BACKOFF_MAX, max_retries=5
)
def send_digests(*, frequency: str):
    """Send the daily or weekly digests (Celery beat)."""
    return notifications.send_digests(frequency)
