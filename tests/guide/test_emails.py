"""The training e-mails keep hostile values (a session's topic, place, the person's
name) as text in every part, in both languages (see tests/core/test_email_injection.py,
which counts these templates as checked)."""

import pytest
from django.test import override_settings

from conect.core.emails import render_email
from guide.models import Registration
from tests.conftest import make_user
from tests.core.test_email_injection import HOSTILE, _prefixes, assert_safe

from .conftest import make_session

pytestmark = pytest.mark.django_db

# Every e-mail of the guide: all of templates/guide/emails/*_subject.txt.
GUIDE_EMAILS = sorted(_prefixes("guide/emails"))


@override_settings(SITE_URL="https://conect.example")
@pytest.mark.parametrize("name", GUIDE_EMAILS)
@pytest.mark.parametrize("language", ["ro", "en"])
def test_training_emails_keep_values_as_text(name, language):
    user = make_user("hostile@example.org", name=HOSTILE, preferred_language=language)
    session = make_session(topic=HOSTILE, place=HOSTILE)
    registration = Registration.objects.create(session=session, user=user, status="confirmed")
    context = {
        "registration": registration,
        "session": session,
        "session_path": session.get_absolute_url(),
        "feedback_path": "/guide/training/1/feedback/",
    }
    message = render_email(user=user, template=f"guide/emails/{name}", context=context)
    assert_safe(message, shows_value_in_subject=True)
    html = message.alternatives[0][0]
    assert "&lt;script&gt;" in html and "<script>" not in html
