"""Formats besides JSON.

- CSV (`?format=csv` or `Accept: text/csv`): one row per record, the columns each
  endpoint declares in `csv_columns` (nested values flattened, lists joined with "; ").
  A list comes whole, streamed as it is read, never held in memory; a single record
  gives one row. Written by the site's one CSV writer (conect.core.exports), which
  prefixes with an apostrophe every cell that a spreadsheet would run as a formula.
- GeoJSON (`?format=geojson` or `Accept: application/geo+json`), for regions and
  counties: a FeatureCollection with each boundary and its counts as properties.
"""

import io
from collections.abc import Iterable, Iterator

from rest_framework.renderers import BaseRenderer, JSONRenderer

from conect.core.exports import CSVWriter

CSV_LIST_SEPARATOR = "; "


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = view.get_csv_columns() if view is not None else []
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        return "".join(csv_lines(rows, columns)).encode(self.charset)


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def _text(value) -> str:
    """An item of a list, as text (the cell it is joined into is neutralised whole)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _resolve(value, path: list[str]):
    """Follow a dotted path through nested dicts; a list on the way maps the rest of the
    path over its items."""
    for i, key in enumerate(path):
        if value is None:
            return None
        if isinstance(value, list):
            items = [_resolve(item, path[i:]) for item in value]
            return CSV_LIST_SEPARATOR.join(_text(item) for item in items if item is not None)
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(_text(item) for item in value)
    return value


def csv_row(data: dict, columns: list[tuple[str, str]]) -> list:
    return [_resolve(data, path.split(".")) for _header, path in columns]


def csv_lines(rows: Iterable[dict], columns: list[tuple[str, str]]) -> Iterator[str]:
    """The header line, then one line per row, as text."""
    buffer = io.StringIO()
    writer = CSVWriter(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([header for header, _path in columns])
    yield flush()
    for row in rows:
        writer.writerow(csv_row(row, columns))
        yield flush()


def csv_stream(batches: Iterable[list[dict]], columns: list[tuple[str, str]]) -> Iterator[bytes]:
    """Encoded CSV, one chunk per batch of serialised rows (for StreamingHttpResponse)."""
    header = True
    for batch in batches:
        lines = csv_lines(batch, columns)
        if not header:
            next(lines)
        header = False
        yield "".join(lines).encode("utf-8")
    if header:  # no batch at all: the header alone
        yield next(csv_lines([], columns)).encode("utf-8")
