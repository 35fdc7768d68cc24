"""Sign-up with mandatory e-mail verification, from the form to a signed-in user."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from conect.accounts.models import User

PASSWORD = "a-long-and-unusual-passphrase-7"
CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/accounts/confirm-email/[^\s\"<>]+/")

pytestmark = pytest.mark.django_db


def _sign_up(client, *, email="ana@example.org", name="Ana Popescu", language="en", **extra):
    data = {"name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    data.update(extra)
    return client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE=language)


def test_sign_up_then_confirm_link_signs_the_user_in(client):
    """A visitor signs up, is not signed in until the e-mail link is opened, then is."""
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="ana@example.org")
    assert user.name == "Ana Popescu"
    assert user.preferred_language == "en"
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    link = CONFIRM_LINK.search(message.body).group(0)
    html = message.alternatives[0][0]
    assert link in html

    page = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Please confirm that ana@example.org is your e-mail address." in page.content.decode()

    response = client.post(link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get(reverse("home"))
    assert home.context["user"] == user


def test_unconfirmed_user_cannot_sign_in(client):
    """With an unconfirmed address, signing in only sends a new confirmation link."""
    _sign_up(client)
    client.logout()
    mail.outbox.clear()
    response = client.post(
        reverse("account_login"),
        {"login": "ana@example.org", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirmation_email_has_text_and_html_in_the_visitors_language(client):
    """The confirmation e-mail is sent in the language the visitor signed up in, with a
    plain-text and an HTML part built on the shared e-mail layout."""
    _sign_up(client, language="ro", email="ion@example.org", name="Ion Ionescu")
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert '<html lang="ro">' in html
    assert "Ion Ionescu" in message.body and "Ion Ionescu" in html
    assert message.subject.startswith("[CONECT] ")
    assert User.objects.get(email="ion@example.org").preferred_language == "ro"


def test_mismatched_passwords_create_nothing_and_explain_why(client):
    """Bad input: a clear message tied to the field, and no account is created."""
    response = _sign_up(client, password2="something-else-entirely-9")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-describedby="id_password2_error"' in html
    assert 'id="id_password2_error"' in html
    assert 'aria-invalid="true"' in html
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="ana@example.org").exists()
    assert mail.outbox == []


def test_missing_name_is_refused(client):
    """The name is required; the form says so next to the field."""
    response = _sign_up(client, name="")
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert 'id="id_name_error"' in response.content.decode()
    assert not User.objects.exists()


def test_signing_up_with_a_taken_address_reveals_nothing(client, citizen):
    """Someone who signs up with an address in use sees the same page as anyone else;
    the owner of the address receives an e-mail about it instead."""
    response = _sign_up(client, email=citizen.email)
    assert response.status_code == 302
    assert User.objects.filter(email=citizen.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]
    assert "/accounts/password/reset/" in mail.outbox[0].body
