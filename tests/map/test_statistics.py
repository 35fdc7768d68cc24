"""The map's numbers: counts by region and county for every layer, records with no
county, the domain filter, per-capita figures, the cache and its refresh."""

import pytest
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from registry.map import selectors
from registry.models import AdvisoryStructure, Organisation
from registry.selectors import reference
from registry.services.domains import domain_update
from registry.stats import bump_stats_version

from .conftest import make_org

pytestmark = pytest.mark.django_db


def by_code(rows):
    return {row["code"]: row for row in rows}


def test_organisations_counted_by_county_and_region(registry_data):
    """Verified NGOs count in their county and region; pending and rejected ones never."""
    stats = selectors.map_statistics()
    counties, regions = by_code(stats["counties"]), by_code(stats["regions"])
    assert counties["RO113"]["counts"]["organisations"] == 3
    assert counties["RO111"]["counts"]["organisations"] == 1
    assert counties["RO424"]["counts"]["organisations"] == 2
    assert counties["RO321"]["counts"]["organisations"] == 0
    assert regions["RO11"]["counts"]["organisations"] == 4
    assert regions["RO42"]["counts"]["organisations"] == 2
    assert regions["RO32"]["counts"]["organisations"] == 0
    assert stats["total"]["organisations"] == 7


def test_all_public_records_layer_includes_imported(registry_data):
    """The "all NGOs" layer adds the imported records to the verified ones."""
    stats = selectors.map_statistics()
    assert by_code(stats["counties"])["RO113"]["counts"]["organisations_all"] == 4
    assert by_code(stats["regions"])["RO11"]["counts"]["organisations_all"] == 5
    assert stats["unknown"]["organisations_all"] == 2
    assert stats["total"]["organisations_all"] == 9


def test_records_without_county_are_unknown_location_not_lost(registry_data):
    """Records with no place show as "unknown location" and in the total, so the regions,
    national level and unknown location add up to the total for every single-place layer."""
    stats = selectors.map_statistics()
    assert stats["unknown"] == {
        "organisations": 1,
        "organisations_all": 2,
        "officials": 0,
        "structures": 1,
        "consultations": 0,
        "projects": 0,
        "events": 0,
        "volunteering": 0,
        "proposals": 0,
        "proposals_reached": 0,
        "feedback": 0,
        "practices": 0,
    }
    for layer in ("organisations", "organisations_all", "structures"):
        regions = sum(r["counts"][layer] for r in stats["regions"])
        assert regions + stats["national"][layer] + stats["unknown"][layer] == stats["total"][layer]


def test_officials_counted_in_the_counties_they_cover(registry_data):
    """A published official counts once in each county covered and once per region; one who
    names no county is at national level; unpublished and removed ones are not counted."""
    stats = selectors.map_statistics()
    counties, regions = by_code(stats["counties"]), by_code(stats["regions"])
    assert counties["RO113"]["counts"]["officials"] == 2
    assert counties["RO111"]["counts"]["officials"] == 1
    assert counties["RO424"]["counts"]["officials"] == 1
    assert regions["RO11"]["counts"]["officials"] == 2  # not 3: one covers two of its counties
    assert regions["RO42"]["counts"]["officials"] == 1
    assert stats["national"]["officials"] == 1
    assert stats["total"]["officials"] == 3


def test_structures_by_county_region_or_national(registry_data):
    """Active structures count in their county; a regional one in its region only ("whole
    region"); a national one at national level; a dissolved one not at all."""
    stats = selectors.map_statistics()
    counties, regions = by_code(stats["counties"]), by_code(stats["regions"])
    assert counties["RO113"]["counts"]["structures"] == 1
    assert regions["RO11"]["counts"]["structures"] == 1
    assert regions["RO42"]["counts"]["structures"] == 1
    assert regions["RO42"]["region_wide"]["structures"] == 1
    assert sum(c["counts"]["structures"] for c in stats["counties"] if c["region"] == "RO42") == 0
    assert stats["national"]["structures"] == 1
    assert stats["unknown"]["structures"] == 1
    assert stats["total"]["structures"] == 4


