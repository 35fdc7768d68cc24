"""Every submitted answer of a questionnaire as CSV or XLSX, streamed: the rows are read
from the database in chunks while the file is sent, so that 100,000 answers take the same
memory as a hundred.

CSV goes through the site's writer (conect/core/exports.py: formulas neutralised, a
byte-order mark for spreadsheets). XLSX is written by openpyxl's write-only workbook,
which keeps each row on disk, not in memory; a ZIP's directory comes last, so the file is
made in a temporary file first and then sent in chunks (its first byte comes when the
file is complete).
"""

import tempfile

from django.http import StreamingHttpResponse

from conect.core.exports import csv_response, neutralise

from .selectors import export_rows, questions_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024


def filename(survey, extension: str) -> str:
    return f"questionnaire-{survey.pk}.{extension}"


def csv_export(survey) -> StreamingHttpResponse:
    header, rows = export_rows(survey, questions_of(survey))
    return csv_response(rows, header=header, filename=filename(survey, "csv"))


def xlsx_chunks(header, rows):
    from openpyxl import Workbook

    with tempfile.TemporaryFile() as file:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([neutralise(cell) for cell in header])
        for row in rows:
            sheet.append([_cell(value) for value in row])
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk


def _cell(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: UTC, as in the CSV's ISO
    value = neutralise(value)
    # openpyxl refuses control characters in a cell.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


def xlsx_export(survey) -> StreamingHttpResponse:
    header, rows = export_rows(survey, questions_of(survey))
    response = StreamingHttpResponse(xlsx_chunks(header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(survey, "xlsx")}"'
    return response
