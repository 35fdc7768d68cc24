"""Import of the National NGO Registry (Registrul Național ONG, Ministry of Justice open data).

The file is read as a stream, in batches (1,000 rows by default): each batch costs one query
to find the organisations it already knows (by registry number or fiscal code), one bulk
insert, one bulk update, their history rows and the search vectors, whatever its size. Memory
stays bounded: only the registry numbers and fiscal codes already seen in the file are kept,
to catch duplicates.

The rule that protects what NGOs wrote themselves (docs/import.md explains it):
- a new organisation is created with the status "imported";
- an organisation that is still "imported" takes every non-empty value of the file;
- any other organisation (pending, verified, rejected, suspended) only has its EMPTY fields
  filled; its name, status and everything its admins wrote stay as they are;
- an empty cell never erases anything.

Each broken row goes to the error report (row number, column, value, reason) and the rest
of the file goes on. Run it twice and the second run changes nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, reset_queries, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conect.core.baked import BakedQuery, BakedRows
from conect.core.text import fix_diacritics, fold

from .models import County, ImportJob, Organisation
from .search import ORGANISATION_VECTOR_SQL, update_organisation_vectors
from .stats import bump_stats_version
from .validators import normalize_fiscal_code, validate_fiscal_code

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000
SNIFF_BYTES = 256 * 1024
HEADER_SEARCH_ROWS = 15
MAX_UPLOAD_SIZE = 200 * 1024 * 1024
NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length

# Columns the import understands, by the key it uses internally.
NAME = "name"
REGISTRY_NUMBER = "registry_number"
FISCAL_CODE = "fiscal_code"
REGISTRATION_DATE = "registration_date"
COUNTY = "county"
LOCALITY = "locality"
ADDRESS = "address"
LEGAL_FORM = "legal_form"
STATE = "state"
PURPOSE = "purpose"

# Header variants, compared after `normalise_header` (no diacritics, lower case, punctuation
# turned into spaces): "Nr. inreg. Registrul Național" → "nr inreg registrul national".
HEADER_ALIASES: dict[str, set[str]] = {
    NAME: {
        "denumire",
        "denumirea",
        "denumire organizatie",
        "denumirea organizatiei",
        "denumire ong",
        "denumire entitate",
        "nume",
        "nume organizatie",
        "name",
    },
    REGISTRY_NUMBER: {
        "numar inreg reg national",
        "nr inreg reg national",
        "nr inreg registrul national",
        "numar inregistrare registrul national",
        "numar inregistrare rnong",
        "nr inregistrare rnong",
        "nr inreg rnong",
        "numar rnong",
        "nr rnong",
        "rnong",
        "numar registrul national",
        "nr registrul national",
        "numar registru national",
        "nr registru national",
        "numar de inregistrare in registrul national",
        "numar inscriere registrul national",
        "registry number",
    },
    FISCAL_CODE: {
        "cod fiscal",
        "codul fiscal",
        "cif",
        "cui",
        "cif cui",
        "cui cif",
        "cod fiscal cif",
        "cod de inregistrare fiscala",
        "cod inregistrare fiscala",
        "cod unic de inregistrare",
        "cod unic inregistrare",
        "fiscal code",
    },
    REGISTRATION_DATE: {
        "data inregistrarii",
        "data inregistrare",
        "data inreg",
        "data inscrierii",
        "data inscriere",
        "data infiintarii",
        "data inregistrarii in registrul national",
        "data inregistrare rnong",
        "registration date",
    },
    COUNTY: {"judet", "judetul", "judet sediu", "judetul sediului", "county"},
    LOCALITY: {
        "localitate",
        "localitatea",
        "localitate sediu",
        "localitatea sediului",
        "oras",
        "locality",
    },
    ADDRESS: {"adresa", "adresa sediu", "adresa sediului", "sediu", "sediul", "address"},
    LEGAL_FORM: {
        "tip",
        "tipul",
        "tip entitate",
        "tip organizatie",
        "tip persoana juridica",
        "forma juridica",
        "forma de organizare",
        "forma organizare",
        "categorie",
        "categoria",
        "legal form",
    },
    STATE: {"stare", "starea", "starea actuala", "stare actuala", "status", "situatie"},
    PURPOSE: {"scopul initial", "scop initial", "scopul", "scop", "scopul organizatiei"},
}
_ALIAS_TO_KEY = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
_PURPOSE_AMENDMENT = re.compile(r"^modificari ale scopului( \d+)?$")

COLUMN_LABELS = {
    NAME: gettext_lazy("name"),
    REGISTRY_NUMBER: gettext_lazy("registry number"),
    FISCAL_CODE: gettext_lazy("fiscal code"),
    REGISTRATION_DATE: gettext_lazy("registration date"),
    COUNTY: gettext_lazy("county"),
    LOCALITY: gettext_lazy("locality"),
    ADDRESS: gettext_lazy("address"),
    LEGAL_FORM: gettext_lazy("legal form"),
    STATE: gettext_lazy("state"),
    PURPOSE: gettext_lazy("purpose"),
}

LegalForm = Organisation.LegalForm
# Folded prefixes of the legal form, in Romanian and English ("Asociația", "ASOCIATII", ...).
LEGAL_FORM_PREFIXES = (
    ("asocia", LegalForm.ASSOCIATION),
    ("association", LegalForm.ASSOCIATION),
    ("funda", LegalForm.FOUNDATION),
    ("foundation", LegalForm.FOUNDATION),
    ("federa", LegalForm.FEDERATION),
    ("uniun", LegalForm.UNION),
    ("union", LegalForm.UNION),
)
# The part of the national register a number belongs to: "1039/A/2023" is an association.
REGISTRY_PART_FORMS = {
    "A": LegalForm.ASSOCIATION,
    "B": LegalForm.FOUNDATION,
    "C": LegalForm.FEDERATION,
    "D": LegalForm.UNION,
}
_REGISTRY_PART = re.compile(r"/\s*([A-D])\s*/", re.IGNORECASE)

# "Starea actuala" is empty for a living organisation; these words mean it is gone.
INACTIVE_STATE_WORDS = ("radiat", "dizolv", "lichid", "desfiint", "inactiv", "dissolved")

DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d")
EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST_DATE = date(1850, 1, 1)

# Fields that the register can give; the rest of a profile is the NGO's own.
IMPORT_FIELDS = (
    "name",
    "legal_form",
    "registry_number",
    "fiscal_code",
    "registration_date",
    "county_id",
    "locality",
    "address",
    "description",
)
FIELD_COLUMN = {
    "name": NAME,
    "legal_form": LEGAL_FORM,
    "registry_number": REGISTRY_NUMBER,
    "fiscal_code": FISCAL_CODE,
    "registration_date": REGISTRATION_DATE,
    "county_id": COUNTY,
    "county": COUNTY,
    "locality": LOCALITY,
    "address": ADDRESS,
    "description": PURPOSE,
}


# The search vector's expression, taken from registry.search's UPDATE so that an organisation
# created by the import is indexed exactly as one saved by a service.
ORGANISATION_VECTOR_EXPRESSION = re.split(
    r"\bSET\s+search_vector\s*=", ORGANISATION_VECTOR_SQL, maxsplit=1
)[1].strip()
STAGE_TABLE = "conect_registry_import_stage"


def _organisation_columns() -> list[str]:
    return [
        f.attname
        for f in Organisation._meta.concrete_fields
        if not f.primary_key and f.attname != "search_vector"
    ]


def organisation_defaults() -> dict:
    """Every column of a new organisation (but its id and search vector), at its default."""
    columns = set(_organisation_columns())
    return {
        f.attname: f.get_default()
        for f in Organisation._meta.concrete_fields
        if f.attname in columns
    }


def copy_rows(table: str, columns: list[str], rows) -> None:
    """PostgreSQL: write rows (sequences of values in `columns` order) with COPY."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def copy_organisations(rows: list[dict], *, history: tuple | None = None) -> None:
    """PostgreSQL: insert new organisations (dicts of every column, see
    `organisation_defaults`) with their search vector and, given (date, reason, user id),
    their history row, in one statement after a COPY into a temporary table.

    Building thousands of INSERT parameters in Python costs more than the database's own
    work; COPY sends plain rows. The vector is computed by registry.search's expression,
    so the two cannot drift apart."""
    columns = _organisation_columns()
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    table = quote(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE_TABLE} ON COMMIT DROP AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"DELETE FROM {STAGE_TABLE}")
    copy_rows(STAGE_TABLE, columns, ([row[c] for c in columns] for row in rows))
    insert = (
        f"INSERT INTO {table} ({names}, search_vector)"
        f" SELECT {names}, {ORGANISATION_VECTOR_EXPRESSION} FROM {STAGE_TABLE}"
    )
    params: list = []
    if history is not None:
        history_model = Organisation.history.model
        tracked = [
            quote(f.attname)
            for f in history_model._meta.concrete_fields
            if f.attname in columns or f.attname == "id"
        ]
        insert = (
            f"WITH created AS ({insert} RETURNING *)"
            f" INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(tracked)},"
            f" history_date, history_change_reason, history_type, history_user_id)"
            f" SELECT {', '.join('created.' + c for c in tracked)}, %s, %s, '+', %s"
            f" FROM created"
        )
        params = list(history)
    with connection.cursor() as cursor:
        cursor.execute(insert, params)


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
            self.stream.write("\ufeff")
            self._writer = csv.writer(self.stream, delimiter=";", lineterminator="\r\n")
            self._writer.writerow([_("Row"), _("Column"), _("Value"), _("Reason")])
        self._writer.writerow([error.row, error.column, error.value[:200], error.reason])
        self.count += 1


