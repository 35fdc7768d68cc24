"""The import itself: rows parsed and validated, matched in batches against the
organisations already known, and written in bulk."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, reset_queries, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from conect.core.text import fold

from ..models import County, Organisation
from ..search import update_organisation_vectors
from ..stats import bump_stats_version
from .columns import (
    ADDRESS,
    COLUMN_LABELS,
    COUNTY,
    DEFAULT_BATCH_SIZE,
    FIELD_COLUMN,
    FISCAL_CODE,
    IMPORT_FIELDS,
    LEGAL_FORM,
    LOCALITY,
    NAME,
    NAME_MAX_LENGTH,
    PURPOSE,
    REGISTRATION_DATE,
    REGISTRY_NUMBER,
    STATE,
)
from .reading import count_lines, inspect_file, map_header, open_text
from .report import ErrorReport, ImportStats, ParsedRow, RowError
from .values import (
    CountyIndex,
    clean_multiline,
    clean_text,
    is_inactive_state,
    legal_form_from_name,
    legal_form_from_registry_number,
    parse_date,
    parse_fiscal_code,
    parse_legal_form,
    parse_registry_number,
)
from .writing import copy_organisations, organisation_defaults


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
        self.stats.total_rows = max(0, count_lines(binary) - header_index - 1)
        mapping = map_header(header)
        if self.progress:
            self.progress(self.stats)
        text = open_text(binary, encoding)
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
