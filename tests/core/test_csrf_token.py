"""The CSRF token a page carries (Django's): masked anew on each page, accepted for its own
session only."""

import re

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _tokens(client) -> list[str]:
    return TOKEN.findall(client.get(reverse("account_login")).text)


def test_each_page_masks_the_secret_anew_and_every_token_is_accepted(password):
    from tests.conftest import make_user

    user = make_user("ana@example.org")
    client = Client(enforce_csrf_checks=True)
    first, second = _tokens(client), _tokens(client)
    assert first and second and first[0] != second[0]  # a new mask on each page
    assert len(set(first)) == 1  # the forms of one page share the page's token
    secret = client.cookies["csrftoken"].value
    for token in (first[0], second[0]):
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": password, "csrfmiddlewaretoken": first[0]},
    )
    assert response.status_code == 302


def test_a_token_of_another_session_or_altered_is_refused():
    client, stranger = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    own, foreign = _tokens(client)[0], _tokens(stranger)[0]
    altered = own[:-1] + ("a" if own[-1] != "a" else "b")
    for token in (foreign, altered):
        data = {"login": "x@example.org", "password": "x", "csrfmiddlewaretoken": token}
        assert client.post(reverse("account_login"), data).status_code == 403
