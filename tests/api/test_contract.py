"""The answers the fuzzer found wrong, each pinned: no server error, JSON in the API's
error shape under every address of /api/, and a schema that says what the answers hold."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from conect.core.views import csrf_failure
from consultations.models import Recommendation
from registry.models import Organisation
from tests.consultations.conftest import make_consultation, make_recommendation

from .conftest import make_organisation

pytestmark = pytest.mark.django_db

SINCE_LISTS = [
    ("/api/v1/organisations/", "updated_since"),
    ("/api/v1/institutions/", "updated_since"),
    ("/api/v1/officials/", "updated_since"),
    ("/api/v1/structures/", "updated_since"),
    ("/api/v1/consultations/", "updated_since"),
    ("/api/v1/recommendations/", "sent_since"),
]


def _error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


@pytest.mark.parametrize(("url", "name"), SINCE_LISTS)
def test_since_with_a_large_offset(api, url, name):
    """A moment at +20:00 (which PostgreSQL refuses) is read in UTC; one at +99:00 (no
    offset at all) is a 400 naming the parameter."""
    make_organisation("Asociația Recentă")
    response = api.get(url, {name: "2026-01-01T00:00:00+20:00"})
    assert response.status_code == 200
    error = _error(api.get(url, {name: "2026-01-01T00:00:00+99:00"}), 400)
    assert set(error["details"]) == {name}


def test_since_is_the_same_moment_in_any_zone(api):
    """+20:00 means twenty hours before UTC: a record changed in between is found."""
    organisation = make_organisation("Asociația Schimbată")
    changed = datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC)
    Organisation.objects.filter(pk=organisation.pk).update(updated_at=changed)

    def ids(since):
        response = api.get("/api/v1/organisations/", {"updated_since": since})
        return [row["id"] for row in response.json()["results"]]

    assert organisation.pk in ids("2026-01-01T19:00:00+20:00")  # 2025-12-31 23:00 UTC
    assert organisation.pk not in ids("2026-01-01T21:00:00+20:00")  # 01:00 UTC
    assert organisation.pk in ids("0001-01-01T00:00:00+01:00")  # before year 1 in UTC


def test_deeply_nested_json_is_400(token_client, ngo_admin, organisation):
    """A body of a thousand nested brackets is refused as unreadable, not a 500."""
    client = token_client(ngo_admin)
    response = client.patch(
        f"/api/v1/organisations/{organisation.pk}/",
        data="[" * 1000 + "]" * 1000,
        content_type="application/json",
    )
    assert _error(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/%0A/",
        "/api/v1/organisations/1/%0A/",
        "/api/v1/%0A",
        "/api/v1/x%0A/y/",
        "/api/v1/organisations/%0A.json",
        "/api/v2/organisations/",
        "/api/",
    ],
)
def test_every_address_under_api_answers_json(api, path):
    """Any address under /api/ that names nothing, newlines included, is the API's JSON
    404, not the site's HTML page (after the redirect that adds the final slash)."""
    assert _error(api.get(path, follow=True), 404)["code"] == "not_found"


def test_post_to_an_unknown_address_is_a_json_404(ngo_admin):
    """A POST to an address that names nothing is the JSON 404, not a CSRF page, even
    with a browser session."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(ngo_admin)
    response = client.post("/api/v1/nothing/here/", data="{}", content_type="application/json")
    assert _error(response, 404)["code"] == "not_found"


def test_csrf_failure_under_api_is_json(rf):
    """Django's CSRF refusal under /api/ is the API's JSON error; elsewhere, the page."""
    error = json.loads(
        csrf_failure(rf.post("/api/v1/anything/", HTTP_ACCEPT_LANGUAGE="en")).content
    )
    assert error["error"]["code"] == "csrf_failed"
    page = csrf_failure(rf.post("/accounts/login/"))
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "99"}, {"format": "xyz"}])
def test_list_404s_are_json_and_documented(api, params):
    """?page=0, a page past the end and an unknown format are JSON 404s, and the schema
    lists 404 for the list."""
    _error(api.get("/api/v1/organisations/", params), 404)
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    responses = schema["paths"]["/api/v1/organisations/"]["get"]["responses"]
    assert responses["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


@pytest.mark.parametrize("params", [{"page_size": "abc"}, {"page_size": "0"}, {"page": ""}])
def test_malformed_page_parameters_are_400(api, params):
    """A page size or number that is not a whole number from 1 is refused, in JSON and
    CSV alike, rather than quietly replaced by the default."""
    for extra in ({}, {"format": "csv"}):
        error = _error(api.get("/api/v1/organisations/", {**params, **extra}), 400)
        assert set(error["details"]) == set(params)


def test_unknown_institution_finds_nothing(api, institution):
    """Filtering by an institution id that names nothing finds nothing (as the other id
    filters), whatever its size."""
    make_consultation(institution)
    for value in ("0", "99999999999999999999999"):
        response = api.get("/api/v1/consultations/", {"institution": value})
        assert response.status_code == 200
        assert response.json()["results"] == []


def test_boolean_filters_take_true_or_false(api):
    """`general` and `national` take true or false; anything else is a 400."""
    assert api.get("/api/v1/recommendations/", {"general": "true"}).status_code == 200
    for url, name in (
        ("/api/v1/recommendations/", "general"),
        ("/api/v1/consultations/", "national"),
    ):
        assert set(_error(api.get(url, {name: "null"}), 400)["details"]) == {name}


def test_schema_matches_the_answers(api, institution, citizen, county):
    """The organisation's e-mail and website may be empty, a recommendation's
    organisation may be null, GeoJSON lists are one FeatureCollection object."""
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    organisation = components["Organisation"]["properties"]
    for field in ("website", "email"):
        assert {"type": "string", "maxLength": 0} in organisation[field]["oneOf"]
    assert components["Recommendation"]["properties"]["organisation"]["nullable"] is True
    for path in ("/api/v1/regions/", "/api/v1/counties/"):
        geo = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/geo+json"][
            "schema"
        ]
        assert geo["type"] == "object"
        assert geo["properties"]["type"]["enum"] == ["FeatureCollection"]

    make_organisation("Asociația Fără Site", email="", website="")
    row = api.get("/api/v1/organisations/").json()["results"][0]
    assert row["email"] == row["website"] == ""
    consultation = make_consultation(institution)
    make_recommendation(consultation, citizen, created_at=timezone.now())
    assert Recommendation.objects.filter(organisation=None).exists()
    body = api.get("/api/v1/recommendations/").json()
    assert body["results"][0]["organisation"] is None
    assert json.loads(api.get("/api/v1/regions/", {"format": "geojson"}).content)["type"] == (
        "FeatureCollection"
    )
