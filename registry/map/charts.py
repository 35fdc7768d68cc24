"""The dashboard's numbers shaped for its tables and for Chart.js (static/js/dashboard.js
draws them; the same numbers are in the table under each chart). No queries here."""

from datetime import date

from django.utils import formats
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .selectors import SUMMARY_COLUMNS

# Okabe-Ito: eight colours told apart with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
UNKNOWN_COLOUR = "#8c8c8c"
BAR_COLOUR = "#0072B2"


def month_label(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def registrations_table(registrations: dict, regions: list[dict]) -> dict:
    """Rows: one per region (every region, even with no registration), then unknown
    location when any; columns: the 12 months and the total."""
    months = [month_label(key) for key in registrations["months"]]
    zeros = [0] * len(months)
    rows = [
        {
            "code": r["code"],
            "name": r["name"],
            "values": registrations["series"].get(r["code"], zeros),
        }
        for r in regions
    ]
    if registrations["series"].get(None):
        rows.append(
            {"code": "", "name": _("Unknown location"), "values": registrations["series"][None]}
        )
    for row in rows:
        row["total"] = sum(row["values"])
    totals = [sum(row["values"][i] for row in rows) for i in range(len(months))]
    return {"months": months, "rows": rows, "totals": totals, "total": sum(totals)}


def chart_data(data: dict, registrations: dict) -> dict:
    """Chart.js configurations (type, labels, datasets) for each chart of the dashboard."""
    series = [
        {
            "label": row["name"],
            "data": row["values"],
            "backgroundColor": PALETTE[i % len(PALETTE)] if row["code"] else UNKNOWN_COLOUR,
        }
        for i, row in enumerate(registrations["rows"])
    ]

    def bars(label, items, *, horizontal=False):
        return {
            "type": "bar",
            "labels": [item["label"] for item in items],
            "datasets": [
                {
                    "label": label,
                    "data": [item["count"] for item in items],
                    "backgroundColor": BAR_COLOUR,
                }
            ],
            "horizontal": horizontal,
            "stacked": False,
        }

    structures_by_domain = [
        {"label": row["name"], "count": row["count"]} for row in data["by_domain"]["rows"]
    ]
    if data["by_domain"]["without_domain"]:
        structures_by_domain.append(
            {"label": _("No domain"), "count": data["by_domain"]["without_domain"]}
        )
    return {
        "registrations": {
            "type": "bar",
            "labels": registrations["months"],
            "datasets": series,
            "horizontal": False,
            "stacked": True,
        },
        "queue": bars(_("Organisations"), data["queue"]["buckets"]),
        "without_official": bars(_("Institutions"), data["without_official"]["by_kind"]),
        "by_institution": bars(
            _("Advisory structures"),
            [{"label": r["name"], "count": r["count"]} for r in data["by_institution"]["rows"]],
            horizontal=True,
        ),
        "by_domain": bars(_("Advisory structures"), structures_by_domain, horizontal=True),
    }


def _cell(value, key):
    if value is None:
        return "—"
    if key.endswith("_per_100k"):
        return number_format(value, 2, force_grouping=True)
    return number_format(value, force_grouping=True)


def summary_table(summary: dict) -> dict:
    """The per-region summary as rows of formatted cells, in the order of SUMMARY_COLUMNS."""
    keys = [key for key, _label in SUMMARY_COLUMNS]

    def shape(row, kind):
        return {**row, "kind": kind, "cells": [_cell(row[key], key) for key in keys]}

    rows = [shape(row, "region") for row in summary["rows"]]
    rows += [shape(summary["national"], "national"), shape(summary["unknown"], "unknown")]
    return {"rows": rows, "total": shape(summary["total"], "total")}
