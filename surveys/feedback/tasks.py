"""Thin Celery tasks of the feedback on public services: they take ids, reload the rows
and do the work once (a re-delivered task changes nothing twice)."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import translation

from conect.core.emails import render_parts
from conect.core.models import SentEmail

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=240,
    max_retries=8,
)
def send_feedback_reply(self, *, reply_id: int) -> bool:
    """E-mail a private reply to the address the person left, in the language of their
    answer (Romanian, English or Hungarian, as the form), once; the address is erased
    once sent."""
    from . import services
    from .models import Reply
    from .texts import form_language, texts

    reply = (
        Reply.objects.select_related("answer__service__institution")
        .filter(pk=reply_id, visibility=Reply.Visibility.PRIVATE)
        .first()
    )
    if reply is None or reply.emailed_at is not None or not reply.answer.email:
        return False
    key = f"feedback-reply:{reply.pk}"
    if SentEmail.objects.filter(key=key).exists():
        return False
    answer = reply.answer
    language = form_language(answer.language)
    words = texts(language)
    names = {"service": answer.service.name, "name": answer.service.institution.name}
    template = "feedback/emails/reply"
    with translation.override(language if language in ("ro", "en") else "ro"):
        subject, text, html = render_parts(
            template,
            {
                "reply": reply,
                "language": language,
                "t": {
                    "subject": words["email_subject"] % names,
                    "hello": words["email_hello"],
                    "intro": words["email_intro"] % names,
                    "erased": words["email_erased"],
                    "run_by": words["email_run_by"],
                },
                "SITE_URL": settings.SITE_URL,
            },
        )
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[answer.email]
    )
    message.attach_alternative(html, "text/html")
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, recipient=None, template=template)
            message.send()
            services.reply_email_sent(reply=reply)
    except IntegrityError:
        return False
    return True


@shared_task(ignore_result=True)
def refresh_map_statistics() -> None:
    """Make the national map count the answers given since its numbers were cached."""
    from django.core.cache import cache

    from registry.stats import bump_stats_version

    from .services import MAP_REFRESH_KEY

    cache.delete(MAP_REFRESH_KEY)
    with transaction.atomic():
        bump_stats_version()


@shared_task(ignore_result=True)
def erase_old_feedback_addresses() -> int:
    """Daily: erase the e-mail addresses kept longer than needed for an answer."""
    from .services import erase_old_addresses

    return erase_old_addresses()
