"""No injection through e-mails: every e-mail the site sends, rendered with hostile values
in every field of its context, keeps them as text.

- the HTML part shows them escaped (no tag, attribute or link of theirs);
- the text part and the subject show them as typed (plain text has no `&lt;`);
- the subject is one line (no header can be added through it).

The list of e-mails is every `*_subject.txt` under templates/ plus allauth's own: a new
kind of e-mail fails `test_every_email_kind_is_checked` until it is rendered here.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.test import RequestFactory, override_settings

from conect.core.emails import one_line, render_email
from consultations import notifications
from consultations.models import Notification
from registry.models import Institution, Organisation, OrganisationMembership
from registry.services.officials import render_address_email
from registry.services.organisations import organisation_suspend

from ..conftest import make_user
from ..consultations.conftest import make_consultation

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"

# A title that closes <title> and adds a heading and a phishing link, a script, an
# attribute break-out, an ampersand, and line breaks that would add a header.
HOSTILE = (
    '</title><h1>x</h1><a href="https://evil.example/">click</a>'
    "<script>alert(1)</script> \"onerror=alert(1) x=' Tom & Jerry\r\nBcc: victim@example.org"
)
# For values that end up in a link: the same break-out, from inside an address.
HOSTILE_URL = 'https://conect.example/x?a="><script>alert(1)</script><img src=x onerror=alert(1)>'
# What the hostile text looks like once escaped, in HTML.
ESCAPED = "&lt;/title&gt;&lt;h1&gt;x&lt;/h1&gt;"
# What it looks like as plain text.
PLAIN = "</title><h1>x</h1>"

# Unknown variables show up, so that a field missing from a context below is noticed.
INVALID = "INVALID[%s]"
# The HTML part's <title> uses `subject`, which conect.core.emails passes; the other
# renderers (allauth, consultations.notifications, registry.services.officials) fall
# back to the site's name for now.
NOT_YET_PASSED = "INVALID[subject]"
STRICT_TEMPLATES = override_settings(
    TEMPLATES=[
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "string_if_invalid": INVALID},
        }
    ]
)

REGISTRY_CONTEXT = {
    "organisation_name": HOSTILE,
    "organisation_path": HOSTILE_URL,
    "structure_name": HOSTILE,
    "structure_id": 1,
    "call_title": HOSTILE,
    "reason": HOSTILE,
    "institution_name": HOSTILE,
    "institution_id": 1,
    "requester_name": HOSTILE,
    "position": HOSTILE,
    "official_name": HOSTILE,
    "official_id": 1,
    "email": HOSTILE,
    "phone": HOSTILE,
    "consent_url": HOSTILE_URL,
    "official_url": HOSTILE_URL,
    "removal_url": HOSTILE_URL,
    "accept_url": HOSTILE_URL,
    "inviter_name": HOSTILE,
    "role": "admin",
    "has_account": False,
    "valid_days": 14,
    # A step of a call's representative selection (registry.services.calls).
    "step": "provisional",
    "detail": HOSTILE,
    "call_path": "/registry/calls/1/selection/",
}
# Sent to someone known only by an address (registry.services.officials).
ADDRESS_TEMPLATES = {"official_consent_request", "official_published"}

ALLAUTH_CONTEXT = {
    "activate_url": HOSTILE_URL,
    "password_reset_url": HOSTILE_URL,
    "signup_url": HOSTILE_URL,
    "key": HOSTILE,
    "from_email": HOSTILE,
    "to_email": HOSTILE,
    "deleted_email": HOSTILE,
}
# allauth's notifications of a change to the account (with the request's address and
# browser), sent by send_notification_mail.
ALLAUTH_NOTIFICATIONS = {
    "email_changed",
    "email_confirm",
    "email_deleted",
    "password_changed",
    "password_reset",
    "password_set",
}
# allauth's own templates that extend or include ours.
ALLAUTH_EXTRA = {"email_confirmation_signup"}


def _prefixes(directory: str) -> set[str]:
    return {
        path.name.removesuffix("_subject.txt")
        for path in (TEMPLATES_DIR / directory).glob("*_subject.txt")
    }


class _Tags(HTMLParser):
    """Every start tag and its attributes, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_safe(message, *, shows_value_in_subject=False):
    """The e-mail keeps the hostile values as text in every part."""
    subject, text = message.subject, message.body
    html = message.alternatives[0][0]

    assert "\n" not in subject and "\r" not in subject
    assert subject == one_line(subject)
    for entity in ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;"):
        assert entity not in subject, subject
        assert entity not in text, text
    if shows_value_in_subject:
        assert PLAIN in subject and "Tom & Jerry" in subject

    assert PLAIN in text, "the text part shows the value as typed"
    assert "INVALID[" not in text, text

    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in {"h1", "script", "img"}, html
        assert not any(name.startswith("on") for name in attrs), html
        assert not attrs.get("href", "").startswith("https://evil.example"), html
    assert ESCAPED in html, "the HTML part shows the value, escaped"
    assert "INVALID[" not in html.replace(NOT_YET_PASSED, ""), html


