"""The richer NGO profile in the public API and on the national map (issue 18): the
organisation's new fields, the projects, events and calls for volunteers collections with
their filters and OpenAPI schema, the map's layers, and each endpoint's query count."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from registry.map.selectors import compute_map_statistics
from registry.models import County, Domain, Organisation, OrganisationActivity
from registry.services import profiles as services
from tests.registry.test_organisations_services import make_org
from tests.registry.test_profiles_services import activity_fields

pytestmark = pytest.mark.django_db

Kind = OrganisationActivity.Kind


@pytest.fixture
def api():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def make_activity(organisation, actor, kind=Kind.PROJECT, **extra):
    return services.activity_create(
        organisation=organisation, actor=actor, kind=kind, **activity_fields(**extra)
    )


def test_organisation_shows_its_richer_profile(api, organisation, ngo_admin):
    """An organisation in the API carries its area, counties, social services, links,
    contact person, federations (with the linked record), branches and links to its
    activities."""
    federation = make_org(seed=80, name="Federația Culturii")
    services.organisation_update_profile(
        organisation=organisation,
        actor=ngo_admin,
        activity_area="county",
        activity_counties=[County.objects.get(code="RO113")],
        provides_social_services=True,
        donation_url="https://exemplu.ro/doneaza",
        contact_name="Ioana Popescu",
    )
    services.affiliation_add(
        organisation=organisation, actor=ngo_admin, kind="federation", parent=federation
    )
    services.affiliation_add(
        organisation=organisation, actor=ngo_admin, kind="coalition", name="Coaliția X"
    )
    services.branch_add(
        organisation=organisation,
        actor=ngo_admin,
        name="Filiala Alba",
        county=County.objects.get(code="RO121"),
    )
    data = api.get(f"/api/v1/organisations/{organisation.pk}/").json()
    assert data["activity_area"] == "county" and data["activity_area_label"] == "county"
    assert [c["code"] for c in data["activity_counties"]] == ["RO113"]
    assert data["provides_social_services"] is True
    assert data["donation_url"] == "https://exemplu.ro/doneaza"
    assert data["contact_name"] == "Ioana Popescu"
    linked, named = sorted(data["affiliations"], key=lambda a: a["kind"], reverse=True)
    assert linked["organisation"]["id"] == federation.pk and linked["name"] == "Federația Culturii"
    assert named["organisation"] is None and named["name"] == "Coaliția X"
    assert data["branches"][0]["county"]["code"] == "RO121"
    assert data["activities"]["projects"].endswith(
        f"/api/v1/projects/?organisation={organisation.pk}"
    )


def test_organisation_endpoints_query_count(
    api, organisation, ngo_admin, django_assert_num_queries
):
    """The organisation's richer profile costs four queries per page (counties, regions,
    federations, branches), whatever the number of organisations."""
    for seed in range(90, 96):
        other = make_org(seed=seed)
        services.branch_add(
            organisation=other,
            actor=ngo_admin,
            name="Filiala",
            county=County.objects.get(code="RO113"),
        )
    with django_assert_num_queries(8):  # count, latest change, page, domains + 4
        api.get("/api/v1/organisations/", {"page_size": 3})
    with django_assert_num_queries(8):
        api.get("/api/v1/organisations/", {"page_size": 7})
    with django_assert_num_queries(6):  # the record, its domains + 4
        api.get(f"/api/v1/organisations/{organisation.pk}/")


@pytest.fixture
def activities(organisation, ngo_admin):
    hidden = make_org(Organisation.Status.PENDING, seed=97)
    return {
        "school": make_activity(organisation, ngo_admin, title="Școala de vară"),
        "clinic": make_activity(
            organisation,
            ngo_admin,
            title="Caravana medicală",
            domain=Domain.objects.get(slug="health"),
            county=County.objects.get(code="RO321"),
            starts_on=date.today() - timedelta(days=400),
            ends_on=date.today() - timedelta(days=300),
        ),
        "webinar": make_activity(
            organisation, ngo_admin, Kind.EVENT, title="Webinar", county=None, is_online=True
        ),
        "call": make_activity(
            organisation, ngo_admin, Kind.VOLUNTEERING, title="Bibliotecari", volunteers_needed=3
        ),
        "hidden": make_activity(hidden, ngo_admin, title="Proiect ascuns"),
    }


def titles(response):
    return [row["title"] for row in response.json()["results"]]


def test_activity_collections_and_filters(api, activities, organisation):
    """Each collection lists its kind of the public organisations only, in the language
    written, and takes the web lists' filters plus the organisation."""
    response = api.get("/api/v1/projects/", {"ordering": "title"})
    assert titles(response) == ["Caravana medicală", "Școala de vară"]
    school = response.json()["results"][1]
    assert school["language"] == "ro" and school["organisation"]["id"] == organisation.pk
    assert school["domain"]["slug"] == "education" and school["county"]["code"] == "RO113"
    assert school["url"].endswith(f"/api/v1/projects/{activities['school'].pk}/")
    assert titles(api.get("/api/v1/projects/", {"domain": "health"})) == ["Caravana medicală"]
    assert titles(api.get("/api/v1/projects/", {"current": "true"})) == ["Școala de vară"]
    assert titles(api.get("/api/v1/projects/", {"q": "scoala"})) == ["Școala de vară"]
    assert titles(api.get("/api/v1/projects/", {"organisation": organisation.pk + 999})) == []
    assert titles(api.get("/api/v1/events/")) == ["Webinar"]
    call = api.get("/api/v1/volunteering/").json()["results"][0]
    assert call["volunteers_needed"] == 3 and call["kind_label"] == "call for volunteers"
    assert api.get(f"/api/v1/projects/{activities['hidden'].pk}/").status_code == 404
    assert api.get(f"/api/v1/events/{activities['school'].pk}/").status_code == 404
    response = api.get("/api/v1/projects/", {"format": "csv"})
    csv = b"".join(response.streaming_content).decode()
    assert "Școala de vară" in csv and "Proiect ascuns" not in csv


