"""allauth's pages are ours: CONECT's layout, accessible forms, both languages."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = {
    "account_login": "Sign in",
    "account_signup": "Create an account",
    "account_reset_password": "Reset your password",
    "account_reset_password_done": "Check your e-mail",
    "account_email_verification_sent": "Confirm your e-mail address",
}
SIGNED_IN_PAGES = {
    "account_email": "E-mail address",
    "account_change_password": "Change your password",
    "account_logout": "Sign out",
    "accounts:profile": "My profile",
}
LABEL_FOR = re.compile(r'<label[^>]*for="(id_[\w-]+)"')
INPUT_ID = re.compile(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*id="(id_[\w-]+)"')


def _check_layout(html: str, language: str, heading: str) -> None:
    assert f'<html lang="{language}">' in html
    assert 'href="#main"' in html  # skip link
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert re.search(rf"<h1[^>]*>{re.escape(heading)}</h1>", html), heading
    # Every visible control has a label.
    assert set(INPUT_ID.findall(html)) <= set(LABEL_FOR.findall(html))
    # allauth's bare default layout is not used.
    assert "Menu:" not in html


@pytest.mark.parametrize(("name", "heading"), ANONYMOUS_PAGES.items())
def test_anonymous_account_pages_use_our_layout_in_english(client, name, heading):
    """Sign-in, sign-up and password reset pages render in CONECT's layout."""
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    _check_layout(response.content.decode(), "en", heading)


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages_are_romanian_by_default(client, name):
    """Without a preference the pages are in Romanian."""
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="ro">' in response.content.decode()


@pytest.mark.parametrize(("name", "heading"), SIGNED_IN_PAGES.items())
def test_account_settings_pages_use_our_layout(client, citizen, name, heading):
    """The signed-in pages share the settings menu and the layout, in the user's language."""
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    client.force_login(citizen)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    _check_layout(html, "en", heading)
    if name != "account_logout":
        assert 'aria-label="Account settings"' in html
        assert 'aria-current="page"' in html


def test_login_errors_are_tied_to_the_fields(client):
    """Submitting an empty sign-in form marks each field invalid and points the field at
    its error message, and the summary links to the fields."""
    response = client.post(reverse("account_login"), {}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    for field in ("login", "password"):
        assert f'aria-describedby="id_{field}_error"' in html
        assert f'id="id_{field}_error"' in html
        assert f'href="#id_{field}"' in html
    assert 'role="alert"' in html


def test_confirmation_page_for_a_bad_key(client):
    """An unknown confirmation key shows an explanation, not an error."""
    response = client.get(
        reverse("account_confirm_email", args=["not-a-key"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "expired or is not valid" in response.content.decode()


def test_messages_after_sign_in_are_ours(client, citizen, password):
    """The message shown after signing in comes from our templates."""
    response = client.post(
        reverse("account_login"),
        {"login": citizen.email, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    # The citizen prefers Romanian: the page after sign-in is in Romanian.
    assert '<html lang="ro">' in response.content.decode()
    assert [str(m) for m in response.context["messages"]] == ["You are signed in as Ion Cetățean."]


def test_user_without_a_password_is_asked_to_set_one(client, citizen):
    """An account created without a password (e.g. by an administrator) gets the "set a
    password" page, in our layout, instead of "change your password"."""
    citizen.set_unusable_password()
    citizen.preferred_language = "en"
    citizen.save(update_fields=["password", "preferred_language"])
    client.force_login(citizen)
    response = client.get(reverse("account_change_password"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_set_password")
    _check_layout(response.content.decode(), "en", "Set a password")
