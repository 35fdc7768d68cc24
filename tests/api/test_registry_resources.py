"""Institutions, relationship officials, advisory structures with their seats, regions,
counties, domains and the map statistics."""

import datetime

import pytest
from django.utils import timezone

from registry.models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    Organisation,
    Region,
    RelationshipOfficial,
)

from .conftest import ids, make_official, make_organisation, make_seat, make_structure, results

pytestmark = pytest.mark.django_db


# --- Institutions ------------------------------------------------------------------


def test_institution_shape(api, institution):
    """An institution with its kind, level, links to its officials and structures, and
    counts of published officials and active structures."""
    make_official(institution)
    make_official(institution, "Ion Ascuns", published=False)
    make_structure(institution)
    row = results(api.get("/api/v1/institutions/"))[0]
    assert row["id"] == institution.pk
    assert row["kind"] == "ministry"
    assert row["level"] == "central"
    assert row["officials_count"] == 1
    assert row["structures_count"] == 1
    assert row["officials"] == f"http://testserver/api/v1/officials/?institution={institution.pk}"
    assert api.get(row["officials"]).json()["count"] == 1
    assert api.get(row["url"]).json() == row


def test_institution_filters(api, institution, central_institution):
    """Kind, level, county, text search and parent links as on the web."""
    cluj = County.objects.get(code="RO113")
    hall = Institution.objects.create(
        name="Primăria Cluj-Napoca",
        kind=Institution.Kind.CITY_HALL,
        level=Institution.Level.LOCAL,
        county=cluj,
        parent=central_institution,
        search_name="primaria cluj-napoca",
    )
    assert ids(api.get("/api/v1/institutions/", {"kind": "city_hall"})) == [hall.pk]
    assert ids(api.get("/api/v1/institutions/", {"county": "RO113"})) == [hall.pk]
    assert ids(api.get("/api/v1/institutions/", {"region": "RO11"})) == [hall.pk]
    assert ids(api.get("/api/v1/institutions/", {"q": "primaria"})) == [hall.pk]
    assert set(ids(api.get("/api/v1/institutions/", {"level": "central"}))) == {
        institution.pk,
        central_institution.pk,
    }
    row = api.get(f"/api/v1/institutions/{hall.pk}/").json()
    assert row["parent"]["id"] == central_institution.pk
    assert row["county"]["code"] == "RO113"


def test_institution_query_count(api, db, django_assert_num_queries):
    """An institutions page costs three queries (count, latest change, page) whatever
    its size."""
    for i in range(12):
        Institution.objects.create(
            name=f"Instituția {i}", kind="other", level="central", search_name=f"institutia {i}"
        )
    for size in (3, 12):
        with django_assert_num_queries(3):
            assert len(results(api.get("/api/v1/institutions/", {"page_size": size}))) == size
    first = Institution.objects.first()
    with django_assert_num_queries(1):
        assert api.get(f"/api/v1/institutions/{first.pk}/").status_code == 200


# --- Officials ---------------------------------------------------------------------


def test_only_published_officials_with_public_fields(api, institution):
    """Only officials who agreed to publication and were not removed appear, with their
    professional data only."""
    published = make_official(institution, "Dana Publicată", phone="0264 111 222")
    make_official(institution, "Ion Neîntrebat", published=False)
    removed = make_official(institution, "Ana Retrasă")
    RelationshipOfficial.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    assert ids(api.get("/api/v1/officials/")) == [published.pk]
    row = api.get(f"/api/v1/officials/{published.pk}/").json()
    assert set(row) == {
        "id",
        "url",
        "web_url",
        "name",
        "position",
        "email",
        "phone",
        "institution",
        "domains",
        "counties",
        "published_at",
        "updated_at",
    }
    assert row["institution"]["id"] == institution.pk
    for hidden in RelationshipOfficial.objects.exclude(pk=published.pk):
        assert api.get(f"/api/v1/officials/{hidden.pk}/").status_code == 404


