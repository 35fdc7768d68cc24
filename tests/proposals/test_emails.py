"""No injection through the proposals' e-mails: every kind of notification and the
digest, for a proposal with a hostile title, keep the values as text in every part (the
checks of tests/core/test_email_injection.py)."""

import pytest

from consultations.proposals import notifications
from consultations.proposals.models import ProposalNotification
from tests.conftest import make_user
from tests.core.test_email_injection import HOSTILE, PLAIN, STRICT_TEMPLATES, assert_safe

from .conftest import make_proposal

pytestmark = pytest.mark.django_db

KINDS = [
    *((ProposalNotification.Kind.MODERATED, detail) for detail in
      ("accepted", "changes_requested", "rejected", "merged")),
    *((kind, "") for kind in ProposalNotification.Kind.values if kind != "moderated"),
]  # fmt: skip


@pytest.fixture
def hostile_user(db):
    return make_user("hostile@example.org", name=HOSTILE, preferred_language="ro")


@pytest.fixture
def hostile_notifications(hostile_user, call, author):
    proposal = make_proposal(call, author, title=HOSTILE)
    return [
        ProposalNotification.objects.create(
            user=hostile_user,
            proposal=proposal,
            kind=kind,
            detail=detail,
            event_key=f"test:{index}",
        )
        for index, (kind, detail) in enumerate(KINDS)
    ]


@STRICT_TEMPLATES
@pytest.mark.parametrize("language", ["ro", "en"])
def test_proposal_notifications_keep_values_as_text(hostile_notifications, hostile_user, language):
    """Every kind of proposal e-mail shows a hostile title and name as typed in the
    subject and the text, escaped in the HTML."""
    hostile_user.preferred_language = language
    for notification in hostile_notifications:
        message = notifications.build_message(notification)
        assert_safe(message, shows_value_in_subject=True)
        assert PLAIN in message.body.split("\n", 1)[0]


@STRICT_TEMPLATES
@pytest.mark.parametrize("language", ["ro", "en"])
def test_proposal_digest_keeps_values_as_text(hostile_notifications, hostile_user, language):
    hostile_user.preferred_language = language
    assert_safe(notifications.build_digest(hostile_user, hostile_notifications))
