"""The indices shaped for their tables and for Chart.js (static/js/feedback.js draws them;
the same numbers are in the table beside each chart). No queries here."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from registry.map.charts import month_label

from .selectors import INDICATOR_LABELS

LINE_COLOUR = "#0072B2"


def _number(value, decimals):
    return "—" if value is None else number_format(value, decimals)


def index_cells(index: dict) -> dict:
    """An index as formatted cells: the share satisfied, each indicator's average and
    the share solved ("—" where hidden), and the number of answers."""
    averages = index.get("averages", {})
    return {
        "count": index["answers"],
        "answers": number_format(index["answers"], force_grouping=True),
        "shown": index["shown"],
        "satisfied_share": _number(index.get("satisfied_share"), 1),
        "averages": [_number(averages.get(key), 2) for key, _label in INDICATOR_LABELS],
        "solved_share": _number(index.get("solved_share"), 1),
    }


def series_table(series: dict) -> dict:
    """Rows of the monthly table: the month, its answers and its index (newest first),
    then the 12 months together, and the trend."""
    rows = [
        {"label": month_label(month["month"]), **index_cells(month)}
        for month in reversed(series["months"])
    ]
    trend = series.get("trend")
    return {
        "rows": rows,
        "total": index_cells(series["total"]),
        "trend": trend,
        "trend_text": None if trend is None else f"{trend:+.1f}",
    }


def series_chart(series: dict) -> dict:
    """A line of the share of satisfied answers per month (a gap where a month has fewer
    answers than the threshold)."""
    return {
        "type": "line",
        "labels": [month_label(month["month"]) for month in series["months"]],
        "datasets": [
            {
                "label": _("Satisfied answers (%)"),
                "data": [month.get("satisfied_share") for month in series["months"]],
                "borderColor": LINE_COLOUR,
                "backgroundColor": LINE_COLOUR,
                "spanGaps": False,
            }
        ],
        "percent": True,
    }


def area_rows(items, url=None) -> list[dict]:
    """Rows of a table of areas, institutions or services: each item's name, its link
    (`url(item)`) and its 12-month index as formatted cells."""
    return [
        {"name": item["name"], "url": url(item) if url else None, **index_cells(item["index"])}
        for item in items
    ]


def bars_chart(label: str, rows: list[dict]) -> dict:
    """Horizontal bars of the share of satisfied answers per row (none where hidden)."""
    return {
        "type": "bar",
        "labels": [row["name"] for row in rows],
        "datasets": [
            {
                "label": label,
                "data": [row["index"].get("satisfied_share") for row in rows],
                "backgroundColor": LINE_COLOUR,
            }
        ],
        "horizontal": True,
        "percent": True,
    }