def test_official_coverage_filters(api, institution, domains):
    """The county and domain filters also find officials who cover the whole country or
    every domain (they list none), as on the web."""
    cluj, iasi = County.objects.get(code="RO113"), County.objects.get(code="RO213")
    in_cluj = make_official(institution, "Dana Cluj")
    in_cluj.counties.set([cluj])
    in_iasi = make_official(institution, "Ion Iași")
    in_iasi.counties.set([iasi])
    in_iasi.domains.set(domains[:1])
    everywhere = make_official(institution, "Ana Național")
    assert set(ids(api.get("/api/v1/officials/", {"county": "RO113"}))) == {
        in_cluj.pk,
        everywhere.pk,
    }
    assert set(ids(api.get("/api/v1/officials/", {"region": "RO21"}))) == {
        in_iasi.pk,
        everywhere.pk,
    }
    assert set(ids(api.get("/api/v1/officials/", {"domain": domains[1].slug}))) == {
        in_cluj.pk,
        everywhere.pk,
    }
    assert ids(api.get("/api/v1/officials/", {"institution": institution.pk})) == sorted(
        [in_cluj.pk, in_iasi.pk, everywhere.pk]
    )


def test_officials_query_count(api, institution, domains, django_assert_num_queries):
    """A page of officials costs five queries (count, latest change, page, domains,
    counties) whatever its size."""
    for i in range(8):
        official = make_official(institution, f"Oficial {i}", email=f"o{i}@gov.example.ro")
        official.domains.set(domains[: i % 3])
        official.counties.set(County.objects.all()[: i % 4])
    for size in (2, 8):
        with django_assert_num_queries(5):
            assert len(results(api.get("/api/v1/officials/", {"page_size": size}))) == size


# --- Advisory structures -----------------------------------------------------------


def test_structure_with_seats_and_hidden_holders(api, institution):
    """A structure lists its seats; a holder that is not public (a pending organisation,
    an official who has not agreed) is left out while the seat shows."""
    structure = make_structure(institution, "Consiliul pentru tineret")
    public_org = make_organisation("Asociația Tinerilor")
    pending_org = make_organisation("Asociația în Așteptare", status=Organisation.Status.PENDING)
    official = make_official(institution, "Dana Oficial")
    unpublished = make_official(institution, "Ion Neîntrebat", published=False)
    make_seat(structure, organisation=public_org, role="president")
    make_seat(structure, organisation=pending_org)
    make_seat(structure, official=official)
    make_seat(structure, official=unpublished)
    make_seat(
        structure,
        organisation=public_org,
        mandate_start=datetime.date(2020, 1, 1),
        mandate_end=datetime.date(2021, 1, 1),
    )
    row = api.get(f"/api/v1/structures/{structure.pk}/").json()
    assert row["institution"]["id"] == institution.pk
    assert row["current_seats"] == 4
    seats = row["seats"]
    assert len(seats) == 5
    assert seats[0]["role"] == "president"
    assert seats[0]["organisation"]["name"] == "Asociația Tinerilor"
    assert seats[0]["organisation"]["url"].endswith(f"/api/v1/organisations/{public_org.pk}/")
    holders = [(s["holder_type"], s["organisation"], s["official"]) for s in seats]
    assert ("organisation", None, None) in holders
    assert ("official", None, None) in holders
    assert any(s["official"] and s["official"]["name"] == "Dana Oficial" for s in seats)
    assert sum(s["is_current"] for s in seats) == 4
    text = str(row)
    assert "Așteptare" not in text and "Neîntrebat" not in text


def test_structure_filters(api, institution, other_institution, domains):
    """Kind, territorial level, status, institution and domain filter the structures."""
    council = make_structure(institution, "Consiliul A")
    council.domains.set(domains[:1])
    group = make_structure(
        other_institution,
        "Grupul B",
        kind=AdvisoryStructure.Kind.WORKING_GROUP,
        territorial_level=AdvisoryStructure.TerritorialLevel.COUNTY,
        county=County.objects.get(code="RO113"),
        region=Region.objects.get(code="RO11"),
        status=AdvisoryStructure.Status.INACTIVE,
    )
    endpoint = "/api/v1/structures/"
    assert ids(api.get(endpoint, {"kind": "working_group"})) == [group.pk]
    assert ids(api.get(endpoint, {"level": "county"})) == [group.pk]
    assert ids(api.get(endpoint, {"status": "inactive"})) == [group.pk]
    assert ids(api.get(endpoint, {"institution": institution.pk})) == [council.pk]
    assert ids(api.get(endpoint, {"domain": domains[0].slug})) == [council.pk]
    assert ids(api.get(endpoint, {"county": "RO113"})) == [group.pk]


