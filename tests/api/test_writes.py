"""PATCH /api/v1/organisations/<id>/: an organisation's administrators update its
profile through the same service and permission as the web form."""

import json

import pytest
from django.test import Client

from registry.models import Organisation, OrganisationMembership

from .conftest import make_organisation

pytestmark = pytest.mark.django_db


def _patch(client, organisation, data):
    return client.patch(
        f"/api/v1/organisations/{organisation.pk}/",
        data=json.dumps(data),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("citizen", 403),
        ("ngo_member", 403),
        ("ngo_admin", 200),
        ("other_org_admin", 403),
        ("civil_servant", 403),
        ("coordinator", 200),
    ],
)
def test_permission_grid(request, token_client, organisation, role, status):
    """Only the organisation's administrators (and the coordinators, as on the web form:
    registry.change_organisation) may change its profile; anonymous clients get 401, other
    users 403, and the profile stays as it was."""
    if role == "anonymous":
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
    else:
        client = token_client(request.getfixturevalue(role))
    response = _patch(client, organisation, {"locality": "Turda"})
    assert response.status_code == status, response.content
    organisation.refresh_from_db()
    if status == 200:
        assert organisation.locality == "Turda"
        assert response.json()["locality"] == "Turda"
    else:
        assert organisation.locality == ""
        assert response.json()["error"]["code"] in ("not_authenticated", "permission_denied")
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Token")


def test_hidden_organisation_is_404_even_to_its_admin(token_client, ngo_admin, organisation):
    """An organisation that is not public (here suspended) cannot be changed through the
    API: it is not found."""
    Organisation.objects.filter(pk=organisation.pk).update(status=Organisation.Status.SUSPENDED)
    response = _patch(token_client(ngo_admin), organisation, {"locality": "Turda"})
    assert response.status_code == 404


def test_admin_updates_profile_and_domains(token_client, ngo_admin, organisation, domains):
    """Several fields at once, with domains by slug and the county by code; the service
    tidies the values (https:// added to the website) as on the web."""
    response = _patch(
        token_client(ngo_admin),
        organisation,
        {
            "website": "exemplu.ro",
            "county": "RO213",
            "domains": [d.slug for d in domains[:2]],
            "description": "<p>Educație <script>alert(1)</script>civică</p>",
        },
    )
    assert response.status_code == 200, response.content
    organisation.refresh_from_db()
    assert organisation.website == "https://exemplu.ro"
    assert organisation.county.code == "RO213"
    assert set(organisation.domains.all()) == set(domains[:2])
    assert "<script>" not in organisation.description
    body = response.json()
    assert body["county"]["code"] == "RO213"
    assert {d["slug"] for d in body["domains"]} == {d.slug for d in domains[:2]}


def test_identity_is_locked_for_admins(token_client, ngo_admin, coordinator, organisation):
    """Once verified, the name (an identity field) is changed only by a coordinator: the
    administrator gets 400 with the reason on the field and nothing changes."""
    response = _patch(token_client(ngo_admin), organisation, {"name": "Alt nume", "phone": "1"})
    assert response.status_code == 400
    assert "name" in response.json()["error"]["details"]
    organisation.refresh_from_db()
    assert organisation.name == "Asociația Exemplu"
    assert organisation.phone == ""
    response = _patch(token_client(coordinator), organisation, {"name": "Alt nume"})
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.name == "Alt nume"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"county": "RO999"}, "county"),
        ({"domains": ["nu-exista"]}, "domains"),
        ({"latitude": "46.77"}, "longitude"),
        ({"latitude": "10.0", "longitude": "10.0"}, "latitude"),
        ({"legal_form": "company"}, "legal_form"),
        ({"status": "verified"}, "status"),
        ({"fiscal_code": "123"}, "fiscal_code"),
    ],
)
def test_invalid_data_changes_nothing(token_client, ngo_admin, organisation, data, field):
    """Invalid values, and fields that cannot be changed here (the status), are refused
    with 400 naming the field; the profile stays as it was."""
    before = Organisation.objects.filter(pk=organisation.pk).values().get()
    response = _patch(token_client(ngo_admin), organisation, data)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["details"]
    after = Organisation.objects.filter(pk=organisation.pk).values().get()
    assert after == before


def test_retired_domain_can_be_kept_not_added(token_client, ngo_admin, organisation, domains):
    """A retired domain stays on a profile that has it, but cannot be added."""
    kept, retired_new = domains[0], domains[1]
    organisation.domains.set([kept])
    type(kept).objects.filter(pk__in=[kept.pk, retired_new.pk]).update(is_active=False)
    client = token_client(ngo_admin)
    assert _patch(client, organisation, {"domains": [kept.slug]}).status_code == 200
    response = _patch(client, organisation, {"domains": [kept.slug, retired_new.slug]})
    assert response.status_code == 400
    assert set(organisation.domains.all()) == {kept}


def test_not_json(token_client, ngo_admin, organisation):
    """A body that is not JSON is 415; malformed JSON is 400 (parse_error)."""
    client = token_client(ngo_admin)
    url = f"/api/v1/organisations/{organisation.pk}/"
    response = client.patch(url, data="locality=Turda", content_type="text/plain")
    assert response.status_code == 415
    response = client.patch(url, data="{bad", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_put_and_delete_are_not_allowed(token_client, ngo_admin, organisation):
    """Only PATCH writes: PUT and DELETE are 405 with the allowed methods."""
    client = token_client(ngo_admin)
    url = f"/api/v1/organisations/{organisation.pk}/"
    for method in (client.put, client.delete):
        response = method(url, data="{}", content_type="application/json")
        assert response.status_code == 405
        assert "PATCH" in response.json()["error"]["details"]["allowed"]
    assert (
        client.post(
            "/api/v1/organisations/", data="{}", content_type="application/json"
        ).status_code
        == 405
    )


def test_session_writes_need_csrf(ngo_admin, organisation):
    """With the session (the interactive documentation), a write needs the CSRF token."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(ngo_admin)
    response = _patch(client, organisation, {"locality": "Turda"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.locality == ""


def test_admin_of_two_organisations(token_client, ngo_admin, organisation):
    """Being administrator of one organisation gives nothing on another."""
    second = make_organisation("Fundația Vecină")
    client = token_client(ngo_admin)
    assert _patch(client, second, {"locality": "Dej"}).status_code == 403
    OrganisationMembership.objects.create(
        organisation=second, user=ngo_admin, role=OrganisationMembership.Role.ADMIN
    )
    assert _patch(token_client(ngo_admin), second, {"locality": "Dej"}).status_code == 200