def test_activity_collections_query_count(
    api, activities, organisation, ngo_admin, django_assert_num_queries
):
    """A page of activities costs three queries (count, latest change, page) whatever
    its size; one activity one query."""
    for i in range(6):
        make_activity(organisation, ngo_admin, title=f"Proiect {i}")
    for size in (2, 8):
        with django_assert_num_queries(3):
            assert len(titles(api.get("/api/v1/projects/", {"page_size": size}))) == size
    with django_assert_num_queries(1):
        assert api.get(f"/api/v1/projects/{activities['school'].pk}/").status_code == 200


def test_schema_documents_the_activity_collections(api):
    """The OpenAPI schema has the three collections with their filters, and the
    organisation's new fields."""
    schema = api.get(reverse("api-v1:schema"), {"format": "json"}).json()
    for path in ("/api/v1/projects/", "/api/v1/events/", "/api/v1/volunteering/"):
        parameters = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"q", "domain", "county", "region", "date_from", "date_to", "current"} <= parameters
        assert {"organisation", "updated_since"} <= parameters
    organisation = schema["components"]["schemas"]["Organisation"]["properties"]
    assert {
        "activity_area",
        "activity_counties",
        "affiliations",
        "branches",
        "donation_url",
    } <= set(organisation)
    assert "volunteers_needed" in schema["components"]["schemas"]["Activity"]["properties"]


def test_map_counts_current_activities_by_county(
    activities, organisation, ngo_admin, django_assert_num_queries
):
    """The map counts projects, events and calls for volunteers under way or to come of
    public organisations where they take place (online ones at national level), in one
    query for the three layers, and by domain."""
    stats = compute_map_statistics()
    assert {"projects", "events", "volunteering"} <= set(stats["layers"])
    cluj = next(c for c in stats["counties"] if c["code"] == "RO113")
    bucuresti = next(c for c in stats["counties"] if c["code"] == "RO321")
    assert cluj["counts"]["projects"] == 1  # the school; the clinic ended, the hidden is pending
    assert bucuresti["counts"]["projects"] == 0
    assert cluj["counts"]["volunteering"] == 1
    assert stats["national"]["events"] == 1 and stats["total"]["events"] == 1
    assert "current=true" in cluj["links"]["projects"]
    health = compute_map_statistics(Domain.objects.get(slug="health"))
    assert health["total"]["projects"] == 0