# --- Reading the file -------------------------------------------------------


def normalise_header(text: str) -> str:
    folded = fold((text or "").replace("\ufeff", ""))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def column_key(header: str) -> str | None:
    """The internal key of a header, or None for a column the import does not use."""
    normal = normalise_header(header)
    if not normal:
        return None
    if normal in _ALIAS_TO_KEY:
        return _ALIAS_TO_KEY[normal]
    if _PURPOSE_AMENDMENT.match(normal):
        return PURPOSE
    words = set(normal.split())
    if normal.startswith("data "):
        if words & {"inregistrarii", "inregistrare", "inreg", "inscrierii", "infiintarii"}:
            return REGISTRATION_DATE
        return None
    if "rnong" in words or (words & {"registrul", "registru", "reg"} and "national" in words):
        return REGISTRY_NUMBER
    if words & {"cif", "cui"} or ("cod" in words and "fiscal" in words):
        return FISCAL_CODE
    return None


def map_header(cells: list[str]) -> dict[int, str]:
    """Position → internal key for each column the import uses."""
    mapping = {}
    for index, cell in enumerate(cells):
        key = column_key(cell)
        if key is None:
            continue
        if key != PURPOSE and key in mapping.values():
            continue  # the first of two columns with the same meaning wins
        mapping[index] = key
    return mapping