@pytest.fixture
def hostile_user(db):
    return make_user("hostile@example.org", name=HOSTILE, preferred_language="ro")


# --- The list of e-mails ----------------------------------------------------------


REGISTRY_CONTEXT_TEMPLATES = sorted(_prefixes("registry/emails"))
ALLAUTH_TEMPLATES = sorted(_prefixes("account/email") | ALLAUTH_EXTRA)


def test_every_email_kind_is_checked():
    """Every subject template under templates/ belongs to an e-mail rendered below."""
    checked = {
        *(f"registry/emails/{name}" for name in REGISTRY_CONTEXT_TEMPLATES),
        *(f"consultations/emails/{name}" for name in ("notification", "digest")),
        # Checked in tests/proposals/test_emails.py.
        *(f"proposals/emails/{name}" for name in ("notification", "digest")),
        "feedback/emails/reply",  # tests/feedback/test_moderation.py
        "surveys/emails/invitation",
        *(f"account/email/{name}" for name in ALLAUTH_TEMPLATES),
        # Every one of them is rendered by tests/guide/test_emails.py.
        *(f"guide/emails/{name}" for name in _prefixes("guide/emails")),
    }
    found = {
        str(path.relative_to(TEMPLATES_DIR)).removesuffix("_subject.txt")
        for path in TEMPLATES_DIR.rglob("*_subject.txt")
    }
    assert found <= checked, found - checked


# --- Registry ---------------------------------------------------------------------


@STRICT_TEMPLATES
@pytest.mark.parametrize("name", REGISTRY_CONTEXT_TEMPLATES)
@pytest.mark.parametrize("language", ["ro", "en"])
def test_registry_emails(hostile_user, name, language):
    """Each registry e-mail keeps every value of its context as text."""
    template = f"registry/emails/{name}"
    if name in ADDRESS_TEMPLATES:
        message = render_address_email(
            address="official@example.org",
            language=language,
            template=template,
            context=REGISTRY_CONTEXT,
        )
    else:
        hostile_user.preferred_language = language
        message = render_email(user=hostile_user, template=template, context=REGISTRY_CONTEXT)
    assert_safe(message)
    if name not in ADDRESS_TEMPLATES:
        # The HTML part's title is the subject, escaped.
        html = message.alternatives[0][0]
        assert "<title>" not in message.subject
        title = html.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<" not in title and PLAIN not in title


def test_subject_shows_the_name_as_typed(hostile_user):
    """A name with `&` and `<` in a subject reads as typed, on one line."""
    message = render_email(
        user=hostile_user,
        template="registry/emails/organisation_verified",
        context=REGISTRY_CONTEXT,
    )
    assert_safe(message, shows_value_in_subject=True)
    assert "Bcc: victim@example.org" in message.subject  # kept as text in the one line
    assert "Bcc" not in message.message().get("Bcc", "")
    assert message.message()["Bcc"] is None


def test_suspension_email_through_the_service(
    coordinator, county, django_capture_on_commit_callbacks
):
    """The real path: a coordinator suspends an organisation with a hostile name and
    reason; its administrator's e-mail keeps both as text."""
    organisation = Organisation.objects.create(
        name=HOSTILE,
        legal_form=Organisation.LegalForm.ASSOCIATION,
        fiscal_code="18547290",
        county=county,
        status=Organisation.Status.VERIFIED,
    )
    admin = make_user("admin@ngo.example.org", name=HOSTILE)
    OrganisationMembership.objects.create(
        organisation=organisation, user=admin, role=OrganisationMembership.Role.ADMIN
    )
    with django_capture_on_commit_callbacks(execute=True):
        organisation_suspend(organisation=organisation, actor=coordinator, reason=HOSTILE)
    assert len(mail.outbox) == 1
    assert_safe(mail.outbox[0], shows_value_in_subject=True)


# --- Consultations ----------------------------------------------------------------


