import logging
import smtplib

from celery import shared_task
from django.contrib.auth import get_user_model

from .emails import deliver_once

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_user_email(self, *, user_id: int, template: str, context: dict, key: str):
    """Send one e-mail to one user, at most once for `key`."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("E-mail %s skipped: user %s is gone or inactive", template, user_id)
        return False
    return deliver_once(user=user, template=template, context=context, key=key)
