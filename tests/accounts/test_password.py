"""Resetting a forgotten password and changing a known one."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-for-tests-3"
RESET_LINK = re.compile(r"https?://[^\s\"<>]+/accounts/password/reset/key/[^\s\"<>]+/")


def test_password_reset_by_e_mail_link(client, citizen):
    """A user who forgot the password receives a link, chooses a new password through it,
    and can sign in with the new password only."""
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    response = client.post(
        reverse("account_reset_password"), {"email": citizen.email}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[CONECT] Choose a new CONECT password"
    link = RESET_LINK.search(message.body).group(0)
    assert link in message.alternatives[0][0]

    # allauth moves the key into the session and redirects to a key-less address.
    response = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    form_url = response["Location"]
    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    # The owner is told that the password changed.
    assert mail.outbox[-1].subject == "[CONECT] Your password was reset"


def test_reset_link_cannot_be_used_twice(client, citizen):
    """A used link shows an explanation and a way to ask for a new one."""
    client.post(reverse("account_reset_password"), {"email": citizen.email})
    link = RESET_LINK.search(mail.outbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    response = client.get(link, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Invalid link" in response.content.decode()


def test_reset_for_unknown_address_reveals_nothing(client, db):
    """Asking a reset for an unknown address looks the same as for a known one; the
    address receives an e-mail that says no account uses it."""
    response = client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.org"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox[0].to == ["nobody@example.org"]
    assert "no account uses this address" in mail.outbox[0].body


def test_change_password_needs_the_current_one(client, citizen, password):
    """A wrong current password changes nothing and says why; the right one changes it
    and the owner gets a notification e-mail in both parts."""
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    client.force_login(citizen)
    url = reverse("account_change_password")
    data = {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'id="id_oldpassword_error"' in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(password)

    data["oldpassword"] = password
    response = client.post(url, data)
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    message = mail.outbox[-1]
    assert message.subject == "[CONECT] Your password was changed"
    assert "Your password was changed." in message.body
    assert "Your password was changed." in message.alternatives[0][0]
    # Still signed in after the change (ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE is off).
    assert client.session["_auth_user_id"] == str(citizen.pk)
