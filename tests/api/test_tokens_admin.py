"""API tokens in the administration site: coordinators list them and revoke a misused
one; nobody creates, edits or deletes a token there, and other users do not see them."""

import pytest
from django.test import Client
from django.urls import reverse

from conect.api.models import ApiToken
from conect.api.services import api_token_create

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:api_apitoken_changelist")


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_coordinators_see_tokens_without_their_keys(coordinator, citizen):
    token, key = api_token_create(user=citizen, name="Scraper of the newsroom")
    page = _client(coordinator).get(CHANGELIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Scraper of the newsroom" in html and token.prefix in html
    assert key not in html and token.key_hash not in html
    detail = _client(coordinator).get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert detail.status_code == 200
    assert 'name="name"' not in detail.content.decode()  # read-only
    assert _client(coordinator).get(reverse("admin:api_apitoken_add")).status_code == 403
    assert _client(coordinator).get(reverse("admin:index")).content.decode().count(CHANGELIST) >= 1


def test_a_coordinator_revokes_a_misused_token_and_it_stops_working(coordinator, citizen):
    token, key = api_token_create(user=citizen, name="Too many requests")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/organisations/").status_code == 200
    response = _client(coordinator).post(
        CHANGELIST, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/v1/organisations/").status_code == 401


def test_the_token_list_costs_the_same_for_1_or_20_tokens(
    coordinator, citizen, django_assert_num_queries
):
    client = _client(coordinator)
    api_token_create(user=citizen, name="Primul")
    client.get(CHANGELIST)
    # session, user, count (filtered and total), Django's permission tables, the page
    # +1: the coordinator's second factor, checked on every page
    with django_assert_num_queries(8) as first:
        client.get(CHANGELIST)
    for index in range(19):
        ApiToken.objects.create(
            user=citizen, name=f"Token {index}", key_hash=f"{index:064d}", prefix="cnt_x"
        )
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(CHANGELIST).content.decode().count("cnt_x") >= 19


def test_other_users_do_not_reach_the_tokens(citizen):
    api_token_create(user=citizen, name="Mine")
    assert _client(citizen).get(CHANGELIST).status_code == 403
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1
