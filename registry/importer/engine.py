"""The import itself: rows parsed and validated, matched in batches against the
organisations already known, and written in bulk."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, reset_queries, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from conect.core.text import fold

from ..models import County, Organisation, SetAsideRow
from ..search import update_organisation_vectors
from ..stats import bump_stats_version
from .columns import (
    ADDRESS,
    COLUMN_LABELS,
    COUNTRY,
    COUNTY,
    DEFAULT_BATCH_SIZE,
    FIELD_COLUMN,
    FISCAL_CODE,
    IMPORT_FIELDS,
    LEGAL_FORM,
    LOCALITY,
    MINISTRY_FIELDS,
    NAME,
    NAME_MAX_LENGTH,
    PUBLIC_UTILITY,
    PUBLIC_UTILITY_DATE,
    PURPOSE,
    REGISTRATION_DATE,
    REGISTRY_NUMBER,
    STATE,
)
from .reading import map_header, open_rows
from .report import ErrorReport, ImportStats, NullSummary, ParsedRow, RowError, SummaryLine
from .values import (
    CountyIndex,
    category_from_name,
    clean_multiline,
    clean_text,
    is_court_ruling,
    is_romania,
    legal_form_from_name,
    legal_form_from_registry_number,
    parse_date,
    parse_fiscal_code,
    parse_legal_form,
    parse_registry_number,
    parse_registry_state,
    registration_year,
    registry_name_key,
    set_aside_key,
    split_locality,
)
from .writing import copy_organisations, organisation_defaults

# The columns the batch lookup reads (the rest is read only for the rows that change).
COMPARED_FIELDS = (
    "id",
    "status",
    "search_name",
    *(name.removesuffix("_id") for name in IMPORT_FIELDS),
)


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
        file_name: str = "",
        summary=None,
        job_id: int | None = None,
    ):
        self.dry_run = dry_run
        self.batch_size = max(1, batch_size)
        self.actor = actor
        self.default_legal_form = default_legal_form or ""
        # Issue 18: the Ministry publishes one file per category; its name tells which.
        self.file_name = file_name or ""
        self.category = self.default_legal_form or category_from_name(self.file_name) or ""
        self.encoding = encoding
        self.report = error_report or ErrorReport(io.StringIO())
        self.summary = summary or NullSummary()
        self.progress = progress
        self.change_reason = change_reason or "Import of the National NGO Registry"
        self.stats = ImportStats()
        self.counties = CountyIndex(County.objects.only("pk", "name", "code", "vehicle_code"))
        # Keys seen in the file, to report duplicates: value → the row that had it first.
        self._seen_registry: dict[str, int] = {}
        self._seen_pairs: dict[tuple[str, int], int] = {}
        self._seen_fiscal: dict[str, int] = {}
        self._seen_org: dict[int, int] = {}
        self._known_ids: set[int] = set()
        self._pending_errors: list[RowError] = []
        self._last_error_row = 0
        self._today = timezone.localdate()
        # The value of every column of a new organisation that the file does not give.
        self._defaults = organisation_defaults()
        self._authoritative_form = False
        # Rows set aside for review, saved in bulk (once per number and text).
        self.job_id = job_id
        self._set_aside: list[SetAsideRow] = []
        self._reviewed: dict[tuple[str, str], int] = {}

    # The whole run.

    def run(self, binary) -> ImportStats:
        source = open_rows(binary, encoding=self.encoding)
        self.stats.encoding, self.stats.delimiter = source.encoding, source.delimiter
        self.stats.file_format = source.file_format
        self.stats.total_rows = source.total_rows
        # The Ministry's XLSX is one category per file: its legal form is every row's.
        # A foreign legal person's name says "Asociația" too: that category always wins.
        self._authoritative_form = bool(self.category) and (
            source.file_format == "xlsx" or self.category == Organisation.LegalForm.FOREIGN
        )
        if self._authoritative_form:
            # What the previous files of this category held, to list what this one lost.
            self._known_ids = set(
                Organisation.objects.filter(legal_form=self.category)
                .exclude(registry_number="")
                .values_list("pk", flat=True)
            )
        header = source.header
        mapping = map_header(header)
        # The set-aside rows a coordinator imported under a name: their organisation is
        # in this file (a few hundred rows at most).
        self._reviewed = {
            (number, key): pk
            for number, key, pk in SetAsideRow.objects.filter(
                status=SetAsideRow.Status.IMPORTED, organisation__isnull=False
            ).values_list("registry_number", "text_key", "organisation_id")
        }
        if self.progress:
            self.progress(self.stats)
        try:
            batch: list[ParsedRow] = []
            for parsed in self._rows(source, header, mapping):
                batch.append(parsed)
                if len(batch) >= self.batch_size:
                    self._process_batch(batch)
                    batch = []
            if batch:
                self._process_batch(batch)
            self._flush_errors()
            self._flush_set_aside()
        finally:
            source.close()
        self._report_missing()
        self.stats.total_rows = self.stats.processed_rows
        if self.progress:
            self.progress(self.stats)
        if not self.dry_run and (self.stats.created or self.stats.updated):
            bump_stats_version()
        return self.stats

    def _report_missing(self) -> None:
        """Organisations of the file's category that an earlier file had and this one
        has not: listed, never deleted (the register drops a row, the record stays)."""
        missing = sorted(self._known_ids - set(self._seen_org))
        self.stats.missing = len(missing)
        for start in range(0, len(missing), 5000):
            chunk = missing[start : start + 5000]
            for pk, number, name in (
                Organisation.objects.filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", "registry_number", "name")
            ):
                self.summary.add(
                    SummaryLine(
                        kind="missing", registry_number=number, name=name, organisation_id=pk
                    )
                )

    def _keep_set_aside(self, row: int, registry_number: str, text: str) -> None:
        key = set_aside_key(text)
        organisation_id = self._reviewed.get((registry_number, key))
        if organisation_id is not None:
            self._seen_org.setdefault(organisation_id, row)  # imported under a name: present
        if self.dry_run:
            return
        self._set_aside.append(
            SetAsideRow(
                job_id=self.job_id,
                row=row,
                registry_number=registry_number,
                text=text,
                text_key=key,
                legal_form=self.category or legal_form_from_registry_number(registry_number) or "",
            )
        )
        if len(self._set_aside) >= self.batch_size:
            self._flush_set_aside()

    def _flush_set_aside(self) -> None:
        """Save the rows set aside; one already kept (an earlier import, or earlier in this
        file) is left as it is, with its review."""
        if self._set_aside:
            SetAsideRow.objects.bulk_create(self._set_aside, ignore_conflicts=True)
            self._set_aside = []

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

    def _rows(self, source, header, mapping) -> Iterator[ParsedRow]:
        width = len(header)
        delimiter = source.delimiter or ";"
        for row_number, cells in source.rows():
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

        name = clean_text(raw.get(NAME, ""))
        registry_number = parse_registry_number(raw.get(REGISTRY_NUMBER, ""))
        if name and is_court_ruling(name):
            # A court ruling's text where the name should be: a person checks it.
            self.stats.skipped += 1
            self.summary.add(
                SummaryLine(
                    kind="set_aside",
                    row=row_number,
                    registry_number=registry_number,
                    name=name,
                    note=_("The name is the text of a court ruling: not imported."),
                )
            )
            self._keep_set_aside(row_number, registry_number, name)
            return None

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
            values["registry_name_key"] = registry_name_key(name)

        if len(registry_number) > Organisation._meta.get_field("registry_number").max_length:
            errors.append((REGISTRY_NUMBER, registry_number, _("The registry number is too long.")))
        elif registry_number:
            values["registry_number"] = registry_number
            year = registration_year(registry_number, today=self._today)
            if year:
                values["registration_year"] = year

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

        if STATE in raw:
            try:
                values["registry_state"] = parse_registry_state(raw[STATE])
            except ValidationError as exc:
                errors.append((STATE, raw[STATE], " ".join(exc.messages)))

        if raw.get(REGISTRATION_DATE):
            try:
                values["registration_date"] = parse_date(raw[REGISTRATION_DATE], today=self._today)
            except ValidationError as exc:
                errors.append((REGISTRATION_DATE, raw[REGISTRATION_DATE], " ".join(exc.messages)))

        decision = clean_text(raw.get(PUBLIC_UTILITY, ""))
        if decision:
            limit = Organisation._meta.get_field("public_utility_decision").max_length
            values["public_utility"] = True
            values["public_utility_decision"] = decision[:limit]
        if raw.get(PUBLIC_UTILITY_DATE):
            try:
                values["public_utility_date"] = parse_date(
                    raw[PUBLIC_UTILITY_DATE], today=self._today
                )
            except ValidationError as exc:
                errors.append(
                    (PUBLIC_UTILITY_DATE, raw[PUBLIC_UTILITY_DATE], " ".join(exc.messages))
                )

        country = clean_text(raw.get(COUNTRY, ""))
        if country and not is_romania(country):
            values["registry_country"] = country[:100]

        # Thousands of rows have no county: that is not an error, the field stays empty.
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

        locality, address = split_locality(
            clean_text(raw.get(LOCALITY, "")), clean_text(raw.get(ADDRESS, ""))
        )
        for key, field_name, text in (
            (LOCALITY, "locality", locality),
            (ADDRESS, "address", address),
        ):
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
            if self._authoritative_form:
                legal_form = self.category
            else:
                legal_form = (
                    legal_form_from_name(name)
                    or legal_form_from_registry_number(registry_number)
                    or self.category
                    or None
                )
        if legal_form:
            values["legal_form"] = legal_form

        # Repeats inside the file. A fiscal code is one organisation: a second row with it
        # is an error. A registry number is shared by several rows (a row is a filing):
        # with the same name it is the same organisation, and the first row wins; with
        # another name it is another organisation, imported on its own.
        if not errors and values.get("fiscal_code") in self._seen_fiscal:
            errors.append(
                (
                    FISCAL_CODE,
                    values["fiscal_code"],
                    _("The same value is already on row %(row)d of the file.")
                    % {"row": self._seen_fiscal[values["fiscal_code"]]},
                )
            )
        if errors:
            for key, value, reason in errors:
                self._error(row_number, column(key), value, reason)
            return None
        if registry_number:
            pair = (registry_number, hash(values["registry_name_key"]))
            first = self._seen_registry.get(registry_number)
            if pair in self._seen_pairs:
                self.stats.repeats += 1
                self.summary.add(
                    SummaryLine(
                        kind="repeat",
                        row=row_number,
                        registry_number=registry_number,
                        name=name,
                        note=_(
                            "Same number and name as row %(row)d: the same organisation, "
                            "this row was not imported again."
                        )
                        % {"row": self._seen_pairs[pair]},
                    )
                )
                return None
            if first is not None:
                self.stats.repeats += 1
                self.summary.add(
                    SummaryLine(
                        kind="repeat",
                        row=row_number,
                        registry_number=registry_number,
                        name=name,
                        note=_(
                            "Same number as row %(row)d but another name: imported as "
                            "another organisation."
                        )
                        % {"row": first},
                    )
                )
            else:
                self._seen_registry[registry_number] = row_number
            self._seen_pairs[pair] = row_number
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
                to_update = self._complete(to_update)
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
        queryset = (
            Organisation.objects.filter(
                (Q(registry_number__in=numbers) & ~Q(registry_number="")) | Q(fiscal_code__in=codes)
            )
            # What matching and comparing read: most rows of a file change nothing, and
            # a whole organisation per row would cost more than the rest of the import.
            .only(*COMPARED_FIELDS)
            .order_by()
        )
        if lock:
            queryset = queryset.select_for_update()
        return list(queryset)

    @staticmethod
    def _complete(to_update):
        """The organisations that change, read whole (their history row copies every
        field), with the changes planned on their partial copies."""
        if not to_update:
            return to_update
        full = Organisation.objects.defer("search_vector").in_bulk(
            [org.pk for _parsed, org, _changed in to_update]
        )
        completed = []
        for parsed, partial, changed in to_update:
            org = full[partial.pk]
            for name in changed:
                setattr(org, name, getattr(partial, name))
            org.updated_at = partial.updated_at
            completed.append((parsed, org, changed))
        return completed

    def _plan_batch(self, batch, existing):
        by_number: dict[str, list[Organisation]] = {}
        for org in existing:
            if org.registry_number:
                by_number.setdefault(org.registry_number, []).append(org)
        by_code = {o.fiscal_code: o for o in existing if o.fiscal_code}
        # The names the batch gives each number: a record is never "renamed" to one of
        # them while another row of the batch still has its name.
        batch_keys: dict[str, set[str]] = {}
        for parsed in batch:
            number = parsed.values.get("registry_number")
            if number:
                batch_keys.setdefault(number, set()).add(parsed.values.get("registry_name_key"))
        to_create: list[tuple[ParsedRow, dict]] = []
        to_update: list[tuple[ParsedRow, Organisation, list[str]]] = []
        now = timezone.now()
        for parsed in batch:
            values = parsed.values
            number, code = values.get("registry_number"), values.get("fiscal_code")
            by_n = (
                self._match_number(
                    number, values.get("registry_name_key", ""), by_number, batch_keys
                )
                if number
                else None
            )
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
                    if number:
                        # Later rows of the batch with this number see the new record.
                        by_number.setdefault(number, []).append(
                            Organisation(
                                registry_number=number,
                                registry_name_key=created["registry_name_key"],
                                name=created["name"],
                            )
                        )
                continue
            if org.pk is None:
                continue  # a repeat of a row created in this batch (reported already)
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
            before = {name: getattr(org, name) for name in IMPORT_FIELDS}
            changed = self._apply(org, parsed, by_number, by_code)
            if not changed:
                self.stats.unchanged += 1
                continue
            if not self._valid(parsed, org, changed):
                for name, value in before.items():
                    setattr(org, name, value)
                continue
            org.updated_at = now
            to_update.append((parsed, org, changed))
            self.stats.updated += 1
            for name in changed:
                if name in ("search_name", "registry_name_key"):
                    continue
                self.summary.add(
                    SummaryLine(
                        kind="changed",
                        row=parsed.row,
                        registry_number=org.registry_number,
                        name=org.name,
                        organisation_id=org.pk,
                        field=self._field_label(name),
                        before=self._shown(name, before[name]),
                        after=self._shown(name, getattr(org, name)),
                    )
                )
        return to_create, to_update

    def _match_number(self, number, key, by_number, batch_keys) -> Organisation | None:
        """The record a row with this registry number and name key is, among those with
        the number: the same name; else a record with no name key yet (imported before
        names were kept, or registered by its admins) with that name, or the only one;
        else the only record, when no other row has its name: the register renamed it."""
        candidates = by_number.get(number) or []
        if not candidates:
            return None
        for org in candidates:
            if org.registry_name_key == key:
                return org
        keyless = [o for o in candidates if not o.registry_name_key]
        for org in keyless:
            if registry_name_key(org.name) == key:
                return org
        if len(candidates) == 1:
            (org,) = candidates
            renamed = not org.registry_name_key or (
                (number, hash(org.registry_name_key)) not in self._seen_pairs
                and org.registry_name_key not in batch_keys.get(number, ())
            )
            if renamed and org.pk is not None:
                return org
        return None

    @staticmethod
    def _field_label(name: str) -> str:
        field = Organisation._meta.get_field(name.removesuffix("_id"))
        return str(field.verbose_name)

    def _shown(self, name: str, value) -> str:
        if value is None or value == "":
            return ""
        if name == "county_id":
            return self.counties.names.get(value, str(value))
        if name == "registry_state":
            return str(Organisation.RegistryState(value).label)
        if name == "legal_form":
            return str(Organisation.LegalForm(value).label)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return str(value)

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
        self.summary.add(
            SummaryLine(
                kind="new",
                row=parsed.row,
                registry_number=values.get("registry_number", ""),
                name=values["name"],
            )
        )
        return row

    def _apply(self, org: Organisation, parsed: ParsedRow, by_number, by_code) -> list[str]:
        """Set on `org` what the import may change; returns the changed field names.

        A record still "imported" takes every value of the file. A profile that its
        administrators look after takes what the Ministry is the source of
        (MINISTRY_FIELDS) and has its other fields filled only when empty; a different
        value there is a conflict, reported and not applied."""
        values = parsed.values
        owned_by_import = org.status == Organisation.Status.IMPORTED
        changed = []
        conflicts = 0
        for name in IMPORT_FIELDS:
            if name not in values:
                continue
            new, current = values[name], getattr(org, name)
            if new == current:
                continue
            if not owned_by_import and name not in MINISTRY_FIELDS and current not in (None, ""):
                conflicts += 1
                self.summary.add(
                    SummaryLine(
                        kind="conflict",
                        row=parsed.row,
                        registry_number=org.registry_number,
                        name=org.name,
                        organisation_id=org.pk,
                        field=self._field_label(name),
                        before=self._shown(name, current),
                        after=self._shown(name, new),
                        note=_("The profile's administrators wrote this value: it was kept."),
                    )
                )
                continue
            # A new key must not belong to another organisation.
            if name == "registry_number" and any(
                o.pk != org.pk and o.registry_name_key == values.get("registry_name_key")
                for o in by_number.get(new, ())
            ):
                continue
            if name == "fiscal_code" and by_code.get(new, org).pk != org.pk:
                continue
            setattr(org, name, new)
            changed.append(name)
        if conflicts:
            self.stats.conflicts += 1
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
