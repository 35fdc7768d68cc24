"""E-mail to users: after commit, once per key, text and HTML, in the user's language."""

from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from conect.core.emails import enqueue_email, render_email
from conect.core.models import SentEmail
from conect.core.tasks import send_user_email

pytestmark = pytest.mark.django_db

TEST_TEMPLATES = Path(__file__).parent / "templates"
WITH_TEST_TEMPLATES = override_settings(
    TEMPLATES=[
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES],
        }
    ]
)
TEMPLATE = "core_tests/greeting"


def test_task_is_enqueued_on_commit(citizen, django_capture_on_commit_callbacks):
    """Nothing is queued while the transaction is open; the task goes once it commits."""
    with (
        mock.patch("conect.core.tasks.send_user_email.apply_async") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        with transaction.atomic():
            enqueue_email(to_user=citizen, template=TEMPLATE, context={"n": 1}, key="k:1")
            assert delay.call_count == 0
        assert delay.call_count == 0  # still inside the test's own transaction
    assert len(callbacks) == 1
    delay.assert_called_once_with(
        kwargs={"user_id": citizen.pk, "template": TEMPLATE, "context": {"n": 1}, "key": "k:1"}
    )


def test_task_is_not_enqueued_on_rollback(citizen, django_capture_on_commit_callbacks):
    """If the transaction is rolled back, no e-mail task is ever queued."""
    with (
        mock.patch("conect.core.tasks.send_user_email.apply_async") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_email(to_user=citizen, template=TEMPLATE, context={}, key="k:2")
        raise RuntimeError("the service failed")
    assert callbacks == []
    delay.assert_not_called()


@WITH_TEST_TEMPLATES
def test_enqueued_email_is_sent_after_commit(citizen, django_capture_on_commit_callbacks):
    """In the embedded mode the task runs in-process once the transaction commits."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_email(to_user=citizen, template=TEMPLATE, context={"n": 2}, key="eager:1")
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert "count=2" in mail.outbox[0].body


@WITH_TEST_TEMPLATES
def test_same_key_sends_one_email(citizen):
    """A task that runs twice (a retry, a re-delivered message) sends one e-mail."""
    assert send_user_email(user_id=citizen.pk, template=TEMPLATE, context={}, key="once:1")
    assert not send_user_email(user_id=citizen.pk, template=TEMPLATE, context={}, key="once:1")
    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(key="once:1", recipient=citizen).count() == 1


@WITH_TEST_TEMPLATES
def test_failed_send_can_be_retried(citizen):
    """If the mail server fails, the key is not spent: the retry sends the e-mail."""
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ConnectionError("smtp down"),
        ),
        pytest.raises(ConnectionError),
    ):
        send_user_email.run(user_id=citizen.pk, template=TEMPLATE, context={}, key="retry:1")
    assert not SentEmail.objects.filter(key="retry:1").exists()
    assert send_user_email(user_id=citizen.pk, template=TEMPLATE, context={}, key="retry:1")
    assert len(mail.outbox) == 1


@WITH_TEST_TEMPLATES
def test_inactive_user_gets_nothing(citizen):
    """A deactivated account receives no e-mail."""
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert not send_user_email(user_id=citizen.pk, template=TEMPLATE, context={}, key="gone:1")
    assert mail.outbox == []


@WITH_TEST_TEMPLATES
@pytest.mark.parametrize("language", ["ro", "en"])
def test_email_has_text_and_html_in_the_recipients_language(citizen, language):
    """Each message has a plain-text body and an HTML alternative, rendered with the
    recipient's language active, whatever language the sender's request used."""
    citizen.preferred_language = language
    citizen.save(update_fields=["preferred_language"])
    other = "en" if language == "ro" else "ro"
    with translation.override(other):
        send_user_email(user_id=citizen.pk, template=TEMPLATE, context={"n": 7}, key="lang")
    message = mail.outbox[0]
    assert message.to == [citizen.email]
    assert message.subject == f"Greeting [{language}]"
    assert f"language={language}" in message.body
    assert "count=7" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<html lang="{language}">' in html
    assert "count=7" in html
    # Both parts use the shared layout: the greeting by name and the site address.
    assert "Ion Cetățean" in message.body and "Ion Cetățean" in html
    assert settings.SITE_URL in message.body and settings.SITE_URL in html


@WITH_TEST_TEMPLATES
def test_subject_is_one_line(citizen):
    """Line breaks in the subject template never reach the header."""
    message = render_email(user=citizen, template=TEMPLATE, context={})
    assert "\n" not in message.subject
