"""Personal API tokens: created in the profile with a name, shown once, stored hashed,
used in the Authorization header, revoked."""

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conect.api.models import ApiToken
from conect.api.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

TOKENS = "/profile/tokens/"


def _signed_in(user, language="en"):
    """A client signed in as `user`, whose pages come in `language` (their preference)."""
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _key_in(page: str) -> str:
    match = re.search(r'id="new-token-key" type="text" value="([^"]+)"', page)
    return match.group(1) if match else ""


def test_url_name():
    """The page is named api:tokens, under the profile."""
    assert reverse("api:tokens") == TOKENS


def test_create_shows_the_key_once_and_stores_only_its_hash(citizen):
    """Creating a token shows its key on the answer page, once; the database holds only
    its SHA-256 and the first characters; the list page never shows the key again."""
    client = _signed_in(citizen)
    response = client.post(TOKENS, {"name": "Analiză date"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    key = _key_in(page)
    assert key.startswith("cnt_") and len(key) > 40
    token = ApiToken.objects.get(user=citizen)
    assert token.name == "Analiză date"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in [getattr(token, f.attname) for f in ApiToken._meta.fields]
    assert key.startswith(token.prefix)
    again = client.get(TOKENS).content.decode()
    assert key not in again
    assert "Analiză date" in again
    assert token.prefix in again


def test_create_needs_a_name(citizen):
    """Without a name nothing is created and the form says why."""
    client = _signed_in(citizen)
    response = client.post(TOKENS, {"name": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_too_many_tokens(citizen):
    """Past the maximum of active tokens, a new one is refused with a clear message and
    nothing is created; revoking one makes room again."""
    for i in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=citizen, name=f"t{i}")
    client = _signed_in(citizen)
    response = client.post(TOKENS, {"name": "one more"})
    assert "the most allowed" in response.content.decode()
    assert ApiToken.objects.filter(user=citizen).count() == MAX_ACTIVE_TOKENS
    api_token_revoke(token=ApiToken.objects.filter(user=citizen).first(), actor=citizen)
    client.post(TOKENS, {"name": "one more"})
    assert ApiToken.objects.filter(user=citizen, name="one more").exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("unverified", 403), ("citizen", 200), ("ngo_admin", 200)],
)
def test_permission_grid(request, role, expected):
    """Tokens are for verified users: an anonymous visitor is sent to sign in, a user
    whose e-mail is not verified gets 403, any verified user may manage theirs."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if role == "unverified":
        client.force_login(request.getfixturevalue("unverified_user"))
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(TOKENS)
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]
    post = client.post(TOKENS, {"name": "x"})
    assert post.status_code == expected
    assert ApiToken.objects.exists() is (expected == 200)


def test_service_checks_the_permission(unverified_user):
    """The service itself refuses a user who may not have tokens."""
    with pytest.raises(PermissionDenied):
        api_token_create(user=unverified_user, name="x")


def test_revoke(citizen, api):
    """Revoking asks for confirmation, then the token stops working at once (401) and is
    shown as revoked."""
    token, key = api_token_create(user=citizen, name="Scraper")
    authorised = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert api.get("/api/v1/", **authorised).status_code == 200
    client = _signed_in(citizen)
    url = reverse("api:token-revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Scraper" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = api.get("/api/v1/", **authorised)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_token"
    assert "revoked on" in client.get(TOKENS).content.decode()


def test_nobody_revokes_another_users_token(citizen, ngo_admin):
    """Another user's token is not found (404) and stays active."""
    token, _key = api_token_create(user=citizen, name="Mine")
    client = _signed_in(ngo_admin)
    url = reverse("api:token-revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=ngo_admin)
    assert "Mine" not in client.get(TOKENS).content.decode()


def test_name_too_long_changes_nothing(citizen):
    """The service validates the name (at most 100 characters)."""
    with pytest.raises(ValidationError):
        api_token_create(user=citizen, name="x" * 101)
    assert not ApiToken.objects.exists()


# --- Using a token ----------------------------------------------------------------


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "token"])
def test_token_authenticates(citizen, api, keyword):
    """A valid token in "Token <key>" or "Bearer <key>" authenticates its owner: the
    higher rate limit applies and the token's last use is recorded."""
    token, key = api_token_create(user=citizen, name="x")
    response = api.get("/api/v1/", HTTP_AUTHORIZATION=f"{keyword} {key}")
    assert response.status_code == 200
    assert response["RateLimit-Limit"] == "1000"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Token cnt_doesnotexist", "invalid_token"),
        ("Token", "malformed_header"),
        ("Token a b", "malformed_header"),
        ("Bearer not-one-of-ours", "invalid_token"),
    ],
)
def test_bad_tokens_are_refused_not_ignored(api, organisation, header, code):
    """A wrong or malformed token is refused with 401 and WWW-Authenticate; the request is
    not served as anonymous."""
    response = api.get("/api/v1/organisations/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json()["error"]["code"] == code


def test_disabled_account(citizen, api):
    """The token of a disabled account no longer works."""
    _token, key = api_token_create(user=citizen, name="x")
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    response = api.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_other_schemes_are_left_alone(api):
    """An Authorization header of another scheme (Basic) is not ours: anonymous access."""
    response = api.get("/api/v1/", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 200
    assert response["RateLimit-Limit"] == "60"


def test_token_use_costs_one_query_and_one_write_a_minute(citizen, api, django_assert_num_queries):
    """Authenticating by token is one query; the last use is written at most once a
    minute."""
    _token, key = api_token_create(user=citizen, name="x")
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    with django_assert_num_queries(2):  # look-up, first use recorded
        api.get("/api/v1/", **headers)
    with django_assert_num_queries(1):
        api.get("/api/v1/", **headers)


def test_tokens_page_is_accessible(citizen):
    """The table has a caption and column headers; the form field has its label."""
    api_token_create(user=citizen, name="Scraper")
    page = _signed_in(citizen).get(TOKENS).content.decode()
    assert "<caption" in page
    assert '<th scope="col">' in page
    assert '<label class="form-label" for="id_name"' in page or 'for="id_name"' in page


def test_tokens_page_in_romanian(citizen):
    """The page follows the user's language (Romanian by default)."""
    response = _signed_in(citizen, language="ro").get(TOKENS)
    assert response.status_code == 200
    assert '<html lang="ro"' in response.content.decode()


def test_tokens_page_query_count(citizen, django_assert_num_queries):
    """The tokens page costs the same number of queries with 1 or 10 tokens."""
    client = _signed_in(citizen)
    api_token_create(user=citizen, name="first")
    client.get(TOKENS)
    # Session, user, verified e-mail, the menu's role look-ups, tokens.
    with django_assert_num_queries(5):
        client.get(TOKENS)
    for i in range(9):
        api_token_create(user=citizen, name=f"t{i}")
    with django_assert_num_queries(5):
        client.get(TOKENS)
