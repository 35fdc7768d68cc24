"""The limits on failed sign-ins behind the reverse proxy: counted by the client's real
address and by account, so one person's wrong passwords never lock out the others who
sign in from the same address (an office behind one public address), and a client cannot
escape the limit by sending its own X-Forwarded-For."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from conect.settings import base
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

# allauth 65 counts a failed sign-in once per rate listed for "login_failed": "key" is the
# account (its e-mail address), "ip" the client's address. The account's rate comes first:
# attempts refused because that account is locked stop there and do not use up the
# address's allowance; a successful sign-in gives back what its attempt had counted.
LOGIN_LIMITS = {
    "login_failed": "5/5m/key,30/5m/ip",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
PROXY = "172.30.80.10"
BEHIND_ONE_PROXY = override_settings(TRUSTED_PROXY_COUNT=1, ACCOUNT_RATE_LIMITS=LOGIN_LIMITS)
OFFICE = "203.0.113.7"
HOME = "198.51.100.20"
LOCKED = "Too many failed sign-in attempts"
WRONG = "The e-mail address or the password is not correct."


def _sign_in(email, password, *, address, spoofed=None):
    """A sign-in from `address` through the proxy, which appends that address to any
    X-Forwarded-For the client sent (`spoofed`)."""
    forwarded_for = f"{spoofed}, {address}" if spoofed else address
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    signed_in = "_auth_user_id" in client.session
    return response, signed_in


@BEHIND_ONE_PROXY
def test_wrong_passwords_lock_the_account_not_the_office():
    """Five wrong passwords for one account from an office lock that account there, even
    with the right password and however long the guesser goes on; a colleague signing in
    from the same office address is not affected."""
    guessed = make_user("guessed@example.org")
    colleague = make_user("colleague@example.org")

    for attempt in range(5):
        response, _ = _sign_in(guessed.email, f"wrong-{attempt}", address=OFFICE)
        assert WRONG in response.content.decode()
    for attempt in range(10):
        response, signed_in = _sign_in(guessed.email, f"wrong-{attempt}", address=OFFICE)
        assert LOCKED in response.content.decode()
    response, signed_in = _sign_in(guessed.email, PASSWORD, address=OFFICE)
    assert LOCKED in response.content.decode()
    assert not signed_in

    response, signed_in = _sign_in(colleague.email, PASSWORD, address=OFFICE)
    assert response.status_code == 302
    assert signed_in


@BEHIND_ONE_PROXY
def test_someone_elses_wrong_passwords_never_lock_the_owner_out():
    """Five wrong passwords for an account typed at an office lock that account at that
    office only: its owner, from home, signs in at once."""
    owner = make_user("owner@example.org")
    for attempt in range(5):
        _sign_in(owner.email, f"guess-{attempt}", address=OFFICE)
    response, signed_in = _sign_in(owner.email, PASSWORD, address=OFFICE)
    assert LOCKED in response.content.decode()
    assert not signed_in

    response, signed_in = _sign_in(owner.email, PASSWORD, address=HOME)
    assert response.status_code == 302
    assert signed_in


@BEHIND_ONE_PROXY
def test_a_few_mistakes_in_an_office_lock_nobody_else():
    """Several people of one office each mistyping their password a few times, then
    getting it right, all sign in."""
    people = [make_user(f"person{number}@example.org") for number in range(6)]
    for person in people:
        for attempt in range(4):
            _sign_in(person.email, f"typo-{attempt}", address=OFFICE)
    for person in people:
        _, signed_in = _sign_in(person.email, PASSWORD, address=OFFICE)
        assert signed_in, person.email


@override_settings(
    TRUSTED_PROXY_COUNT=1,
    # Without the limit on every sign-in attempt, which would stop the address first.
    ACCOUNT_RATE_LIMITS={**LOGIN_LIMITS, "login": None},
)
def test_one_address_trying_many_accounts_waits_whatever_it_claims_to_be():
    """Thirty failures on any accounts from one address make that address wait, whatever
    X-Forwarded-For its client sends to look like someone else; a person signing in from
    another address is not affected."""
    victims = [make_user(f"victim{number}@example.org") for number in range(7)]
    for number, victim in enumerate(victims[:6]):
        for attempt in range(5):
            response, _ = _sign_in(
                victim.email, "guess", address=OFFICE, spoofed=f"10.0.{number}.{attempt}"
            )
            assert WRONG in response.content.decode()

    response, signed_in = _sign_in(victims[6].email, PASSWORD, address=OFFICE, spoofed=HOME)
    assert LOCKED in response.content.decode()
    assert not signed_in

    _, signed_in = _sign_in(victims[6].email, PASSWORD, address=HOME)
    assert signed_in


@pytest.mark.skipif(
    not hasattr(base, "TRUSTED_PROXY_COUNT"),
    reason="the settings of the trusted proxy have not landed in conect/settings/base.py",
)
def test_the_shared_settings_use_these_limits():
    """Development and production count failed sign-ins as tested above."""
    assert base.ACCOUNT_RATE_LIMITS["login_failed"] == LOGIN_LIMITS["login_failed"]
