"""A second factor (allauth's MFA): an authenticator app with recovery codes, offered to
everyone and required for coordinators."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(coordinator):
    """A coordinator who has not set up an authenticator app yet (the shared fixture gives
    every coordinator one)."""
    Authenticator.objects.filter(user=coordinator).delete()
    return coordinator


@pytest.fixture
def superuser(superuser):
    Authenticator.objects.filter(user=superuser).delete()
    return superuser


def activate_totp(user) -> str:
    """Give `user` an authenticator app and recovery codes; return the app's secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _login(client, email, password):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_coordinator_without_totp_is_sent_to_set_it_up(client, coordinator):
    """A signed-in coordinator without an authenticator app reaches no page but the
    set-up: every other page redirects there."""
    client.force_login(coordinator)
    for url in (
        reverse("home"),
        reverse("accounts:profile"),
        reverse("registry:organisation-list"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp")


def test_coordinator_without_totp_reaches_the_setup_sign_out_and_health(client, coordinator):
    """The set-up pages, the re-authentication they ask for, signing out and the health
    check stay open."""
    client.force_login(coordinator)
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.get(reverse("mfa_activate_totp"))
    # allauth asks for the password again first (or shows the form): never our redirect.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url.startswith(reverse("account_reauthenticate"))
        assert client.get(response.url).status_code == 200
    assert client.get(reverse("health")).status_code in (200, 503)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_coordinator_with_totp_reaches_the_pages(client, coordinator):
    """Once the coordinator has an authenticator app, the pages open as before."""
    activate_totp(coordinator)
    client.force_login(coordinator)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_superuser_counts_as_coordinator(client, superuser):
    """A superuser, who can do all a coordinator does, needs the second factor too."""
    client.force_login(superuser)
    assert client.get(reverse("home")).url == reverse("mfa_activate_totp")


def test_other_roles_are_not_redirected(client, citizen, ngo_admin, institution_admin):
    """For everyone else the second factor is offered, not required."""
    for user in (citizen, ngo_admin, institution_admin):
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200


def test_coordinator_cannot_deactivate_totp(client, coordinator):
    """A coordinator keeps the authenticator app: allauth's deactivation is refused."""
    activate_totp(coordinator)
    client.force_login(coordinator)
    session = client.session
    # Fresh authentication, so allauth does not ask for the password again.
    session["account_authentication_methods"] = [
        {"method": "password", "at": __import__("time").time(), "email": coordinator.email}
    ]
    session.save()
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()


def test_citizen_can_activate_totp_and_gets_recovery_codes(client, citizen, password):
    """Anyone can activate an authenticator app; recovery codes are generated with it."""
    _login(client, citizen.email, password)
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:  # allauth asks for the password again
        assert response.url.startswith(reverse("account_reauthenticate"))
        client.post(response.url, {"password": password})
        response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=citizen, type="totp").exists()
    codes = Authenticator.objects.get(user=citizen, type="recovery_codes")
    assert len(codes.wrap().get_unused_codes()) == 10


def test_sign_in_with_totp_asks_for_the_code(client, citizen, password):
    """A user with an authenticator app is signed in only after a right code; a wrong
    code leaves them signed out."""
    secret = activate_totp(citizen)
    response = _login(client, citizen.email, password)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    if current_code(secret) != "000000":
        assert "_auth_user_id" not in client.session
        assert response.status_code == 200

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_a_recovery_code_signs_in_once(client, citizen, password):
    """A recovery code replaces the app's code, once."""
    activate_totp(citizen)
    code = (
        Authenticator.objects.get(user=citizen, type="recovery_codes").wrap().get_unused_codes()[0]
    )
    _login(client, citizen.email, password)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(citizen.pk)
    client.post(reverse("account_logout"))
    _login(client, citizen.email, password)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session


def test_profile_security_links(client, citizen):
    """The security include links to the second factor, the data download and deletion."""
    from django.template.loader import render_to_string

    html = render_to_string("accounts/includes/security.html", {"user": citizen})
    for name in ("mfa_index", "accounts:data-export", "accounts:delete"):
        assert f'href="{reverse(name)}"' in html
