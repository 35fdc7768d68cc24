"""Files that people open in a spreadsheet: one CSV writer for the whole site.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some programs,
a tab or a carriage return) as a formula: a name typed as `=HYPERLINK("https://...")`
in a form would become a link, or worse, in the file a coordinator downloads. Every
cell written here that starts with one of those characters is prefixed with a single
quote, as OWASP recommends ("CSV Injection"), unless it is a plain number: numbers stay
numbers, so `-5` is still minus five, while `-5 apples` becomes `'-5 apples`.

- `CSVWriter(stream)`: `csv.writer` with that rule, for a file or an `HttpResponse`.
- `csv_chunks(rows)`: the same as an iterator of bytes, for `StreamingHttpResponse`.
- `csv_response(rows, filename=...)`: a streamed download.
- `plain_text(html)`: the text of sanitised HTML for a plain-text field or a cell
  (`&amp;` becomes `&` again).

XLSX is not written: openpyxl is not among the project's dependencies.
"""

import csv
import datetime
import html
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils.html import strip_tags

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

# A number as a spreadsheet reads it (decimal point or, in Romanian, decimal comma): a
# cell like this is not a formula even when it starts with a sign.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutralise(value) -> str | int | float | Decimal:
    """The value as it is safe to put in a cell.

    Numbers are returned as they are; None is an empty cell; dates are written in ISO
    8601; any other value is written as text, with a single quote in front if a
    spreadsheet would read it as a formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class CSVWriter:
    """`csv.writer` over `stream` (a file, an `HttpResponse`, a `StringIO`) that
    neutralises every cell. `bom=True` writes a UTF-8 byte-order mark first, so that
    spreadsheets read the diacritics; `delimiter=";"` is what a spreadsheet set to
    Romanian expects."""

    def __init__(self, stream, *, delimiter: str = ",", bom: bool = False):
        if bom:
            stream.write(BOM)
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_chunks(
    rows: Iterable[Iterable],
    *,
    header: Iterable | None = None,
    delimiter: str = ",",
    bom: bool = False,
    rows_per_chunk: int = 500,
) -> Iterator[bytes]:
    """The CSV of `header` then `rows`, encoded in UTF-8, a chunk every `rows_per_chunk`
    rows: what a `StreamingHttpResponse` sends as the rows are read."""
    buffer = io.StringIO()
    writer = CSVWriter(buffer, delimiter=delimiter, bom=bom)

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    if header is not None:
        writer.writerow(header)
    pending = 0
    for row in rows:
        writer.writerow(row)
        pending += 1
        if pending == rows_per_chunk:
            yield flush()
            pending = 0
    rest = flush()
    if rest:
        yield rest


def csv_response(
    rows: Iterable[Iterable],
    *,
    filename: str,
    header: Iterable | None = None,
    delimiter: str = ",",
    bom: bool = True,
) -> StreamingHttpResponse:
    """A CSV download, streamed as `rows` is read (pass an iterator, e.g. a generator
    over `queryset.iterator()`, to keep memory flat). With a byte-order mark by default,
    for the spreadsheets people open these files in."""
    response = StreamingHttpResponse(
        csv_chunks(rows, header=header, delimiter=delimiter, bom=bom),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Where sanitised HTML starts a new line of text.
_BREAKS = re.compile(r"<\s*(?:br|/?p|/?li|/?blockquote|/?ul|/?ol)\b[^>]*>", re.IGNORECASE)


def plain_text(value: str | None, *, one_line: bool = True) -> str:
    """The text that (sanitised) HTML shows, as plain text: tags removed, entities
    decoded (`&amp;` is `&`, `&lt;` is `<`), paragraphs and line breaks kept apart.

    With `one_line` (the default, for a cell or a one-line field) the whitespace is
    collapsed to single spaces; otherwise each paragraph is a line. The result is text,
    not HTML: escape it again before putting it in a page.
    """
    text = html.unescape(strip_tags(_BREAKS.sub("\n", value or "")))
    if one_line:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