def test_domain_filter(registry_data, domain_a):
    """?domain= counts only the records of that domain; an official who names no domain
    covers every domain, as in the registry's list of officials."""
    stats = selectors.map_statistics(domain_a.slug)
    counties, regions = by_code(stats["counties"]), by_code(stats["regions"])
    assert stats["domain"] == domain_a.slug
    assert counties["RO113"]["counts"]["organisations"] == 1
    assert counties["RO424"]["counts"]["organisations"] == 2
    assert stats["unknown"]["organisations"] == 1
    assert stats["total"]["organisations"] == 4
    assert stats["total"]["organisations_all"] == 4
    assert counties["RO113"]["counts"]["officials"] == 1
    assert regions["RO42"]["counts"]["officials"] == 1
    assert stats["national"]["officials"] == 1
    assert stats["total"]["officials"] == 2
    assert stats["total"]["structures"] == 1
    assert counties["RO113"]["links"]["organisations"] == (
        f"/registry/organisations/?county=RO113&domain={domain_a.slug}&status=verified"
    )


def test_unknown_or_inactive_domain_is_refused(
    registry_data, domain_a, coordinator, django_capture_on_commit_callbacks
):
    """A slug that names no domain is refused; so is a domain once a coordinator
    deactivates it, even after the active list was cached."""
    selectors.map_statistics(domain_a.slug)
    with pytest.raises(selectors.UnknownDomain):
        selectors.map_statistics("no-such-domain")
    with django_capture_on_commit_callbacks(execute=True):
        domain_update(domain=domain_a, actor=coordinator, is_active=False)
    with pytest.raises(selectors.UnknownDomain):
        selectors.map_statistics(domain_a.slug)


def test_per_capita_figures(registry_data, geo):
    """Per 100,000 inhabitants from the 2021 census; a region's population is the sum of
    its counties (Cluj: 679,141 inhabitants, 3 verified NGOs → 0.44)."""
    stats = selectors.map_statistics()
    cluj = by_code(stats["counties"])["RO113"]
    assert cluj["population"] == 679141
    assert cluj["per_100k"]["organisations"] == 0.44
    nord_vest = by_code(stats["regions"])["RO11"]
    population = sum(c.population for c in geo["county"].values() if c.region.code == "RO11")
    assert nord_vest["population"] == population
    assert nord_vest["per_100k"]["organisations"] == round(4 * 100_000 / population, 2)
    assert stats["population"] == 19_053_815
    assert stats["total_per_100k"]["organisations"] == round(7 * 100_000 / 19_053_815, 2)


def test_list_links_use_the_registry_parameters(registry_data):
    """Each area links to the registry list filtered to it, with the layer's filters."""
    stats = selectors.map_statistics()
    region = by_code(stats["regions"])["RO11"]
    county = by_code(stats["counties"])["RO113"]
    assert (
        region["links"]["organisations"] == "/registry/organisations/?region=RO11&status=verified"
    )
    assert region["links"]["organisations_all"] == "/registry/organisations/?region=RO11"
    assert region["links"]["officials"] == "/registry/officials/?region=RO11"
    assert county["links"]["structures"] == "/registry/structures/?county=RO113&status=active"


def test_constant_number_of_queries(registry_data, django_assert_num_queries):
    """The geography and the layers' aggregate queries (one for the NGOs' projects,
    events and calls for volunteers, one for the proposals), with or without a domain
    (the domain is checked against the cached list of active domains); the same with
    many more records. The public services' feedback layer has one more, without a
    domain only (it has no domain)."""
    with django_assert_num_queries(13):
        selectors.compute_map_statistics()
    for _i in range(20):
        make_org(registry_data["cluj"])
    cache.clear()
    with django_assert_num_queries(13):
        selectors.map_statistics()
    reference.domains()  # the list of active domains is read once, then cached
    with django_assert_num_queries(12):
        selectors.map_statistics("map-test-education")


