"""The data download written out: one JSON document, or a zip of CSV files (one file per
kind of record, which any spreadsheet opens).

The CSV cells go through `_csv_cell`, which neutralises formulas; it stays private until
the shared CSV writer (conect/core/exports.py) replaces it.
"""

import csv
import io
import json
import zipfile

from django.utils import timezone

# A cell that starts with one of these is a formula to a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    """The value as a CSV cell that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def data_as_json(data: dict[str, list[dict]]) -> bytes:
    document = {"exported_at": timezone.now().isoformat(), **data}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def data_as_csv_zip(data: dict[str, list[dict]]) -> bytes:
    """A zip with one CSV file per section (UTF-8 with a byte-order mark, so that a
    spreadsheet shows the diacritics); a section with no records still has its file,
    empty, so that the person sees it was looked at."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section, records in data.items():
            text = io.StringIO()
            if records:
                writer = csv.DictWriter(text, fieldnames=list(records[0]))
                writer.writeheader()
                for record in records:
                    writer.writerow({key: _csv_cell(value) for key, value in record.items()})
            archive.writestr(f"conect-data/{section}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()
