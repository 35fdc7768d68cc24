"""JSON by default, CSV on request (streamed for large lists), GeoJSON for regions and
counties."""

import csv
import io

import pytest

from registry.models import Organisation

from .conftest import make_organisation

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def _csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_csv_list_is_the_whole_filtered_list(api, domains):
    """?format=csv streams every matching organisation (no pagination), one row each, with
    nested values flattened and domains joined."""
    for i in range(60):
        make_organisation(f"Asociația {i:02d}", domains=domains[:2])
    make_organisation("Fundația F", legal_form=Organisation.LegalForm.FOUNDATION)
    response = api.get(LIST, {"format": "csv", "legal_form": "association"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="organisations.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert len(rows) == 60
    assert rows[0]["county_code"] == "RO113"
    assert rows[0]["region_code"] == "RO11"
    assert rows[0]["domains"] == "; ".join(
        d.slug
        for d in Organisation.objects.get(pk=rows[0]["id"]).domains.order_by("position", "name_ro")
    )
    assert rows[0]["url"].startswith("http://testserver/api/v1/organisations/")


def test_csv_by_accept_header(api, organisation):
    """Accept: text/csv asks for CSV as well."""
    response = api.get(LIST, HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")
    assert _csv(response)[0]["name"] == "Asociația Exemplu"


def test_csv_of_one_record(api, organisation):
    """A single record in CSV is one row."""
    rows = _csv(api.get(f"{LIST}{organisation.pk}/", {"format": "csv"}))
    assert [r["id"] for r in rows] == [str(organisation.pk)]


def test_csv_cells_are_not_formulas(api):
    """A value that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    make_organisation('=HYPERLINK("http://x")', locality="+40 Cluj")
    row = _csv(api.get(LIST, {"format": "csv"}))[0]
    assert row["name"].startswith("'=")
    assert row["locality"] == "'+40 Cluj"


def test_csv_streaming_memory_is_bounded(api, django_assert_max_num_queries):
    """The CSV export reads the list in batches (with their domains and the richer
    profile's counties, regions, federations and branches), not row by row."""
    for i in range(30):
        make_organisation(f"Org {i}")
    with django_assert_max_num_queries(8):
        response = api.get(LIST, {"format": "csv"})
        assert len(_csv(response)) == 30


def test_csv_errors_are_json(api, organisation):
    """An error is JSON even when CSV was asked for."""
    response = api.get(LIST, {"format": "csv", "county": "RO999"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "invalid"


def test_csv_of_every_collection(api, organisation, institution):
    """Every collection answers in CSV with a header row."""
    for url in (
        "/api/v1/institutions/",
        "/api/v1/officials/",
        "/api/v1/structures/",
        "/api/v1/regions/",
        "/api/v1/counties/",
        "/api/v1/domains/",
    ):
        response = api.get(url, {"format": "csv"})
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert content.decode().splitlines()[0].startswith("id,"), url


@pytest.mark.parametrize("path", ["/api/v1/regions/", "/api/v1/counties/"])
def test_geojson_feature_collection(api, organisation, path):
    """Regions and counties in GeoJSON: a FeatureCollection whose features have the
    boundary as geometry and the counts as properties."""
    response = api.get(path, {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    expected = 8 if "regions" in path else 42
    assert len(body["features"]) == expected
    feature = next(f for f in body["features"] if f["id"] in ("RO11", "RO113"))
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feature["properties"]["counts"]["organisations"] == 1
    assert feature["properties"]["counts"]["organisations_all"] == 1


def test_geojson_by_accept_and_single_feature(api):
    """Accept: application/geo+json works too, and a single county is one Feature."""
    response = api.get("/api/v1/counties/RO113/", HTTP_ACCEPT="application/geo+json")
    body = response.json()
    assert body["type"] == "Feature"
    assert body["id"] == "RO113"
    assert body["properties"]["name"] == "Cluj"


def test_json_reference_lists_omit_boundaries(api):
    """The JSON answer of regions and counties leaves the heavy boundaries out."""
    region = api.get("/api/v1/regions/").json()[0]
    assert "boundary" not in region and "geometry" not in region


def test_geojson_only_for_areas(api, organisation):
    """Organisations have no GeoJSON: 406 in the JSON error shape."""
    response = api.get(LIST, {"format": "geojson"})
    assert response.status_code in (404, 406)
    assert response.json()["error"]["code"] in ("not_found", "not_acceptable")
    response = api.get(LIST, HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"
