"""Loads Romania's development regions and counties, with their boundaries, from the
files in registry/data/ (sources and attribution in registry/data/SOURCES.md)."""

import csv
import json
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent / "data"

# Lazy: the map's page and its data answer in the reader's language (the cached data
# keep no translated text; the selectors add this when they answer).
ATTRIBUTION = _("Source: Eurostat / GISCO. © EuroGeographics for the administrative boundaries.")


def _geometries(filename: str) -> dict[str, dict]:
    with open(DATA_DIR / filename, encoding="utf-8") as fh:
        collection = json.load(fh)
    return {feature["properties"]["id"]: feature["geometry"] for feature in collection["features"]}


def load_reference_geography(region_model, county_model) -> tuple[int, int]:
    """Create or update the 8 regions and 42 counties; safe to run again.

    Takes the model classes so that a data migration can pass its historical models.
    Returns the number of regions and counties in the data.
    """
    region_shapes = _geometries("ro_regions_nuts2.geojson")
    county_shapes = _geometries("ro_counties_nuts3.geojson")
    with open(DATA_DIR / "ro_counties.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    regions = {}
    for row in rows:
        code = row["region_nuts2"]
        if code not in regions:
            regions[code], _ = region_model.objects.update_or_create(
                code=code,
                defaults={"name": row["region_name"], "boundary": region_shapes[code]},
            )
    for row in rows:
        county_model.objects.update_or_create(
            code=row["nuts3"],
            defaults={
                "name": row["name"],
                "vehicle_code": row["vehicle_code"],
                "siruta": int(row["siruta"]),
                "region": regions[row["region_nuts2"]],
                "population": int(row["population_2021"]),
                "boundary": county_shapes[row["nuts3"]],
            },
        )
    return len(regions), len(rows)
