"""The guide's part of the coordinators' dashboard: monitoring counts and training
coverage, with their Chart.js configurations (the same numbers are in the tables)."""

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from registry.map.charts import BAR_COLOUR, PALETTE, month_label

from . import selectors

CACHE_TIMEOUT = 300  # as the rest of the dashboard: the counts move all the time


def dashboard_context() -> dict:
    """dashboard_data() from the shared cache, for five minutes, per language."""
    return cache.get_or_set(f"guide:dashboard:{get_language()}", dashboard_data, CACHE_TIMEOUT)


def dashboard_data() -> dict:
    """Everything templates/guide/includes/dashboard.html shows (seven queries)."""
    monitoring = selectors.monitoring(months=6)
    coverage = selectors.training_coverage(limit=15)
    months = [month_label(f"{m:%Y-%m}") for m in monitoring["months"]]
    charts = {
        "guide_views": {
            "type": "bar",
            "labels": months,
            "datasets": [
                {
                    "label": _("Readings"),
                    "data": monitoring["view_totals"],
                    "backgroundColor": BAR_COLOUR,
                },
                {
                    "label": _("Downloads of the PDF"),
                    "data": monitoring["download_totals"],
                    "backgroundColor": PALETTE[1],
                },
            ],
            "horizontal": False,
            "stacked": False,
        },
        "guide_training": {
            "type": "bar",
            "labels": [row["name"] for row in coverage["by_region"]],
            "datasets": [
                {
                    "label": _("Trained"),
                    "data": [r["trained"] for r in coverage["by_region"]],
                    "backgroundColor": PALETTE[2],
                },
                {
                    "label": _("Without training"),
                    "data": [r["missing"] for r in coverage["by_region"]],
                    "backgroundColor": PALETTE[5],
                },
            ],
            "horizontal": True,
            "stacked": True,
        },
    }
    return {"monitoring": monitoring, "coverage": coverage, "months": months, "charts": charts}