def _is_header(mapping: dict[int, str]) -> bool:
    keys = set(mapping.values())
    return NAME in keys and bool(keys & {REGISTRY_NUMBER, FISCAL_CODE})


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1250.

    Windows-1250 and ISO-8859-2 place ă â î ş ţ (and ISO-8859-16's ș ț) on the same bytes,
    so one covers the files exported by Romanian spreadsheets of both families."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return "cp1250"
    return "utf-8"


def _count_lines(binary) -> int:
    binary.seek(0)
    lines, last = 0, b""
    while chunk := binary.read(1024 * 1024):
        lines += chunk.count(b"\n")
        last = chunk
    if last and not last.endswith(b"\n"):
        lines += 1
    binary.seek(0)
    return lines


def _open_text(binary, encoding: str):
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")


def _find_layout(text_sample: str) -> tuple[str, int, list[str]]:
    """The delimiter and the header row (0-based record index) that best explain the file."""
    best = None
    for delimiter in (";", ",", "\t", "|"):
        reader = csv.reader(io.StringIO(text_sample), delimiter=delimiter)
        try:
            for index, cells in enumerate(reader):
                if index >= HEADER_SEARCH_ROWS:
                    break
                mapping = map_header(cells)
                if _is_header(mapping):
                    score = len(mapping)
                    if best is None or score > best[0]:
                        best = (score, delimiter, index, cells)
                    break
        except csv.Error:
            continue
    if best is None:
        raise RegistryFileError(
            gettext_lazy(
                "No header row was found: the file needs at least the columns of the name "
                "(Denumire) and of the registry number (Numar inreg Reg National) or the "
                "fiscal code (Cod fiscal). See the list of accepted columns."
            )
        )
    return best[1], best[2], best[3]


def inspect_file(binary, *, encoding: str | None = None) -> tuple[str, str, int, list[str]]:
    """Encoding, delimiter, header position and header cells of a registry file.

    Raises RegistryFileError with a message for the user when it is not a usable CSV."""
    binary.seek(0)
    sample = binary.read(SNIFF_BYTES)
    binary.seek(0)
    if not sample.strip():
        raise RegistryFileError(gettext_lazy("The file is empty."))
    if sample.startswith(b"PK\x03\x04") or sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise RegistryFileError(
            gettext_lazy(
                "This is a spreadsheet (Excel) file, not a CSV file: open it and save it "
                "as CSV (UTF-8), then upload it again."
            )
        )
    encoding = encoding or detect_encoding(sample)
    if b"\x00" in sample and not encoding.startswith("utf-16"):
        raise RegistryFileError(
            gettext_lazy("This is not a text (CSV) file: it contains binary data.")
        )
    try:
        text = sample.decode(encoding, errors="replace")
    except LookupError as exc:
        raise RegistryFileError(
            gettext_lazy("Unknown encoding: %(encoding)s.") % {"encoding": encoding}
        ) from exc
    if len(sample) == SNIFF_BYTES:
        text = text.rsplit("\n", 1)[0]  # do not judge the header on a line cut in two
    delimiter, header_index, header = _find_layout(text.lstrip("\ufeff"))
    return encoding, delimiter, header_index, header


# --- Reading the values -----------------------------------------------------


def clean_text(value: str) -> str:
    """One line, single spaces, comma-below ș ț (the register still has cedilla ş ţ)."""
    value = (value or "").replace("_x000D_", " ")
    return fix_diacritics(" ".join(value.split()))


def clean_multiline(value: str) -> str:
    value = (value or "").replace("_x000D_", "\n").replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in value.split("\n")]
    return fix_diacritics("\n".join(line for line in lines if line))


def parse_registry_number(value: str) -> str:
    value = clean_text(value).upper()
    return re.sub(r"\s*/\s*", "/", value)


