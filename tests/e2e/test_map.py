"""The national map in a real browser (headless Chromium): the 8 regions drawn from our
own GeoJSON, the drill-down into a region's counties and back, the keyboard, and the
table beside the map holding the same numbers as the data."""

import re

import pytest
from django.urls import reverse

from tests.map import conftest as map_data

# The hand-built registry data of tests/map, whose numbers are known exactly.
geo = map_data.geo
domain_a = map_data.domain_a
domain_b = map_data.domain_b
registry_data = map_data.registry_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _reference_geography(transactional_db):
    """The regions and counties, loaded again when an earlier browser test's flush left
    them out. (Once the session's Playwright runs, Django hands the tests another
    connection object, without the serialized data that serialized_rollback restores.)"""
    from registry.geography import load_reference_geography
    from registry.models import County, Region

    if County.objects.count() != 42:
        load_reference_geography(Region, County)


@pytest.fixture
def map_browser(page):
    """The shared English page of tests/e2e/conftest.py (records page errors and CSP
    violations in `page.problems`)."""
    return page


def open_map(page, live_server, query=""):
    page.goto(live_server.url + reverse("map:map") + query)
    page.wait_for_selector("path.map-region, path.map-county")


def table_numbers(page):
    """{area name: count} from the table's body rows as the browser shows them."""
    rows = page.locator("#map-table-body tr")
    numbers = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        name = row.locator("th").get_attribute("data-value")
        numbers[name] = int(row.locator("td").first.get_attribute("data-value"))
    return numbers


def test_regions_drawn_and_table_matches_the_data(map_browser, live_server, registry_data):
    page = map_browser
    open_map(page, live_server)
    assert page.locator("path.map-region").count() == 8
    data = page.evaluate("fetch('/map/data.json').then(r => r.json())")
    expected = {r["name"]: r["counts"]["organisations"] for r in data["regions"]}
    assert table_numbers(page) == expected
    assert expected["Nord-Vest"] == 4 and expected["Vest"] == 2
    assert page.locator("#map-table-foot .map-row-unknown td").first.inner_text() == "1"
    # Areas carry their number for screen readers; the legend and attribution are shown.
    label = page.locator('path.map-region[data-code="RO11"]').get_attribute("aria-label")
    assert label == "Nord-Vest, Verified NGOs: 4"
    assert page.locator('path.map-region[data-code="RO11"]').get_attribute("role") == "button"
    assert page.locator("#map-legend").is_visible()
    assert "EuroGeographics" in page.locator(".leaflet-control-attribution").inner_text()
    # Darker for more: Nord-Vest (4) is not filled like Centru (0).
    fills = {
        code: page.locator(f'path.map-region[data-code="{code}"]').get_attribute("fill")
        for code in ("RO11", "RO12")
    }
    assert fills["RO11"] != fills["RO12"]
    assert page.locator("#map-apply").is_hidden()
    assert page.problems == []


def test_drill_down_into_a_region_and_back(map_browser, live_server, registry_data):
    page = map_browser
    open_map(page, live_server)
    page.locator('path.map-region[data-code="RO11"]').click()
    page.wait_for_selector("path.map-county")
    assert page.locator("path.map-county").count() == 6
    assert page.locator("path.map-region").count() == 0
    assert page.locator("#table-heading").inner_text() == "Numbers by county: Nord-Vest"
    assert table_numbers(page) == {
        "Bihor": 1,
        "Bistrița-Năsăud": 0,
        "Cluj": 3,
        "Maramureș": 0,
        "Satu Mare": 0,
        "Sălaj": 0,
    }
    assert "region=RO11" in page.url
    page.locator("#map-back").click()
    page.wait_for_selector("path.map-region")
    assert page.locator("path.map-region").count() == 8
    assert page.locator("#table-heading").inner_text() == "Numbers by development region"
    # A county opens the registry list filtered to it.
    page.locator("#map-table-body a.map-drill", has_text="Vest").last.click()
    page.wait_for_selector("path.map-county")
    with page.expect_navigation(timeout=30_000):
        page.locator('path.map-county[data-code="RO424"]').click()
    assert page.url.endswith("/registry/organisations/?county=RO424&status=verified")
    assert page.problems == [] or all("404" in p for p in page.problems)  # list not built yet


