import logging
import smtplib

from celery import shared_task
from django.contrib.auth import get_user_model

from . import outbox
from .emails import deliver_once

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    # Below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS):
    # a retry held longer by a worker would be handed to a second worker meanwhile.
    retry_backoff_max=240,
    max_retries=8,
)
def send_user_email(self, *, user_id: int, template: str, context: dict, key: str):
    """Send one e-mail to one user, at most once for `key`."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("E-mail %s skipped: user %s is gone or inactive", template, user_id)
        return False
    return deliver_once(user=user, template=template, context=context, key=key)


@shared_task(ignore_result=True)
def relay_outbox():
    """Hand to the broker what the outbox still holds (Celery beat, every 15 s)."""
    return outbox.relay()
