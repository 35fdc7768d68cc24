"""The map's numbers laid out as the table beside the map and as CSV files, from the
statistics computed in selectors (no queries here)."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from conect.core.exports import CSVWriter

from .selectors import LAYERS, SUMMARY_COLUMNS


def _row(area, layer_id, *, kind, drill_url=None):
    return {
        "kind": kind,
        "code": area.get("code", ""),
        "name": area["name"],
        "population": area.get("population"),
        "count": area["counts"][layer_id],
        "per_100k": area.get("per_100k", {}).get(layer_id),
        "link": area.get("links", {}).get(layer_id),
        "drill_url": drill_url,
    }


def table_for(stats: dict, layer_id: str, region_code: str | None = None) -> dict:
    """Rows of the table for one layer: the 8 regions, or the counties of one region
    (with a "whole region" row when records belong to the region but no county), then the
    rows that keep every record visible: national level, unknown location, total."""
    region = next((r for r in stats["regions"] if r["code"] == region_code), None)
    footer = []
    if region is None:
        rows = [
            _row(r, layer_id, kind="region", drill_url=f"?region={r['code']}")
            for r in stats["regions"]
        ]
        if stats["national"][layer_id]:
            footer.append(
                {
                    "kind": "national",
                    "name": _("National level"),
                    "count": stats["national"][layer_id],
                }
            )
        footer.append(
            {"kind": "unknown", "name": _("Unknown location"), "count": stats["unknown"][layer_id]}
        )
        footer.append(
            {
                "kind": "total",
                "name": _("Total"),
                "population": stats["population"],
                "count": stats["total"][layer_id],
                "per_100k": stats["total_per_100k"][layer_id],
                "link": stats["total_links"][layer_id],
            }
        )
    else:
        rows = [
            _row(c, layer_id, kind="county")
            for c in stats["counties"]
            if c["region"] == region_code
        ]
        if region["region_wide"][layer_id]:
            footer.append(
                {
                    "kind": "region_wide",
                    "name": _("Whole region (no single county)"),
                    "count": region["region_wide"][layer_id],
                }
            )
        total = _row(region, layer_id, kind="total")
        total["name"] = _("Total: %(region)s") % {"region": region["name"]}
        footer.append(total)
    return {"region": region, "rows": rows, "footer": footer}


def _number(value):
    return "" if value is None else value


def map_csv(stats: dict) -> str:
    """Every region and county with every layer, absolute and per 100,000 inhabitants,
    then national level, unknown location and the total. Starts with a byte-order mark so
    that spreadsheets read the diacritics."""
    out = io.StringIO()
    writer = CSVWriter(out, bom=True)
    header = [_("Level"), _("Code"), pgettext("legal entity", "Name"), _("Region"), _("Population")]
    for layer_id in stats["layers"]:
        label = LAYERS[layer_id].label
        header += [str(label), _("%(layer)s per 100,000 inhabitants") % {"layer": label}]
    writer.writerow(header)

    def counts(area):
        values = []
        for layer_id in stats["layers"]:
            values += [area["counts"][layer_id], _number(area.get("per_100k", {}).get(layer_id))]
        return values

    for region in stats["regions"]:
        code, name, population = region["code"], region["name"], region["population"]
        writer.writerow([_("region"), code, name, code, population, *counts(region)])
    for county in sorted(stats["counties"], key=lambda c: (c["region"], c["code"])):
        writer.writerow(
            [
                _("county"),
                county["code"],
                county["name"],
                county["region"],
                county["population"],
                *counts(county),
            ]
        )
    for kind, label in (("national", _("National level")), ("unknown", _("Unknown location"))):
        values = [v for layer_id in stats["layers"] for v in (stats[kind][layer_id], "")]
        writer.writerow([label, "", "", "", "", *values])
    totals = [
        v
        for layer_id in stats["layers"]
        for v in (stats["total"][layer_id], _number(stats["total_per_100k"][layer_id]))
    ]
    writer.writerow([_("Total"), "RO", "", "", stats["population"], *totals])
    return out.getvalue()


def summary_csv(summary: dict) -> str:
    """The dashboard's per-region summary as CSV (byte-order mark first)."""
    out = io.StringIO()
    writer = CSVWriter(out, bom=True)
    keys = [key for key, _label in SUMMARY_COLUMNS]
    writer.writerow([_("Code"), _("Region")] + [str(label) for _key, label in SUMMARY_COLUMNS])
    for row in [*summary["rows"], summary["national"], summary["unknown"], summary["total"]]:
        writer.writerow([row["code"], row["name"]] + [_number(row[key]) for key in keys])
    return out.getvalue()
