"""Celery tasks of questionnaires: thin, they take ids and call the services. A task run
twice sends nothing twice."""

import smtplib

from celery import shared_task

from . import services

RETRIED = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=True,
    retry_backoff_max=240,
    max_retries=8,
)
def send_invitation(self, *, invitation_id: int):
    """Tell a roster member's people about their invitation (notice and e-mail)."""
    return services.invitation_send(invitation_id=invitation_id)


@shared_task(ignore_result=True)
def send_reminders():
    """The scheduled reminders of the rosters (Celery beat, every hour)."""
    return services.send_due_reminders()


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=True,
    retry_backoff_max=240,
    max_retries=8,
)
def ask_participants(self, *, survey_id: int):
    """Ask the participants of a questionnaire's target to answer (notices and e-mails)."""
    return services.participants_notify(survey_id=survey_id)