def parse_fiscal_code(value: str) -> str:
    value = clean_text(value)
    if re.fullmatch(r"\d+\.0+", value):  # a number that went through a spreadsheet
        value = value.split(".", 1)[0]
    code = normalize_fiscal_code(value)
    validate_fiscal_code(code)
    return code


_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def parse_date(value: str, *, today: date | None = None) -> date:
    text = clean_text(value)
    text = re.split(r"[ T]", text, maxsplit=1)[0]
    parsed = None
    if match := _DAY_FIRST.fullmatch(text):  # the common case, without strptime's cost
        day, month, year = (int(part) for part in match.groups())
        try:
            parsed = date(year, month, day)
        except ValueError:
            parsed = None
    elif re.fullmatch(r"\d{4,5}(\.0+)?", text):
        serial = int(float(text))
        if 1 <= serial <= 80000:
            parsed = EXCEL_EPOCH + timedelta(days=serial)
    else:
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValidationError(
            _("This is not a date: write it as DD.MM.YYYY (for example 25.03.2004).")
        )
    if parsed > (today or timezone.localdate()) or parsed < EARLIEST_DATE:
        raise ValidationError(_("This date is not possible for a registration."))
    return parsed


def parse_legal_form(value: str) -> str:
    folded = fold(value)
    for prefix, form in LEGAL_FORM_PREFIXES:
        if folded.startswith(prefix):
            return form
    raise ValidationError(
        _("Unknown legal form: expected an association, a foundation, a federation or a union.")
    )


def legal_form_from_name(name: str) -> str | None:
    folded = fold(name[:24]).lstrip("\"'„ ")
    for prefix, form in LEGAL_FORM_PREFIXES:
        if folded.startswith(prefix):
            return form
    return None


def legal_form_from_registry_number(number: str) -> str | None:
    match = _REGISTRY_PART.search(number or "")
    return REGISTRY_PART_FORMS.get(match.group(1).upper()) if match else None


def is_inactive_state(value: str) -> bool:
    folded = fold(value)
    return any(word in folded for word in INACTIVE_STATE_WORDS)


class CountyIndex:
    """Finds a county from the ways the register writes it: "Cluj", "JUD. CLUJ", "CJ",
    "Bistrita-Nasaud", "Municipiul București", "Mun. Bucuresti", "Sector 3"..."""

    PREFIXES = re.compile(r"^(judetul|judet|jud|municipiul|municipiu|mun)\b\s*")
    SECTOR = re.compile(r"^(bucuresti\s*)?sector(ul)?\s*[1-6]$")

    def __init__(self, counties):
        self.by_key = {}
        self.bucharest = None
        self._found: dict[str, int | None] = {}
        for county in counties:
            self.by_key[self._key(county.name)] = county.pk
            self.by_key[county.vehicle_code.lower()] = county.pk
            self.by_key[county.code.lower()] = county.pk
            if county.vehicle_code == "B":
                self.bucharest = county.pk

    @classmethod
    def _key(cls, text: str) -> str:
        folded = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())
        folded = cls.PREFIXES.sub("", folded)
        return folded.replace(" ", "")

    def find(self, value: str) -> int | None:
        # A file repeats the same few hundred spellings: remember each answer.
        if value not in self._found:
            if len(self._found) > 10_000:
                self._found.clear()
            self._found[value] = self._find(value)
        return self._found[value]

    def _find(self, value: str) -> int | None:
        folded = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(value)).split())
        if self.bucharest and (
            self.SECTOR.match(folded) or folded.replace(" ", "").startswith("bucuresti")
        ):
            return self.bucharest
        key = self._key(value)
        if key.startswith("municipiulbucuresti") or key.startswith("bucuresti"):
            return self.bucharest
        return self.by_key.get(key)


# --- The import --------------------------------------------------------------


