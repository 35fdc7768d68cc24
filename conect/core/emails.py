"""E-mail to users: in the recipient's language, with a plain-text and an HTML part,
sent by Celery through the outbox (conect/core/outbox.py) after the transaction commits,
at most once per idempotency key.

Templates: `templates/<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`.

Every part escapes what it shows in its own way. The subject and the text part are
plain text: their templates turn autoescaping off (`{% autoescape off %}`), so a title
with `&` or `<` reads as typed, and they are never put into HTML. The HTML part is
autoescaped; it gets the subject as the variable `subject` (for its `<title>`), escaped
there like every other value, never the subject template's output. The subject is one
line: line breaks and control characters are removed before it reaches the header.
"""

import unicodedata

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from conect.core.site import site_url

from .models import SentEmail


def enqueue_email(*, to_user, template: str, context: dict | None = None, key: str) -> None:
    """Send `template` to `to_user` once the current transaction commits, even if the
    broker is down then (the outbox row waits for it).

    `key` names this message uniquely (e.g. "org-verified:42"); a second call with the
    same key sends nothing. `context` must be JSON-serialisable (ids and strings).
    """
    from . import outbox
    from .tasks import send_user_email

    outbox.enqueue(
        send_user_email, user_id=to_user.pk, template=template, context=context or {}, key=key
    )


def one_line(text: str) -> str:
    """`text` as a header value: whitespace (line breaks included) collapsed to single
    spaces, other control characters removed."""
    collapsed = " ".join(text.split())
    return "".join(ch for ch in collapsed if unicodedata.category(ch) != "Cc")


def render_parts(template: str, context: dict) -> tuple[str, str, str]:
    """The subject (one line, plain text), the text part and the HTML part of
    `template`, rendered with `context` in the active language. The HTML part receives
    the subject as `subject`."""
    subject = one_line(render_to_string(f"{template}_subject.txt", context))
    context = {**context, "subject": subject}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    return subject, text, html


def render_email(*, user, template: str, context: dict) -> EmailMultiAlternatives:
    """Render the message in the user's preferred language."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        ctx = {"user": user, "SITE_URL": site_url(), **context}
        subject, text, html = render_parts(template, ctx)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def deliver_once(*, user, template: str, context: dict, key: str) -> bool:
    """Send the e-mail unless one with this key was already sent. Returns True if sent.

    The key row is written in the same transaction as the send; if the send fails the
    row is rolled back and the task's retry sends it again.
    """
    if SentEmail.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, recipient=user, template=template)
            render_email(user=user, template=template, context=context).send()
    except IntegrityError:  # another worker sent it in the meantime
        return False
    return True