def test_structures_query_count(api, institution, domains, django_assert_num_queries):
    """A page of structures costs four queries (count, page, domains, seats with their
    holders) whatever its size."""
    for i in range(6):
        structure = make_structure(institution, f"Structura {i}")
        structure.domains.set(domains[: i % 3])
        make_seat(structure, organisation=make_organisation(f"Membru {i}"))
        make_seat(
            structure, official=make_official(institution, f"Oficial {i}", email=f"s{i}@x.ro")
        )
    for size in (2, 6):
        with django_assert_num_queries(4):
            assert len(results(api.get("/api/v1/structures/", {"page_size": size}))) == size
    with django_assert_num_queries(3):
        assert api.get(f"/api/v1/structures/{structure.pk}/").status_code == 200


# --- Reference data and the map ----------------------------------------------------


def test_regions_and_counties(api, organisation):
    """8 regions and 42 counties, not paginated, by their NUTS codes, with the map's
    counts and links between them."""
    regions = api.get("/api/v1/regions/").json()
    assert len(regions) == 8
    north_west = next(r for r in regions if r["code"] == "RO11")
    assert north_west["counts"]["organisations"] == 1
    counties = api.get(north_west["counties"]).json()
    assert {c["code"] for c in counties} >= {"RO113"}
    assert all(c["region"]["code"] == "RO11" for c in counties)
    assert len(api.get("/api/v1/counties/").json()) == 42
    cluj = api.get("/api/v1/counties/RO113/").json()
    assert cluj["name"] == "Cluj"
    assert cluj["vehicle_code"] == "CJ"
    assert cluj["population"] > 0
    assert cluj["counts"] == {
        "organisations": 1,
        "organisations_all": 1,
        "officials": 0,
        "structures": 0,
        "consultations": 0,
        "projects": 0,
        "events": 0,
        "volunteering": 0,
        "proposals": 0,
        "proposals_reached": 0,
        "feedback": 0,
        "practices": 0,
    }
    assert api.get("/api/v1/counties/XX1/").status_code == 404


def test_reference_query_counts(api, organisation, django_assert_num_queries):
    """Regions, counties and domains cost one query each (the map's counts come from its
    cache), the map and the entry point none once the statistics are cached."""
    api.get("/api/v1/map/")  # the map's statistics are cached from here on
    for url in ("/api/v1/regions/", "/api/v1/counties/", "/api/v1/domains/"):
        with django_assert_num_queries(1):
            assert api.get(url).status_code == 200
    with django_assert_num_queries(1):
        assert api.get("/api/v1/counties/RO113/", {"format": "geojson"}).status_code == 200
    for url in ("/api/v1/map/", "/api/v1/"):
        with django_assert_num_queries(0):
            assert api.get(url).status_code == 200


def test_domains(api, organisation, domains):
    """Domains by slug, both names, the name in the language asked, and a link to their
    organisations; a retired domain is listed as inactive."""
    organisation.domains.set(domains[:1])
    Domain.objects.filter(pk=domains[2].pk).update(is_active=False)
    listed = api.get("/api/v1/domains/").json()
    assert len(listed) == Domain.objects.count()
    first = api.get(f"/api/v1/domains/{domains[0].slug}/").json()
    assert first["name"] == domains[0].name_en
    assert api.get(first["organisations"]).json()["count"] == 1
    assert api.get(f"/api/v1/domains/{domains[2].slug}/").json()["is_active"] is False


def test_map_statistics(api, organisation):
    """The map's statistics by region and county, as on the map page."""
    body = api.get("/api/v1/map/").json()
    assert body["total"]["organisations"] == 1
    assert any(c["code"] == "RO113" and c["counts"]["organisations"] == 1 for c in body["counties"])
    error = api.get("/api/v1/map/", {"domain": "nu-exista"}).json()["error"]
    assert "domain" in error["details"]


def test_root_links(api):
    """The entry point links every collection and the documentation."""
    body = api.get("/api/v1/").json()
    for key in (
        "organisations",
        "institutions",
        "officials",
        "structures",
        "regions",
        "counties",
        "domains",
        "map",
        "schema",
        "docs",
        "redoc",
    ):
        assert body[key].startswith("http://testserver/api/v1/")
        assert api.get(body[key]).status_code == 200, key
