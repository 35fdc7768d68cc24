"""What an import produces besides rows: its counts, its per-row errors and their CSV report."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from conect.core.exports import CSVWriter


class RegistryFileError(Exception):
    """The file as a whole cannot be imported (not a CSV, no recognisable header...)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportStats:
    total_rows: int = 0
    processed_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    encoding: str = ""
    delimiter: str = ""


@dataclass
class ParsedRow:
    row: int
    values: dict
    columns: dict  # internal key → the column's header as written in the file
    raw: dict  # internal key → the cell as written, for the error report


class ErrorReport:
    """The per-row error report, written as CSV as the import goes (never held in memory).

    Columns: row, column, value, reason; ';'-separated, UTF-8 with a BOM so that a
    spreadsheet opens it with its diacritics."""

    def __init__(self, stream):
        self.stream = stream
        self.count = 0
        self._writer = None

    def add(self, error: RowError) -> None:
        if self._writer is None:
            self._writer = CSVWriter(self.stream, delimiter=";", bom=True)
            self._writer.writerow([_("Row"), _("Column"), _("Value"), _("Reason")])
        self._writer.writerow([error.row, error.column, error.value[:200], error.reason])
        self.count += 1
