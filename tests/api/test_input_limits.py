"""PATCH /api/v1/organisations/<id>/ applies the limits and the web address rules of the
web form (the model fields and the service's full_clean())."""

import json

import pytest

from registry.models import Organisation

pytestmark = pytest.mark.django_db

HOSTILE = 'https://example.org/?"><img src=x onerror=alert(1)>'


def _patch(client, organisation, data):
    return client.patch(
        f"/api/v1/organisations/{organisation.pk}/",
        data=json.dumps(data),
        content_type="application/json",
    )


def test_a_description_of_3_mb_is_refused_and_nothing_is_saved(
    token_client, ngo_admin, organisation
):
    """A 3 MB description gets 400 with the message on the field and changes nothing;
    5,000 characters are saved."""
    client = token_client(ngo_admin)
    before = Organisation.objects.filter(pk=organisation.pk).values().get()
    response = _patch(client, organisation, {"description": "a" * 3_000_000, "locality": "Arad"})
    assert response.status_code == 400, response.content[:500]
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "Ensure this value has at most 5000 characters" in json.dumps(
        error["details"]["description"]
    )
    assert Organisation.objects.filter(pk=organisation.pk).values().get() == before
    response = _patch(client, organisation, {"description": "a" * 5000})
    assert response.status_code == 200, response.content[:500]
    assert response.json()["description"] == "a" * 5000


def test_a_web_address_is_returned_quoted(token_client, ngo_admin, organisation):
    """A website with characters that would close an HTML attribute is stored and returned
    percent-encoded; an address that is not a web page is refused."""
    client = token_client(ngo_admin)
    response = _patch(client, organisation, {"website": HOSTILE})
    assert response.status_code == 200, response.content
    quoted = "https://example.org/?%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"
    assert response.json()["website"] == quoted
    organisation.refresh_from_db()
    assert organisation.website == quoted
    response = _patch(client, organisation, {"website": "javascript:alert(1)"})
    assert response.status_code == 400
    assert "website" in response.json()["error"]["details"]
    organisation.refresh_from_db()
    assert organisation.website == quoted
