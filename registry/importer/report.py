"""What an import produces besides rows: its counts, its per-row errors and their CSV report."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    # Issue 18.
    file_format: str = ""
    missing: int = 0
    repeats: int = 0
    conflicts: int = 0


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


# --- Issue 18: the summary of what an import changed ----------------------------------

SUMMARY_KINDS = {
    "new": gettext_lazy("new"),
    "changed": gettext_lazy("changed"),
    "conflict": gettext_lazy("conflict (kept the profile's value)"),
    "repeat": gettext_lazy("repeated registry number"),
    "set_aside": gettext_lazy("set aside for review"),
    "missing": gettext_lazy("no longer in the file"),
}


@dataclass
class SummaryLine:
    kind: str
    row: int | None = None
    registry_number: str = ""
    name: str = ""
    organisation_id: int | None = None
    field: str = ""
    before: str = ""
    after: str = ""
    note: str = ""


class SummaryReport:
    """Every change of an import, one line each, written as CSV as the import goes: new
    organisations, each changed field (before, after), conflicts with what a profile's
    administrators wrote, repeated registry numbers and what was done with each, rows set
    aside for review and organisations no longer in the file."""

    def __init__(self, stream):
        self.stream = stream
        self.count = 0
        self._writer = None

    def add(self, line: SummaryLine) -> None:
        if self._writer is None:
            self._writer = CSVWriter(self.stream, delimiter=";", bom=True)
            self._writer.writerow(
                [
                    _("Kind"),
                    _("Row"),
                    _("Registry number"),
                    _("Organisation"),
                    _("Organisation id"),
                    _("Field"),
                    _("Before"),
                    _("In the file"),
                    _("Note"),
                ]
            )
        self._writer.writerow(
            [
                str(SUMMARY_KINDS[line.kind]),
                line.row or "",
                line.registry_number,
                line.name[:300],
                line.organisation_id or "",
                line.field,
                str(line.before)[:300],
                str(line.after)[:300],
                line.note,
            ]
        )
        self.count += 1


class NullSummary:
    count = 0

    def add(self, line: SummaryLine) -> None:
        pass