def test_answered_from_cache_until_the_version_changes(
    registry_data, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Once computed the numbers come from the cache with no query; a new record is seen as
    soon as a service bumps the statistics version (after commit)."""
    first = selectors.map_statistics()
    with django_assert_num_queries(0):
        assert selectors.map_statistics() == first
    make_org(registry_data["cluj"])
    assert selectors.map_statistics()["total"]["organisations"] == 7  # still cached
    with django_capture_on_commit_callbacks(execute=True):
        bump_stats_version()
    assert selectors.map_statistics()["total"]["organisations"] == 8


def test_a_real_service_refreshes_the_map(
    registry_data, coordinator, django_capture_on_commit_callbacks
):
    """Creating an advisory structure through its service refreshes the map's numbers."""
    from registry.services.structures import structure_create

    assert selectors.map_statistics()["total"]["structures"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        structure_create(
            institution=registry_data["prefecture"],
            actor=coordinator,
            name="Consiliul tineretului Cluj",
            kind=AdvisoryStructure.Kind.COUNCIL,
            territorial_level=AdvisoryStructure.TerritorialLevel.COUNTY,
            county=registry_data["cluj"],
        )
    stats = selectors.map_statistics()
    assert stats["total"]["structures"] == 5
    assert by_code(stats["counties"])["RO113"]["counts"]["structures"] == 2


def test_region_wide_structures_in_drill_down_table(registry_data):
    """The table of a region's counties shows a "whole region" row for records of the
    region with no single county, and the region's total."""
    from django.utils import translation

    from registry.map.tables import table_for

    with translation.override("en"):
        table = table_for(selectors.map_statistics(), "structures", "RO42")
    assert [row["code"] for row in table["rows"]] == ["RO421", "RO422", "RO423", "RO424"]
    kinds = {row["kind"]: row for row in table["footer"]}
    assert kinds["region_wide"]["count"] == 1
    assert kinds["total"]["count"] == 1
    assert kinds["total"]["name"] == "Total: Vest"


def test_unknown_location_row_is_always_in_the_regions_table(registry_data):
    from registry.map.tables import table_for

    table = table_for(selectors.map_statistics(), "officials")
    kinds = {row["kind"]: row["count"] for row in table["footer"]}
    assert kinds == {"national": 1, "unknown": 0, "total": 3}


def test_registry_lists_reachable(registry_data):
    """The list URLs exist once the registry pages are routed (skip while they are not)."""
    try:
        reverse("registry:organisation-list")
    except NoReverseMatch:
        pytest.skip("the organisation list is not routed yet")
    stats = selectors.map_statistics()
    assert by_code(stats["regions"])["RO11"]["links"]["organisations"].startswith(
        reverse("registry:organisation-list")
    )


def test_organisations_the_register_dissolved_are_not_on_the_map(registry_data, client):
    """Dissolved, in liquidation and struck-off records are not counted, as the registry's
    list that the map links to does not show them; the verified layer drops them too."""
    cluj = registry_data["cluj"]
    for state in ("dissolved", "in_liquidation", "struck_off"):
        make_org(cluj, status=Organisation.Status.IMPORTED, registry_state=state, name=state)
    make_org(cluj, registry_state="dissolved", name="verified_dissolved")
    cache.clear()

    stats = selectors.map_statistics()

    cluj_row = by_code(stats["counties"])["RO113"]
    assert (cluj_row["counts"]["organisations_all"], cluj_row["counts"]["organisations"]) == (4, 3)
    assert stats["total"]["organisations_all"] == 9
    listed = client.get(cluj_row["links"]["organisations_all"]).content.decode()
    for name in ("dissolved", "in_liquidation", "struck_off", "verified_dissolved"):
        assert f">{name}<" not in listed


def test_pending_organisation_is_not_on_the_map(registry_data):
    make_org(registry_data["cluj"], status=Organisation.Status.SUSPENDED)
    cache.clear()
    assert selectors.map_statistics()["total"]["organisations_all"] == 9


def test_domain_rule_for_officials_is_the_registry_rule(registry_data, domain_a, domain_b):
    """The map's faster form of "officials covering a domain" finds exactly the officials
    the registry's list finds (officials listing the domain, or listing none)."""
    from registry.map.selectors import _covering_domain
    from registry.selectors.officials import official_list_public, officials_covering_domain

    for domain in (domain_a, domain_b):
        registry = set(officials_covering_domain(official_list_public(), domain).values_list("pk"))
        ours = set(official_list_public().filter(_covering_domain(domain)).values_list("pk"))
        assert ours == registry and ours