def test_keyboard_focus_enter_and_escape(map_browser, live_server, registry_data):
    """Tab reaches a region and its count is shown and announced; Enter drills down and
    focuses a county; Escape returns to the regions with focus on the same region."""
    page = map_browser
    open_map(page, live_server)
    region = page.locator('path.map-region[data-code="RO11"]')
    region.focus()
    assert page.locator("#map-status").inner_text() == "Nord-Vest, Verified NGOs: 4"
    assert page.locator("#map-status").get_attribute("aria-live") == "polite"
    assert page.locator(".leaflet-tooltip").inner_text() == "Nord-Vest, Verified NGOs: 4"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-code')") == "RO12"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("path.map-county")
    focused = page.evaluate("document.activeElement.getAttribute('class')")
    assert "map-county" in focused
    assert "Showing the counties of Nord-Vest" in page.locator("#map-status").inner_text()
    page.keyboard.press("Escape")
    page.wait_for_selector("path.map-region")
    assert page.evaluate("document.activeElement.getAttribute('data-code')") == "RO11"
    assert page.problems == []


def test_layer_mode_domain_and_sorting(map_browser, live_server, registry_data, domain_a):
    page = map_browser
    open_map(page, live_server)
    page.get_by_label("Relationship officials").check()
    assert page.locator("#map-count-header").inner_text() == "Relationship officials"
    assert table_numbers(page)["Nord-Vest"] == 2
    assert page.locator("#map-table-foot .map-row-national td").first.inner_text() == "1"
    page.get_by_label("Per 100,000 inhabitants").check()
    label = page.locator('path.map-region[data-code="RO11"]').get_attribute("aria-label")
    assert re.fullmatch(r"Nord-Vest, Relationship officials per 100,000 inhabitants: 0\.08", label)
    page.get_by_label("Verified NGOs").check()
    page.select_option("#map-domain", domain_a.slug)
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.locator("#map-csv")).to_have_attribute("href", re.compile("domain="))
    assert table_numbers(page)["Nord-Vest"] == 1
    assert f"domain={domain_a.slug}" in page.url
    # Sorting by the count column, most first on the second click.
    header = page.locator("#map-count-header")
    header.click()
    header.click()
    assert page.locator("#map-table thead th").nth(1).get_attribute("aria-sort") == "descending"
    first = page.locator("#map-table-body tr th").first.get_attribute("data-value")
    assert first == "Vest"
    assert page.problems == []


def test_map_reads_in_romanian(map_browser, live_server, registry_data):
    """In Romanian the numbers use the Romanian separators (2.521.793; 0,16)."""
    page = map_browser
    page.context.add_cookies([{"name": "conect_language", "value": "ro", "url": live_server.url}])
    open_map(page, live_server)
    assert page.locator("html").get_attribute("lang") == "ro"
    assert page.locator("path.map-region").count() == 8
    row = page.locator('#map-table-body tr[data-code="RO11"] td')
    assert row.nth(1).inner_text() == "0,16"
    assert row.nth(2).inner_text() == "2.521.793"


def test_dashboard_charts_drawn_for_a_coordinator(
    page_for, live_server, registry_data, coordinator
):
    """The dashboard's charts are drawn by Chart.js from local files, under the CSP."""
    page = page_for(coordinator)
    page.goto(live_server.url + reverse("map:dashboard"))
    page.wait_for_selector("canvas[data-chart]")
    # The registry's 5, the proposals', the feedback's and the guide's 2.
    assert page.locator("canvas[data-chart]").count() == 9
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".map(c => Chart.getChart(c) !== undefined)"
    )
    assert drawn == [True] * 9
    assert page.locator("#table-summary tbody tr").count() == 10
    assert page.problems == []
