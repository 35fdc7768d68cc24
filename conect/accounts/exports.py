"""The data download written out: one JSON document, or a zip of CSV files (one file per
kind of record, which any spreadsheet opens).

The CSV files are written by the site's one CSV writer (conect/core/exports.py), which
neutralises formulas.
"""

import io
import json
import zipfile

from django.utils import timezone

from conect.core.exports import CSVWriter


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
            writer = CSVWriter(text, bom=True)
            if records:
                fields = list(records[0])
                writer.writerow(fields)
                writer.writerows([record[field] for field in fields] for record in records)
            archive.writestr(f"conect-data/{section}.csv", text.getvalue())
    return buffer.getvalue()
