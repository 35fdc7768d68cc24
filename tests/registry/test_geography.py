from django.db.models import Count

from registry.models import County, Region


def test_reference_geography_has_8_regions_and_42_counties(db):
    """The data migration loads Romania's 8 development regions and 42 counties."""
    assert Region.objects.count() == 8
    assert County.objects.count() == 42
    assert set(Region.objects.values_list("code", flat=True)) == {
        "RO11",
        "RO12",
        "RO21",
        "RO22",
        "RO31",
        "RO32",
        "RO41",
        "RO42",
    }


def test_every_county_belongs_to_exactly_one_region(db):
    """Each county has one region, and the regions' counties add up to all 42."""
    assert not County.objects.filter(region__isnull=True).exists()
    per_region = dict(Region.objects.annotate(n=Count("counties")).values_list("code", "n"))
    assert sum(per_region.values()) == 42
    assert per_region["RO32"] == 2  # București and Ilfov
    for county in County.objects.select_related("region"):
        assert county.code.startswith(county.region.code)


def test_every_region_and_county_has_a_boundary(db):
    """The map can draw every region and county from our own GeoJSON."""
    for place in [*Region.objects.all(), *County.objects.all()]:
        assert place.boundary["type"] in {"Polygon", "MultiPolygon"}
        assert place.boundary["coordinates"]


def test_county_names_use_comma_below_diacritics(db):
    """Names use ș and ț with the comma below, not the cedilla forms."""
    names = "".join(County.objects.values_list("name", flat=True))
    assert "ş" not in names and "ţ" not in names
    assert County.objects.get(vehicle_code="B").name == "București"
    assert County.objects.get(code="RO114").name == "Maramureș"


def test_county_codes_and_population(db):
    """Vehicle and SIRUTA codes are stored, and population adds up to the 2021 census."""
    cluj = County.objects.get(code="RO113")
    assert (cluj.vehicle_code, cluj.siruta, cluj.region.code) == ("CJ", 127, "RO11")
    assert sum(County.objects.values_list("population", flat=True)) == 19_053_815


def test_the_lists_of_regions_and_counties_are_read_once_then_cached(db, django_assert_num_queries):
    """Every search form offers all regions and counties: they are read once (without
    their boundaries), then served from the cache."""
    from registry.selectors import reference

    with django_assert_num_queries(2):
        regions, counties = reference.regions(), reference.counties()
    assert [region.code for region in regions][:2] == ["RO11", "RO12"]
    assert len(counties) == 42 and counties[0].name <= counties[-1].name
    assert "boundary" in counties[0].get_deferred_fields()
    with django_assert_num_queries(0):
        assert len(reference.regions()) == 8 and len(reference.counties()) == 42
