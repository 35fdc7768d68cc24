"""Changing the e-mail address: confirmed by a link sent to the new address."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/accounts/confirm-email/[^\s\"<>]+/")


def test_new_address_takes_effect_once_confirmed(client, citizen):
    """The new address is pending until its link is opened; then it is the login."""
    client.force_login(citizen)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == "citizen@example.org"

    page = client.get(reverse("account_email"), HTTP_ACCEPT_LANGUAGE="en")
    assert "new@example.org" in page.content.decode()

    message = mail.outbox[-1]
    assert message.to == ["new@example.org"]
    link = CONFIRM_LINK.search(message.body).group(0)
    client.post(link)
    citizen.refresh_from_db()
    assert citizen.email == "new@example.org"
    assert EmailAddress.objects.get(user=citizen, primary=True).email == "new@example.org"


def test_invalid_address_is_refused(client, citizen):
    """A malformed address is refused with a message tied to the field."""
    client.force_login(citizen)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "not-an-address"})
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert list(EmailAddress.objects.filter(user=citizen).values_list("email", flat=True)) == [
        "citizen@example.org"
    ]


def test_e_mail_page_needs_sign_in(client):
    """Anonymous visitors are sent to sign in."""
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
