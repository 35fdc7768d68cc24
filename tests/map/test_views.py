"""The map page, its JSON and CSV endpoints and the public API endpoint."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from registry.models import Organisation
from registry.selectors import reference
from registry.stats import bump_stats_version

from .conftest import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_en():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def table_rows(html: str, tbody_id="map-table-body"):
    """(name, count) of each body row of the map's table, read from the HTML."""
    import re

    body = html.split(f'id="{tbody_id}">', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(
        r'<th scope="row" data-value="([^"]+)".*?<td[^>]*data-value="(\d+)"', body, re.S
    )
    return {name: int(count) for name, count in rows}


def test_map_page_renders_the_table_without_javascript(
    registry_data, client_en, django_assert_num_queries
):
    """The regions' numbers are in the server-rendered table, with the unknown location
    and total rows, the Leaflet map container, the attribution and the disclaimer; the
    page costs the map's aggregate queries plus the domains, whatever the data; then
    both come from the cache."""
    with django_assert_num_queries(14):  # with the proposals' layer
        response = client_en.get(reverse("map:map"))
    assert response.status_code == 200
    html = response.content.decode()
    rows = table_rows(html)
    assert len(rows) == 8
    assert rows["Nord-Vest"] == 4
    assert rows["Vest"] == 2
    assert rows["Centru"] == 0
    assert "Unknown location" in html
    assert 'id="map"' in html and "leaflet/leaflet.js" in html and "js/map.js" in html
    assert "© EuroGeographics for the administrative boundaries" in html
    assert "do not imply the expression of any opinion" in html
    assert "2021 census" in html
    assert 'href="/registry/organisations/?region=RO11&amp;status=verified"' in html
    # Cached numbers and domains: no query.
    with django_assert_num_queries(0):
        client_en.get(reverse("map:map"))


def test_map_page_has_no_inline_script_or_style(registry_data, client_en):
    """The CSP forbids inline code: the page's only inline <script> blocks are JSON data."""
    html = client_en.get(reverse("map:map")).content.decode()
    assert ' style="' not in html
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head


def test_map_page_drill_down_layer_and_mode(registry_data, client_en):
    """?region= shows that region's counties, ?layer= another layer, ?mode= per capita."""
    response = client_en.get(reverse("map:map"), {"region": "RO11", "layer": "officials"})
    html = response.content.decode()
    rows = table_rows(html)
    assert rows == {
        "Bihor": 1,
        "Bistrița-Năsăud": 0,
        "Cluj": 2,
        "Maramureș": 0,
        "Sălaj": 0,
        "Satu Mare": 0,
    }
    assert "Numbers by county: Nord-Vest" in html
    assert "Total: Nord-Vest" in html
    config = response.context["map_config"]
    assert config["region"] == "RO11" and config["layer"] == "officials"
    response = client_en.get(reverse("map:map"), {"mode": "per_capita", "layer": "nonsense"})
    assert response.context["map_config"]["mode"] == "per_capita"
    assert response.context["map_config"]["layer"] == "organisations"


def test_map_page_domain_filter_and_unknown_domain(registry_data, domain_a, client_en):
    """A domain filters the table; an unknown one gets a clear message and the numbers of
    every domain."""
    html = client_en.get(reverse("map:map"), {"domain": domain_a.slug}).content.decode()
    assert table_rows(html)["Nord-Vest"] == 1
    assert f'?domain={domain_a.slug}" id="map-csv"' in html
    response = client_en.get(reverse("map:map"), {"domain": "no-such-domain"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no domain of activity “no-such-domain”. Showing every domain." in html
    assert 'aria-invalid="true"' in html
    assert table_rows(html)["Nord-Vest"] == 4


def test_data_endpoint(
    registry_data, client_en, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The JSON endpoint: every layer by region and county, 6 queries uncached, none once
    cached, an ETag that answers 304 until the registry changes."""
    url = reverse("map:map-data")
    with django_assert_num_queries(13):
        response = client_en.get(url)
    assert response.status_code == 200
    data = response.json()
    assert len(data["regions"]) == 8 and len(data["counties"]) == 42
    assert data["layers"] == [
        "organisations",
        "organisations_all",
        "officials",
        "structures",
        "projects",
        "events",
        "volunteering",
        "consultations",
        "proposals",
        "proposals_reached",
        "practices",
        "feedback",
    ]
    assert data["unknown"]["organisations"] == 1
    with django_assert_num_queries(0):
        cached = client_en.get(url)
    assert cached.json() == data
    etag = cached["ETag"]
    assert client_en.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        bump_stats_version()
    fresh = client_en.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_data_endpoint_refreshed_after_a_change(
    registry_data, client_en, django_capture_on_commit_callbacks
):
    url = reverse("map:map-data")
    assert client_en.get(url).json()["total"]["organisations"] == 7
    with django_capture_on_commit_callbacks(execute=True):
        make_org(registry_data["cluj"])
        bump_stats_version()
    data = client_en.get(url).json()
    assert data["total"]["organisations"] == 8
    cluj = next(c for c in data["counties"] if c["code"] == "RO113")
    assert cluj["counts"]["organisations"] == 4


def test_data_endpoint_domain_filter(registry_data, domain_a, client_en, django_assert_num_queries):
    url = reverse("map:map-data")
    reference.domains()  # the list of active domains is read once, then cached
    with django_assert_num_queries(12):  # the domain is checked against the cached list
        data = client_en.get(url, {"domain": domain_a.slug}).json()
    assert data["domain"] == domain_a.slug
    assert data["total"]["organisations"] == 4
    response = client_en.get(url, {"domain": "no-such-domain"})
    assert response.status_code == 400
    assert response.json() == {"domain": ["There is no domain of activity “no-such-domain”."]}


def test_boundaries_endpoint(client_en, django_assert_num_queries, db):
    """The 8 regions and 42 counties as GeoJSON, read once and then from the cache."""
    url = reverse("map:map-boundaries")
    with django_assert_num_queries(1):
        data = client_en.get(url).json()
    assert len(data["regions"]["features"]) == 8
    assert len(data["counties"]["features"]) == 42
    assert data["regions"]["features"][0]["properties"] == {"code": "RO11", "name": "Nord-Vest"}
    assert data["counties"]["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    with django_assert_num_queries(0):
        response = client_en.get(url)
    assert "max-age=3600" in response["Cache-Control"]


def test_csv_download(registry_data, domain_a, client_en):
    """Every region and county with every layer, then national level, unknown location
    and the total, as a spreadsheet opens it."""
    response = client_en.get(reverse("map:map-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="conect-map.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:6] == ["Level", "Code", "Name", "Region", "Population", "Verified NGOs"]
    assert len(rows) == 1 + 8 + 42 + 3
    cluj = next(r for r in rows if r[1] == "RO113")
    assert cluj[2:7] == ["Cluj", "RO11", "679141", "3", "0.44"]
    unknown = next(r for r in rows if r[0] == "Unknown location")
    assert unknown[5] == "1"
    assert rows[-1][0] == "Total" and rows[-1][5] == "7"
    filtered = client_en.get(reverse("map:map-csv"), {"domain": domain_a.slug})
    assert f"conect-map-{domain_a.slug}.csv" in filtered["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(filtered.content.decode().lstrip("\ufeff"))))
    assert rows[-1][5] == "4"


def test_map_page_in_romanian_by_default(registry_data):
    response = Client().get(reverse("map:map"))
    assert response.status_code == 200
    assert response.context["map_config"]["language"] == "ro"


def test_public_api_endpoint(registry_data, client_en, django_assert_num_queries):
    """/api/v1/map/ answers the same numbers, from the same cache."""
    try:
        url = reverse("api-v1:map-statistics")
    except NoReverseMatch:
        pytest.skip("the API route is not registered in conect/api_urls.py")
    response = client_en.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["total"]["organisations"] == 7
    assert data["regions"][0]["code"] == "RO11"
    with django_assert_num_queries(0):
        assert client_en.get(url, HTTP_ACCEPT="application/json").status_code == 200
    bad = client_en.get(url, {"domain": "no-such-domain"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert "domain" in json.dumps(bad.json())


def test_rejected_record_never_appears(registry_data, client_en):
    make_org(registry_data["cluj"], status=Organisation.Status.REJECTED)
    bump_stats_version()
    assert client_en.get(reverse("map:map-data")).json()["total"]["organisations_all"] == 9


def test_background_tiles_are_optional(registry_data, client_en, settings):
    """No tile server by default; a tile layer configured in LEAFLET_CONFIG["TILES"] is
    handed to the map with its attribution."""
    assert client_en.get(reverse("map:map")).context["map_config"]["tiles"] is None
    settings.LEAFLET_CONFIG = {
        **settings.LEAFLET_CONFIG,
        "TILES": [("OSM", "https://tiles.example.org/{z}/{x}/{y}.png", {"attribution": "© OSM"})],
    }
    tiles = client_en.get(reverse("map:map")).context["map_config"]["tiles"]
    assert tiles == {"url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© OSM"}