NOTIFICATION_KINDS = [
    (Notification.Kind.CONSULTATION_OPENED, ""),
    (Notification.Kind.CONSULTATION_ANNOUNCED, ""),
    (Notification.Kind.WINDOW_CLOSING, ""),
    (Notification.Kind.RECOMMENDATION_MODERATED, "hidden"),
    (Notification.Kind.RECOMMENDATION_MODERATED, "restored"),
    (Notification.Kind.RECOMMENDATION_MODERATED, "approved"),
    (Notification.Kind.SYNTHESIS_PUBLISHED, ""),
    (Notification.Kind.DOCUMENT_PUBLISHED, "1"),
    (Notification.Kind.DOCUMENT_PUBLISHED, "2"),
    (Notification.Kind.DEBATE_SCHEDULED, ""),
]


@pytest.fixture
def hostile_notifications(hostile_user):
    institution = Institution.objects.create(
        name=HOSTILE, kind=Institution.Kind.MINISTRY, level=Institution.Level.CENTRAL
    )
    consultation = make_consultation(institution, title=HOSTILE, summary=f"<p>{HOSTILE}</p>")
    return [
        Notification.objects.create(
            user=hostile_user,
            kind=kind,
            action=action,
            detail=HOSTILE,
            consultation=consultation,
            event_key=f"test:{index}",
        )
        for index, (kind, action) in enumerate(NOTIFICATION_KINDS)
    ]


@STRICT_TEMPLATES
@pytest.mark.parametrize("language", ["ro", "en"])
def test_consultation_notifications(hostile_notifications, hostile_user, language):
    """Every kind of notification e-mail, from a consultation and an institution with
    hostile names and a hostile reason or document title, keeps them as text; also when
    one rendering serves a whole fan-out."""
    hostile_user.preferred_language = language
    cache = {}
    for notification in hostile_notifications:
        for shared in (None, cache, cache):
            message = notifications.build_message(notification, cache=shared)
            assert_safe(message, shows_value_in_subject=True)
            # The greeting's stand-in is filled in, escaped in the HTML part.
            assert f"{PLAIN}" in message.body.split("\n", 1)[0]


@STRICT_TEMPLATES
@pytest.mark.parametrize("language", ["ro", "en"])
def test_consultation_digest(hostile_notifications, hostile_user, language):
    """The digest of every kind of notification keeps every value as text."""
    hostile_user.preferred_language = language
    message = notifications.build_digest(hostile_user, hostile_notifications)
    assert_safe(message)


# --- Accounts (allauth) -----------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/", HTTP_USER_AGENT=HOSTILE, REMOTE_ADDR="192.0.2.1")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user or AnonymousUser()
    return request


@STRICT_TEMPLATES
@pytest.mark.parametrize("name", ALLAUTH_TEMPLATES)
def test_account_emails(hostile_user, name):
    """Each account e-mail (allauth's, with our templates) keeps the user's name, the
    addresses and the browser's description as text."""
    with request_context(_request(hostile_user)):
        adapter = get_adapter()
        prefix = f"account/email/{name}"
        context = {"user": hostile_user, **ALLAUTH_CONTEXT}
        if name in ALLAUTH_NOTIFICATIONS:
            adapter.send_notification_mail(prefix, hostile_user, context=context)
        else:
            adapter.send_mail(prefix, hostile_user.email, context)
    assert len(mail.outbox) == 1
    assert_safe(mail.outbox[0])


@STRICT_TEMPLATES
def test_account_email_with_a_code(hostile_user):
    """The confirmation e-mail with a code shows the code as text too."""
    with request_context(_request(hostile_user)):
        get_adapter().send_mail(
            "account/email/email_confirmation",
            hostile_user.email,
            {"user": hostile_user, "code": HOSTILE},
        )
    assert_safe(mail.outbox[0])


# --- Questionnaires -------------------------------------------------------------------


@STRICT_TEMPLATES
@pytest.mark.parametrize("kind", ["invited", "reminder", "extended"])
@pytest.mark.parametrize("language", ["ro", "en"])
def test_survey_emails(hostile_user, kind, language):
    """A questionnaire's invitation, reminder and extension keep its title and the
    member's name as text."""
    hostile_user.preferred_language = language
    message = render_email(
        user=hostile_user,
        template="surveys/emails/invitation",
        context={
            "kind": kind,
            "title": {"ro": HOSTILE, "en": HOSTILE},
            "member": HOSTILE,
            "path": "/surveys/1/answer/?invitation=1",
            "deadline": "2026-12-31T10:00:00+00:00",
        },
    )
    assert_safe(message)