class RegistryImporter:
    """Reads a registry file and upserts its organisations; see the module docstring."""

    def __init__(
        self,
        *,
        dry_run: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
        actor=None,
        default_legal_form: str = "",
        encoding: str | None = None,
        error_report: ErrorReport | None = None,
        progress: Callable[[ImportStats], None] | None = None,
        change_reason: str = "",
    ):
        self.dry_run = dry_run
        self.batch_size = max(1, batch_size)
        self.actor = actor
        self.default_legal_form = default_legal_form or ""
        self.encoding = encoding
        self.report = error_report or ErrorReport(io.StringIO())
        self.progress = progress
        self.change_reason = change_reason or "Import of the National NGO Registry"
        self.stats = ImportStats()
        self.counties = CountyIndex(County.objects.only("pk", "name", "code", "vehicle_code"))
        # Keys seen in the file, to report duplicates: value → the row that had it first.
        self._seen_registry: dict[str, int] = {}
        self._seen_fiscal: dict[str, int] = {}
        self._seen_org: dict[int, int] = {}
        self._pending_errors: list[RowError] = []
        self._last_error_row = 0
        self._today = timezone.localdate()
        # The value of every column of a new organisation that the file does not give.
        self._defaults = organisation_defaults()

    # The whole run.

    def run(self, binary) -> ImportStats:
        encoding, delimiter, header_index, header = inspect_file(binary, encoding=self.encoding)
        self.stats.encoding, self.stats.delimiter = encoding, delimiter
        self.stats.total_rows = max(0, _count_lines(binary) - header_index - 1)
        mapping = map_header(header)
        if self.progress:
            self.progress(self.stats)
        text = _open_text(binary, encoding)
        try:
            batch: list[ParsedRow] = []
            for parsed in self._rows(text, delimiter, header_index, header, mapping):
                batch.append(parsed)
                if len(batch) >= self.batch_size:
                    self._process_batch(batch)
                    batch = []
            if batch:
                self._process_batch(batch)
            self._flush_errors()
        finally:
            text.detach()
        self.stats.total_rows = self.stats.processed_rows
        if self.progress:
            self.progress(self.stats)
        if not self.dry_run and (self.stats.created or self.stats.updated):
            bump_stats_version()
        return self.stats

    def _error(self, row: int, column: str, value: str, reason) -> None:
        # Held until the end of the batch, so that the report lists the rows in order.
        self._pending_errors.append(
            RowError(row=row, column=str(column), value=value or "", reason=str(reason))
        )
        if row != self._last_error_row:  # counts rows, not messages
            self.stats.errors += 1
            self._last_error_row = row
        if len(self._pending_errors) >= 10 * self.batch_size:
            self._flush_errors()  # a file of broken rows only: keep the memory bounded

    def _flush_errors(self) -> None:
        for error in sorted(self._pending_errors, key=lambda e: e.row):
            self.report.add(error)
        self._pending_errors = []

    # Rows: parsing and validation that need no database.

    def _rows(self, text, delimiter, header_index, header, mapping) -> Iterator[ParsedRow]:
        reader = csv.reader(text, delimiter=delimiter)
        width = len(header)
        for index, cells in enumerate(reader):
            if index <= header_index:
                continue
            row_number = index + 1  # as a spreadsheet numbers it: the header is row 1
            if not any(cell.strip() for cell in cells):
                continue
            self.stats.processed_rows += 1
            if len(cells) < width or any(cell.strip() for cell in cells[width:]):
                self._error(
                    row_number,
                    "",
                    delimiter.join(cells),
                    _(
                        "This row has %(found)d columns but the header has %(expected)d: "
                        "a delimiter or a quote is probably missing."
                    )
                    % {"found": len(cells), "expected": width},
                )
                continue
            if any("\ufffd" in cell for cell in cells):
                self._error(
                    row_number,
                    "",
                    "",
                    _(
                        "This row has characters that cannot be read in the file's encoding "
                        "(%(encoding)s): save the file as CSV UTF-8."
                    )
                    % {"encoding": self.stats.encoding},
                )
                continue
            parsed = self._parse_row(row_number, cells, header, mapping)
            if parsed is not None:
                yield parsed

    def _parse_row(self, row_number, cells, header, mapping) -> ParsedRow | None:
        raw: dict[str, str] = {}
        columns: dict[str, str] = {}
        purposes = []
        for index, key in mapping.items():
            cell = cells[index]
            if key == PURPOSE:
                if cell.strip():
                    purposes.append(clean_multiline(cell))
                columns.setdefault(PURPOSE, header[index])
                continue
            raw[key] = cell.strip()
            columns[key] = header[index]

        def column(key):
            return columns.get(key) or str(COLUMN_LABELS[key])

        errors: list[tuple[str, str, str]] = []
        values: dict = {}

        if raw.get(STATE) and is_inactive_state(raw[STATE]):
            self.stats.skipped += 1
            return None

        name = clean_text(raw.get(NAME, ""))
        if not name:
            errors.append((NAME, "", _("The name is missing.")))
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(
                (
                    NAME,
                    name,
                    _("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH},
                )
            )
        else:
            values["name"] = name

        registry_number = parse_registry_number(raw.get(REGISTRY_NUMBER, ""))
        if len(registry_number) > Organisation._meta.get_field("registry_number").max_length:
            errors.append((REGISTRY_NUMBER, registry_number, _("The registry number is too long.")))
        elif registry_number:
            values["registry_number"] = registry_number

        if raw.get(FISCAL_CODE):
            try:
                values["fiscal_code"] = parse_fiscal_code(raw[FISCAL_CODE])
            except ValidationError as exc:
                errors.append((FISCAL_CODE, raw[FISCAL_CODE], " ".join(exc.messages)))

        if not registry_number and not raw.get(FISCAL_CODE):
            errors.append(
                (
                    REGISTRY_NUMBER,
                    "",
                    _("The row has neither a registry number nor a fiscal code."),
                )
            )

        if raw.get(REGISTRATION_DATE):
            try:
                values["registration_date"] = parse_date(raw[REGISTRATION_DATE], today=self._today)
            except ValidationError as exc:
                errors.append((REGISTRATION_DATE, raw[REGISTRATION_DATE], " ".join(exc.messages)))

        if raw.get(COUNTY):
            county_id = self.counties.find(raw[COUNTY])
            if county_id is None:
                errors.append(
                    (
                        COUNTY,
                        raw[COUNTY],
                        _("Unknown county: write one of Romania's 41 counties or București."),
                    )
                )
            else:
                values["county_id"] = county_id

        for key, field_name in ((LOCALITY, "locality"), (ADDRESS, "address")):
            text = clean_text(raw.get(key, ""))
            limit = Organisation._meta.get_field(field_name).max_length
            if len(text) > limit:
                errors.append(
                    (key, text, _("The text is longer than %(max)d characters.") % {"max": limit})
                )
            elif text:
                values[field_name] = text

        if purposes:
            # Descriptions are stored as sanitised HTML (what the profile form stores): the
            # register's plain text is escaped, its paragraphs and line breaks kept.
            values["description"] = linebreaks("\n\n".join(purposes), autoescape=True)

        legal_form = None
        if raw.get(LEGAL_FORM):
            try:
                legal_form = parse_legal_form(raw[LEGAL_FORM])
            except ValidationError as exc:
                errors.append((LEGAL_FORM, raw[LEGAL_FORM], " ".join(exc.messages)))
        if legal_form is None and not raw.get(LEGAL_FORM):
            legal_form = (
                legal_form_from_name(name)
                or legal_form_from_registry_number(registry_number)
                or self.default_legal_form
                or None
            )
        if legal_form:
            values["legal_form"] = legal_form

        # Duplicates inside the file: the first row wins, the next ones are reported.
        if not errors:
            for key, value, seen in (
                (REGISTRY_NUMBER, values.get("registry_number"), self._seen_registry),
                (FISCAL_CODE, values.get("fiscal_code"), self._seen_fiscal),
            ):
                if value and value in seen:
                    errors.append(
                        (
                            key,
                            value,
                            _("The same value is already on row %(row)d of the file.")
                            % {"row": seen[value]},
                        )
                    )

        if errors:
            for key, value, reason in errors:
                self._error(row_number, column(key), value, reason)
            return None
        if values.get("registry_number"):
            self._seen_registry[values["registry_number"]] = row_number
        if values.get("fiscal_code"):
            self._seen_fiscal[values["fiscal_code"]] = row_number
        return ParsedRow(row=row_number, values=values, columns=columns, raw=raw)

    # Batches: one lookup, then bulk writes.

    def _process_batch(self, batch: list[ParsedRow]) -> None:
        numbers = [r.values["registry_number"] for r in batch if "registry_number" in r.values]
        codes = [r.values["fiscal_code"] for r in batch if "fiscal_code" in r.values]
        if self.dry_run:
            self._plan_batch(batch, self._existing(numbers, codes, lock=False))
        else:
            with transaction.atomic():
                existing = self._existing(numbers, codes, lock=True)
                to_create, to_update = self._plan_batch(batch, existing)
                try:
                    with transaction.atomic():
                        self._write(to_create, to_update)
                except IntegrityError:
                    # Someone saved a conflicting organisation meanwhile: find the rows one
                    # by one, so that only they fail.
                    self._write_one_by_one(to_create, to_update)
        self._flush_errors()
        if self.progress:
            self.progress(self.stats)
        reset_queries()  # with DEBUG on, the logged SQL of 100 batches would fill the memory

    def _existing(self, numbers, codes, *, lock) -> list[Organisation]:
        if not numbers and not codes:
            return []
        # The explicit "not empty" lets PostgreSQL use the partial unique index on the
        # registry number: it cannot prove it from a list of more than 100 values.
        queryset = Organisation.objects.filter(
            (Q(registry_number__in=numbers) & ~Q(registry_number="")) | Q(fiscal_code__in=codes)
        ).order_by()
        if lock:
            queryset = queryset.select_for_update()
        return list(queryset)

    def _plan_batch(self, batch, existing):
        by_number = {o.registry_number: o for o in existing if o.registry_number}
        by_code = {o.fiscal_code: o for o in existing}
        to_create: list[tuple[ParsedRow, dict]] = []
        to_update: list[tuple[ParsedRow, Organisation, list[str]]] = []
        now = timezone.now()
        for parsed in batch:
            values = parsed.values
            number, code = values.get("registry_number"), values.get("fiscal_code")
            by_n = by_number.get(number) if number else None
            by_c = by_code.get(code) if code else None
            if by_n and by_c and by_n.pk != by_c.pk:
                self._row_error(
                    parsed,
                    FISCAL_CODE,
                    code,
                    _(
                        "The registry number belongs to “%(first)s” but the fiscal code "
                        "to “%(second)s”: check which one is right."
                    )
                    % {"first": by_n.name, "second": by_c.name},
                )
                continue
            org = by_n or by_c
            if org is None:
                created = self._new_organisation(parsed, now)
                if created is not None:
                    to_create.append((parsed, created))
                continue
            if org.pk in self._seen_org:
                self._row_error(
                    parsed,
                    REGISTRY_NUMBER if by_n else FISCAL_CODE,
                    number if by_n else code,
                    _("Row %(row)d of the file already updated this organisation.")
                    % {"row": self._seen_org[org.pk]},
                )
                continue
            self._seen_org[org.pk] = parsed.row
            changed = self._apply(org, values, by_number, by_code)
            if not changed:
                self.stats.unchanged += 1
                continue
            if not self._valid(parsed, org, changed):
                continue
            org.updated_at = now
            to_update.append((parsed, org, changed))
            self.stats.updated += 1
        return to_create, to_update

    def _row_error(self, parsed: ParsedRow, key: str, value, reason) -> None:
        column = parsed.columns.get(key) or str(COLUMN_LABELS[key])
        self._error(parsed.row, column, str(value or ""), reason)

    def _new_organisation(self, parsed: ParsedRow, now) -> dict | None:
        values = parsed.values
        # A row with a registry number but no fiscal code (as in the Ministry's recent
        # files) still creates the organisation; its fiscal code stays empty until known.
        if "legal_form" not in values:
            self._row_error(
                parsed,
                LEGAL_FORM,
                "",
                _(
                    "The legal form cannot be told from the row: add a column Tip "
                    "(Asociație, Fundație, Federație, Uniune) or choose the legal form of "
                    "the file."
                ),
            )
            return None
        # The parsers above checked every value, so no model validation is needed here.
        row = {
            **self._defaults,
            **values,
            "status": Organisation.Status.IMPORTED,
            "status_changed_at": now,
            "search_name": fold(values["name"]),
            "created_at": now,
            "updated_at": now,
        }
        self.stats.created += 1
        return row

    def _apply(self, org: Organisation, values: dict, by_number, by_code) -> list[str]:
        """Set on `org` what the import may change; returns the changed field names."""
        owned_by_import = org.status == Organisation.Status.IMPORTED
        changed = []
        for name in IMPORT_FIELDS:
            if name not in values:
                continue
            new, current = values[name], getattr(org, name)
            if new == current:
                continue
            if not owned_by_import and current not in (None, ""):
                continue
            # A new key must not belong to another organisation.
            if name == "registry_number" and by_number.get(new, org).pk != org.pk:
                continue
            if name == "fiscal_code" and by_code.get(new, org).pk != org.pk:
                continue
            setattr(org, name, new)
            changed.append(name)
        if "name" in changed:
            org.search_name = fold(org.name)
            changed.append("search_name")
        return changed

    def _valid(self, parsed: ParsedRow, org: Organisation, fields: list[str]) -> bool:
        # Field validators only: uniqueness is settled by the batch lookup, and the county
        # comes from the county index.
        check = {f for f in fields if f in IMPORT_FIELDS and f != "county_id"}
        exclude = [f.name for f in Organisation._meta.fields if f.attname not in check]
        try:
            org.clean_fields(exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = FIELD_COLUMN.get(name, NAME)
                self._row_error(parsed, key, getattr(org, name, ""), " ".join(messages))
            return False
        return True

    def _write(self, to_create, to_update) -> None:
        history = Organisation.history
        ids = []
        if to_create:
            rows = [row for _parsed, row in to_create]
            if connection.vendor == "postgresql":
                self._copy_create(rows)
            else:
                objs = [Organisation(**row) for row in rows]
                Organisation.objects.bulk_create(objs)
                history.bulk_history_create(
                    objs, default_user=self.actor, default_change_reason=self.change_reason
                )
                ids += [o.pk for o in objs]
        if to_update:
            objs = [org for _parsed, org, _fields in to_update]
            fields = sorted({f for _p, _o, changed in to_update for f in changed} | {"updated_at"})
            Organisation.objects.bulk_update(objs, fields)
            history.bulk_history_create(
                objs,
                update=True,
                default_user=self.actor,
                default_change_reason=self.change_reason,
            )
            ids += [o.pk for o in objs]
        update_organisation_vectors(ids)

    def _copy_create(self, rows: list[dict]) -> None:
        copy_organisations(
            rows,
            history=(timezone.now(), self.change_reason, getattr(self.actor, "pk", None)),
        )

    def _write_one_by_one(self, to_create, to_update) -> None:
        for parsed, row in to_create:
            try:
                with transaction.atomic():
                    org = Organisation(**row)
                    org.save()
                    Organisation.history.bulk_history_create(
                        [org], default_user=self.actor, default_change_reason=self.change_reason
                    )
                    update_organisation_vectors([org.pk])
            except IntegrityError:
                self.stats.created -= 1
                self._row_error(parsed, FISCAL_CODE, row["fiscal_code"], self._conflict_message())
        for parsed, org, changed in to_update:
            try:
                with transaction.atomic():
                    self._write([], [(parsed, org, changed)])
            except IntegrityError:
                self.stats.updated -= 1
                self._row_error(parsed, FISCAL_CODE, org.fiscal_code, self._conflict_message())

    @staticmethod
    def _conflict_message() -> str:
        return _(
            "Another organisation with this fiscal code or registry number was saved while "
            "the import ran; run the import again."
        )


# --- Jobs: the upload in the interface ---------------------------------------


def _raw_binary(file_object):
    # Django's File wraps the real file object; the text reader wants the real one.
    while hasattr(file_object, "file") and file_object.file is not None:
        file_object = file_object.file
    return file_object


def max_upload_size() -> int:
    return getattr(settings, "REGISTRY_IMPORT_MAX_UPLOAD_SIZE", MAX_UPLOAD_SIZE)


def validate_registry_upload(uploaded_file) -> tuple[str, str]:
    """Check an uploaded file by its content: size, text, a header the import understands.

    Returns (encoding, delimiter); raises ValidationError with a message for the user."""
    max_size = max_upload_size()
    if uploaded_file.size > max_size:
        raise ValidationError(
            _("The file is too large: at most %(max)d MB.") % {"max": max_size // (1024 * 1024)},
            code="too_large",
        )
    try:
        uploaded_file.seek(0)
        encoding, delimiter, _index, _header = inspect_file(uploaded_file)
    except RegistryFileError as exc:
        raise ValidationError(str(exc.message), code="not_registry_csv") from exc
    finally:
        uploaded_file.seek(0)
    return encoding, delimiter


@transaction.atomic
def import_job_create(
    *, uploaded_file, actor, dry_run: bool = False, default_legal_form: str = ""
) -> ImportJob:
    """Record an uploaded registry file and queue its import (after the commit).

    The file is checked first; a file that cannot be imported raises ValidationError and
    nothing is saved."""
    encoding, delimiter = validate_registry_upload(uploaded_file)
    job = ImportJob(
        original_name=(uploaded_file.name or "registry.csv")[-255:],
        size=uploaded_file.size,
        dry_run=dry_run,
        default_legal_form=default_legal_form or "",
        created_by=actor,
        encoding=encoding,
        delimiter=delimiter,
    )
    job.source_file.save(f"{uuid.uuid4().hex}.csv", uploaded_file, save=False)
    job.full_clean()
    job.save()

    from .tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import job: progress, counts and error report saved on the job.

    Safe to deliver twice: a finished job is left alone, and a job that a lost worker left
    running is run again (the import itself is idempotent)."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now(), processed_rows=0)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    language = getattr(job.created_by, "preferred_language", None) or "ro"

    def progress(stats: ImportStats) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            total_rows=max(stats.total_rows, stats.processed_rows),
            processed_rows=stats.processed_rows,
            created_count=stats.created,
            updated_count=stats.updated,
            unchanged_count=stats.unchanged,
            skipped_count=stats.skipped,
            error_count=stats.errors or 0,
        )

    with translation.override(language), tempfile.TemporaryFile("w+b") as report_file:
        report_text = io.TextIOWrapper(report_file, encoding="utf-8", newline="")
        report = ErrorReport(report_text)
        importer = RegistryImporter(
            dry_run=job.dry_run,
            actor=job.created_by,
            default_legal_form=job.default_legal_form,
            error_report=report,
            progress=progress,
            change_reason=f"Import of the National NGO Registry (job {job.pk})",
        )
        try:
            with job.source_file.open("rb") as source:
                stats = importer.run(_raw_binary(source))
        except RegistryFileError as exc:
            job.status = ImportJob.Status.FAILED
            job.failure_reason = str(exc.message)
        except Exception:
            logger.exception("Registry import job %s failed", job.pk)
            job.status = ImportJob.Status.FAILED
            job.failure_reason = _(
                "The import stopped because of an error on our side. The rows already "
                "processed are saved; run the import again to finish it (it changes nothing "
                "twice). If it happens again, tell the technical team."
            )
        else:
            job.status = ImportJob.Status.SUCCEEDED
            job.total_rows = stats.total_rows
            job.processed_rows = stats.processed_rows
            job.created_count, job.updated_count = stats.created, stats.updated
            job.unchanged_count, job.skipped_count = stats.unchanged, stats.skipped
            job.error_count = stats.errors
            job.encoding, job.delimiter = stats.encoding, stats.delimiter
        report_text.flush()
        if report.count:
            report_file.seek(0)
            job.error_report.save(f"errors-{job.pk}.csv", File(report_file), save=False)
        report_text.detach()
    job.finished_at = timezone.now()
    job.save()
    return job


def import_job_list():
    """Every import job, newest first, with who uploaded it (for coordinators)."""
    return ImportJob.objects.select_related("created_by").order_by("-created_at")


_import_jobs = BakedQuery(
    lambda: ImportJob.objects.annotate(created_by_name=F("created_by__name")).order_by(
        "-created_at", "-pk"
    )
)


def import_job_rows() -> BakedRows:
    """Every import job, newest first, each with `created_by_name` (who uploaded it), as a
    paginator takes them: the page of the imports runs SQL written once."""
    return BakedRows(_import_jobs, ())
