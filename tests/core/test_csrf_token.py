"""The CSRF token a page carries (conect.core.context_processors.csrf): masked anew on each
page, accepted by Django's CsrfViewMiddleware for its own session only."""

import re
from collections import Counter

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from conect.core.context_processors import masked_token

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


def test_a_first_visit_gets_a_secret_and_its_cookie():
    """Without a secret yet, Django's get_token makes one (and has the cookie set)."""
    request = RequestFactory().get("/")
    token = masked_token(request)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]


def test_the_mask_draws_every_character_evenly():
    """Each of the 62 characters is as likely as the others in the mask (a byte taken
    modulo 62 without rejecting 248-255 would favour the first eight)."""
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    counts = Counter()
    for _ in range(4000):
        counts.update(masked_token(request)[:32])
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 4000 * 32 / 62  # about 2,065 each
    assert all(abs(count - expected) < 0.15 * expected for count in counts.values())
    first_eight = sum(counts[char] for char in CSRF_ALLOWED_CHARS[:8]) / 8
    last_eight = sum(counts[char] for char in CSRF_ALLOWED_CHARS[-8:]) / 8
    assert abs(first_eight - last_eight) < 0.05 * expected
