"""Signing in and out, and the limit on failed attempts."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from conect.settings import base

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_citizen_signs_in_and_out(client, citizen, password):
    """A verified user signs in with e-mail and password, and signs out with a POST."""
    response = _login(client, citizen.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(citizen.pk)

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_e_mail_is_case_insensitive(client, citizen, password):
    """Signing in with the address in capitals works."""
    response = _login(client, citizen.email.upper(), password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_wrong_password_is_refused_with_a_clear_message(client, citizen):
    """A wrong password: the page says so, in the visitor's language, and no session."""
    response = _login(client, citizen.email, "not-the-password")
    assert response.status_code == 200
    assert "The e-mail address or the password is not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_account_cannot_sign_in(client, citizen, password):
    """A deactivated account is refused."""
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    response = _login(client, citizen.email, password)
    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("account_inactive")


@override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)
def test_sixth_failed_login_within_the_window_is_refused(client, citizen, password):
    """After five failed attempts for one address, the sixth is refused even with the
    right password, with a message saying to wait."""
    for _ in range(5):
        response = _login(client, citizen.email, "wrong-password")
        assert "The e-mail address or the password is not correct." in response.content.decode()

    response = _login(client, citizen.email, password)
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_without_the_limit_the_same_sequence_signs_in(client, citizen, password):
    """The same five failures followed by the right password sign in when limits are
    off, so the refusal above comes from the limit."""
    for _ in range(5):
        _login(client, citizen.email, "wrong-password")
    response = _login(client, citizen.email, password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_rate_limits_are_configured_in_the_shared_settings():
    """Production and development limit failed logins (the test settings switch it off)."""
    assert "login_failed" in base.ACCOUNT_RATE_LIMITS
    assert base.ACCOUNT_RATE_LIMITS["login_failed"].startswith("5/")
