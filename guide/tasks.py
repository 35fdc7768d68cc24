"""Celery tasks of the guide: thin, they take ids and call the services. Each can run
again without doing anything twice (e-mails are sent once per key, PDFs are kept)."""

import smtplib

from celery import shared_task

from conect.core.emails import deliver_once

from . import services
from .pdf import store_guide_pdfs

RETRIED = (smtplib.SMTPException, ConnectionError, TimeoutError)
RETRY_BACKOFF_MAX = 240  # below the broker's visibility timeout (see consultations.tasks)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=5,
)
def build_guide_pdfs(*, edition_id: int):
    """Make and keep the PDF of a newly published edition, in every language."""
    return store_guide_pdfs(edition_id)


@shared_task(
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=8,
)
def send_training_email(*, registration_id: int, name: str, key: str):
    """One e-mail about a training registration (confirmed, waiting, reminder, feedback,
    cancelled session), in the person's language, at most once for `key`."""
    from .feedback import feedback_url
    from .models import Registration

    registration = (
        Registration.objects.select_related(
            "session", "user", "session__institution", "session__feedback_survey"
        )
        .filter(pk=registration_id, user__is_active=True)
        .first()
    )
    if registration is None:
        return False
    session = registration.session
    context = {
        "registration": registration,
        "session": session,
        "session_path": session.get_absolute_url(),
        "feedback_path": feedback_url(registration),
    }
    return deliver_once(
        user=registration.user, template=f"guide/emails/{name}", context=context, key=key
    )


@shared_task(ignore_result=True)
def send_training_reminders():
    """Remind the confirmed people of the sessions of the next two days (Celery beat)."""
    return services.send_reminders()


@shared_task(ignore_result=True)
def send_training_feedback_requests():
    """Ask the attendees of the sessions that just ended for feedback (Celery beat)."""
    return services.send_feedback_requests()
