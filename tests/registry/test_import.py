"""The import of the National NGO Registry: the engine and `manage.py import_ngo_registry`."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from registry.importer import ErrorReport, RegistryFileError, RegistryImporter
from registry.models import County, Organisation
from registry.stats import stats_version

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "ngo_registry_sample.csv"
SAMPLE_CP1250 = FIXTURES / "ngo_registry_sample_cp1250.csv"

HEADER = ["Denumire", "Numar inreg Reg National", "Cod fiscal", "Judet", "Localitate"]

# Valid Romanian fiscal codes (control digit checked), free in the test database.
CODES = [
    "24000016",
    "31104575",
    "14209385",
    "40255178",
    "28710032",
    "35699123",
    "19990022",
    "22500716",
    "33004122",
    "17455600",
    "44112308",
    "21000089",
    "39123459",
]


def run(path, **options):
    """Import a file in English; returns the counts and the error report's rows."""
    buffer = io.StringIO()
    with translation.override("en"), open(path, "rb") as source:
        stats = RegistryImporter(error_report=ErrorReport(buffer), **options).run(source)
    rows = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff")), delimiter=";"))
    return stats, rows[1:]


def write_csv(tmp_path, rows, *, header=HEADER, delimiter=";", encoding="utf-8", name="r.csv"):
    path = tmp_path / name
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def counts(stats):
    return (stats.created, stats.updated, stats.unchanged, stats.skipped, stats.errors)


def imported(fiscal_code):
    return Organisation.objects.select_related("county").get(fiscal_code=fiscal_code)


# --- The sample file with the register's real layout ------------------------


def test_sample_imports_good_rows_and_reports_each_broken_row(db):
    """The good rows of the sample become imported organisations; each broken row is in
    the report with its row number, column and reason, and does not stop the others."""
    stats, errors = run(SAMPLE)

    assert counts(stats) == (10, 0, 0, 0, 5)
    assert stats.processed_rows == 15
    assert (stats.encoding, stats.delimiter) == ("utf-8-sig", ";")
    assert Organisation.objects.count() == 10
    assert set(Organisation.objects.values_list("status", flat=True)) == {"imported"}
    by_row = {int(row[0]): row for row in errors}
    assert sorted(by_row) == [7, 8, 9, 10, 12]
    assert by_row[7][1:3] == ["Cod fiscal", "24000017"]
    assert "control digit" in by_row[7][3]
    assert by_row[8][1] == "Denumire" and "name is missing" in by_row[8][3]
    assert by_row[9][1:3] == ["Judet", "Judeţul Atlantida"]
    assert "Unknown county" in by_row[9][3]
    assert by_row[10][1:3] == ["Data inregistrarii", "31.02.2009"]
    assert "not a date" in by_row[10][3]
    # A registry number shared by two names is two organisations (a row is a filing).
    assert stats.repeats == 1
    assert Organisation.objects.filter(registry_number="1039/A/2004").count() == 2
    assert by_row[12][1] == "" and "4 columns but the header has 13" in by_row[12][3]
    # None of the broken rows left anything behind.
    for code in ("28710032", "35699123", "19990022", "33004122"):
        assert not Organisation.objects.filter(fiscal_code=code).exists()


def test_sample_values_are_read_into_the_right_fields(db):
    """Names, dates, counties in every spelling, localities, addresses, legal forms and
    purposes land in their fields, with comma-below diacritics."""
    run(SAMPLE)

    nature = imported("24000016")
    assert nature.name == "ASOCIAȚIA „PRIETENII NATURII”"
    assert nature.search_name == "asociatia „prietenii naturii”"
    assert nature.registry_number == "1039/A/2004"
    assert str(nature.registration_date) == "2004-03-25"
    assert nature.county.name == "Cluj"
    assert nature.legal_form == "association"
    assert nature.description == "<p>Protecția mediului și educație ecologică</p>"
    hope = imported("31104575")  # "RO 31104575" in the file
    assert (hope.name, hope.legal_form, hope.county.vehicle_code) == (
        "Fundația Speranța",
        "foundation",
        "B",
    )
    assert hope.description == (
        "<p>Sprijin pentru copii</p>\n\n<p>Servicii sociale pentru vârstnici</p>"
    )
    assert imported("14209385").county.vehicle_code == "B"  # "Sector 3"
    assert imported("14209385").legal_form == "federation"
    assert imported("40255178").county.name == "Bistrița-Năsăud"  # "Bistrita-Nasaud"
    assert imported("40255178").legal_form == "union"
    assert imported("44112308").legal_form == "association"  # from "/A/" in its number
    assert imported("44112308").county.vehicle_code == "B"  # "Mun. Bucuresti"
    quoted = imported("21000089")
    assert quoted.name == 'Asociația "Ghilimele; și punct și virgulă"'
    assert quoted.address == "Str. Mării 1; bloc A"
    assert quoted.county.name == "Constanța"  # "JUD. CONSTANŢA"
    assert quoted.description == "<p>Scop pe<br>două rânduri</p>"
    assert imported("39123459").registry_number == ""


def test_second_run_changes_nothing(db):
    """Run twice, the second import finds everything unchanged and writes no row."""
    run(SAMPLE)
    before = list(Organisation.objects.order_by("pk").values())
    history = Organisation.history.count()

    stats, errors = run(SAMPLE)

    assert counts(stats) == (0, 0, 10, 0, 5)
    assert len(errors) == 5
    assert list(Organisation.objects.order_by("pk").values()) == before
    assert Organisation.history.count() == history


def test_windows_1250_file_gives_the_same_result(db):
    """The register saved by a Windows spreadsheet (Windows-1250, cedilla ş ţ) imports like
    the UTF-8 file, with the names in comma-below form."""
    stats, errors = run(SAMPLE_CP1250)

    assert stats.encoding == "cp1250"
    assert counts(stats) == (10, 0, 0, 0, 5)
    assert [int(row[0]) for row in errors] == [7, 8, 9, 10, 12]
    assert imported("31104575").name == "Fundația Speranța"
    assert run(SAMPLE)[0].unchanged == 10  # the UTF-8 file agrees with it


def test_import_keeps_history_with_its_reason(db):
    """Each organisation created by the import has its history row, with the reason."""
    run(SAMPLE)
    record = Organisation.history.get(fiscal_code="24000016")
    assert record.history_type == "+"
    assert "National NGO Registry" in record.history_change_reason


def test_dry_run_writes_nothing(db, organisation):
    """A dry run counts what it would do, reports the errors and saves nothing."""
    before = list(Organisation.objects.values())
    history = Organisation.history.count()

    stats, errors = run(SAMPLE, dry_run=True)

    assert counts(stats) == (9, 1, 0, 0, 5)
    assert len(errors) == 5
    assert list(Organisation.objects.values()) == before
    assert Organisation.history.count() == history


def test_import_bumps_the_statistics_version(db, django_capture_on_commit_callbacks):
    """The map's cached counts are invalidated once organisations were created."""
    version = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        run(SAMPLE)
    assert stats_version() == version + 1
    with django_capture_on_commit_callbacks(execute=True):
        run(SAMPLE)  # nothing changed: the cache stays
    assert stats_version() == version + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors are PostgreSQL's")
def test_imported_organisations_are_searchable(db):
    """Each batch computes the full-text vectors of what it created or changed."""
    run(SAMPLE)
    assert not Organisation.objects.filter(search_vector__isnull=True).exists()
    assert Organisation.objects.filter(search_vector="mediului").count() == 1


# --- Upserts and the organisations NGOs look after themselves ----------------


def test_upsert_by_registry_number_updates_an_imported_organisation(db, tmp_path, county):
    """An organisation still "imported" is found by its registry number and takes the
    file's values, its fiscal code included."""
    org = Organisation.objects.create(
        name="Nume vechi",
        legal_form="association",
        fiscal_code=CODES[0],
        registry_number="77/A/2001",
        status="imported",
    )
    path = write_csv(tmp_path, [["Asociația Nume Nou", "77 / a / 2001", CODES[1], "Cluj", "Dej"]])

    stats, errors = run(path)

    assert (counts(stats), errors) == ((0, 1, 0, 0, 0), [])
    org.refresh_from_db()
    assert (org.name, org.fiscal_code, org.county, org.locality) == (
        "Asociația Nume Nou",
        CODES[1],
        county,
        "Dej",
    )
    assert org.search_name == "asociatia nume nou"
    assert org.status == "imported"


def test_upsert_by_fiscal_code_fills_the_registry_number(db, tmp_path):
    """Without a match by registry number, the fiscal code finds the organisation."""
    org = Organisation.objects.create(
        name="Asociația Fără Număr", legal_form="association", fiscal_code=CODES[2]
    )
    org.status = "imported"
    org.save()
    path = write_csv(tmp_path, [["Asociația Fără Număr", "12/A/2012", f"RO{CODES[2]}", "", ""]])

    stats, _errors = run(path)

    assert counts(stats) == (0, 1, 0, 0, 0)
    org.refresh_from_db()
    assert org.registry_number == "12/A/2012"
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("status", ["verified", "pending", "suspended", "rejected"])
def test_organisation_looked_after_by_its_admins_keeps_status_and_own_fields(
    db, tmp_path, organisation, status
):
    """A verified, pending, suspended or rejected organisation keeps its status, its
    name and every field it filled; the import only fills its empty fields."""
    organisation.status = status
    organisation.description = "Ce am scris noi."
    organisation.save()
    path = write_csv(
        tmp_path,
        [["ASOCIAŢIA EXEMPLU DIN REGISTRU", "500/A/2005", "18547290", "Iași", "Iași"]],
        header=[*HEADER[:3], "Judet", "Localitate"],
    )
    purpose = write_csv(
        tmp_path,
        [["ASOCIAŢIA EXEMPLU DIN REGISTRU", "500/A/2005", "18547290", "Scopul din registru"]],
        header=[*HEADER[:3], "Scopul initial"],
        name="purpose.csv",
    )

    stats, _errors = run(path)
    run(purpose)

    assert counts(stats) == (0, 1, 0, 0, 0)
    organisation.refresh_from_db()
    assert organisation.status == status
    assert organisation.name == "Asociația Exemplu"
    assert organisation.county.name == "Cluj"  # it had one: not replaced by Iași
    assert organisation.description == "Ce am scris noi."
    assert organisation.registry_number == "500/A/2005"  # it was empty: filled
    assert organisation.locality == "Iași"
    assert run(path)[0].unchanged == 1


def test_empty_cells_never_erase(db, tmp_path):
    """An empty cell leaves the organisation's value as it is."""
    path = write_csv(tmp_path, [["Asociația A", "1/A/2001", CODES[0], "Cluj", "Dej"]])
    run(path)
    blank = write_csv(tmp_path, [["Asociația A", "1/A/2001", CODES[0], "", ""]], name="b.csv")

    stats, _errors = run(blank)

    assert stats.unchanged == 1
    assert imported(CODES[0]).locality == "Dej"


def test_keys_of_two_different_organisations_are_reported(db, tmp_path):
    """A row whose registry number is one organisation's and fiscal code another's is an
    error: neither organisation changes."""
    Organisation.objects.create(
        name="Prima", legal_form="association", fiscal_code=CODES[0], registry_number="1/A/2001"
    )
    Organisation.objects.create(name="A doua", legal_form="association", fiscal_code=CODES[1])
    path = write_csv(tmp_path, [["Asociația X", "1/A/2001", CODES[1], "", ""]])

    stats, errors = run(path)

    assert counts(stats) == (0, 0, 0, 0, 1)
    assert errors[0][:2] == ["2", "Cod fiscal"]
    assert "Prima" in errors[0][3] and "A doua" in errors[0][3]


def test_two_rows_matching_the_same_organisation_are_reported(db, tmp_path):
    """The second row that would update an organisation already updated by the file is
    reported instead of overwriting the first."""
    Organisation.objects.create(
        name="Asociația X",
        legal_form="association",
        fiscal_code=CODES[0],
        registry_number="1/A/2001",
        status="imported",
    )
    path = write_csv(
        tmp_path,
        [["Asociația X", "1/A/2001", "", "", ""], ["Asociația Y", "", CODES[0], "", ""]],
    )

    stats, errors = run(path)

    assert (stats.updated, stats.errors) == (1, 1)
    assert errors[0][0] == "3" and "Row 2" in errors[0][3]
    assert imported(CODES[0]).name == "Asociația X"


def test_rows_without_a_fiscal_code_are_imported_by_registry_number(db, tmp_path):
    """The Ministry's newer files have no fiscal code: a row updates the organisation known
    by its registry number, or creates one whose fiscal code stays empty until known."""
    Organisation.objects.create(
        name="Asociația Cunoscută",
        legal_form="association",
        fiscal_code=CODES[0],
        registry_number="1/A/2001",
        status="imported",
    )
    path = write_csv(
        tmp_path,
        [["Asociația Cunoscută", "1/A/2001", "Dej"], ["Asociația Nouă", "2/A/2002", "Dej"]],
        header=["Denumire", "Numar inreg Reg National", "Localitate"],
    )

    stats, errors = run(path, default_legal_form="association")

    assert counts(stats) == (1, 1, 0, 0, 0)
    assert errors == []
    new = Organisation.objects.get(registry_number="2/A/2002")
    assert (new.name, new.fiscal_code, new.status) == ("Asociația Nouă", "", "imported")
    assert Organisation.objects.get(registry_number="1/A/2001").fiscal_code == CODES[0]

    second, _ = run(path, default_legal_form="association")
    assert counts(second) == (0, 0, 2, 0, 0)  # idempotent without fiscal codes too


def test_dissolved_organisations_are_kept_with_their_state(db, tmp_path):
    """Rows whose state says struck off, in liquidation or dissolved are imported with that
    state (shown on the record, never deleted); a blank state is an active entity."""
    path = write_csv(
        tmp_path,
        [
            ["Asociația Vie", CODES[0], ""],
            ["Asociația Radiată", CODES[1], "radiata"],
            ["Asociația în Lichidare", CODES[2], "in lichidare"],
            ["Asociația Dizolvată", CODES[3], "DIZOLVATĂ"],
        ],
        header=["Denumire", "CIF", "Starea actuala"],
    )

    stats, _errors = run(path)

    assert counts(stats) == (4, 0, 0, 0, 0)
    assert [imported(code).registry_state for code in CODES[:4]] == [
        "active",
        "struck_off",
        "in_liquidation",
        "dissolved",
    ]


# --- Legal forms -------------------------------------------------------------


def test_legal_form_from_its_column_name_number_or_the_default(db, tmp_path):
    """The legal form comes from the Tip column, else the name, else the part of the
    register in the number, else the form chosen for the file; without any, it is an
    error."""
    path = write_csv(
        tmp_path,
        [
            ["Clubul A", "1/A/2001", CODES[0], "Fundație"],
            ["Fundaţia B", "2/X/2002", CODES[1], ""],
            ["Clubul C", "3/C/2003", CODES[2], ""],
            ["Clubul D", "", CODES[3], ""],
            ["Clubul E", "", CODES[4], "Societate"],
        ],
        header=["Denumire", "Numar inreg Reg National", "Cod fiscal", "Tip"],
    )

    stats, errors = run(path)

    assert counts(stats) == (3, 0, 0, 0, 2)
    assert imported(CODES[0]).legal_form == "foundation"
    assert imported(CODES[1]).legal_form == "foundation"
    assert imported(CODES[2]).legal_form == "federation"
    assert [(row[0], row[1]) for row in errors] == [("5", "Tip"), ("6", "Tip")]
    Organisation.objects.all().delete()

    stats, errors = run(path, default_legal_form="union")

    assert counts(stats) == (4, 0, 0, 0, 1)
    assert imported(CODES[3]).legal_form == "union"


# --- Encodings, delimiters, header variants, counties ------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1250", "iso-8859-2", "utf-16"])
def test_encodings_and_delimiters(db, tmp_path, delimiter, encoding):
    """Each delimiter and encoding a spreadsheet may produce is recognised."""
    name = "Asociaţia Ştiinţă şi Tehnică"
    if encoding.startswith("utf"):
        name = "Asociația Știință și Tehnică"
    path = write_csv(
        tmp_path,
        [[name, "1/A/2001", CODES[0], "Timiș" if encoding.startswith("utf") else "Timiş", "x"]],
        delimiter=delimiter,
        encoding=encoding,
    )

    stats, errors = run(path)

    assert (counts(stats), errors) == ((1, 0, 0, 0, 0), [])
    org = imported(CODES[0])
    assert org.name == "Asociația Știință și Tehnică"
    assert org.county.name == "Timiș"


@pytest.mark.parametrize(
    "header",
    [
        ["Denumire", "Numar inreg Reg National", "Cod fiscal", "Data inregistrarii", "Judet"],
        ["DENUMIRE", "Nr. inreg. Registrul National", "CIF", "Data înregistrării", "Județ"],
        ["Denumirea", "Număr înregistrare RNONG", "CUI", "Data inscrierii", "JUDET"],
        [
            "Denumire ONG",
            "Nr. înreg. Registrul Național ONG",
            "Cod de înregistrare fiscală",
            "Data inreg.",
            "Judetul",
        ],
    ],
)
def test_header_variants(db, tmp_path, header):
    """The column names of the register's different editions are all understood."""
    path = write_csv(
        tmp_path, [["Asociația A", "1/A/2001", CODES[0], "25.03.2004", "Cluj"]], header=header
    )

    stats, errors = run(path)

    assert (counts(stats), errors) == ((1, 0, 0, 0, 0), [])
    org = imported(CODES[0])
    assert (org.registry_number, str(org.registration_date), org.county.name) == (
        "1/A/2001",
        "2004-03-25",
        "Cluj",
    )


def test_title_lines_above_the_header_are_skipped(db, tmp_path):
    """A title above the header (as in the Ministry's spreadsheets) is not data; row
    numbers still count every line, as a spreadsheet does."""
    path = tmp_path / "titled.csv"
    path.write_text(
        "Registrul National ONG - Asociatii;;\r\n;;\r\nDenumire;CIF;Judet\r\n"
        f"Asociația A;{CODES[0]};Cluj\r\nAsociația B;123;Cluj\r\n",
        encoding="utf-8",
    )

    stats, errors = run(path)

    assert counts(stats) == (1, 0, 0, 0, 1)
    assert errors[0][0] == "5"


@pytest.mark.parametrize(
    ("spelling", "vehicle_code"),
    [
        ("Municipiul București", "B"),
        ("Municipiul Bucureşti", "B"),
        ("Bucuresti", "B"),
        ("BUCUREŞTI", "B"),
        ("Mun. Bucuresti", "B"),
        ("Sector 1", "B"),
        ("Sectorul 6", "B"),
        ("București, sectorul 2", "B"),
        ("Jud. Cluj", "CJ"),
        ("JUDEȚUL CLUJ", "CJ"),
        ("CJ", "CJ"),
        ("Caras-Severin", "CS"),
        ("Caraş Severin", "CS"),
        ("Bistrita Nasaud", "BN"),
        ("Satu Mare", "SM"),
        ("Maramures", "MM"),
        ("Ilfov", "IF"),
    ],
)
def test_county_spellings(db, tmp_path, spelling, vehicle_code):
    """Counties are recognised with or without diacritics, prefixes or as Bucharest's
    sectors."""
    path = write_csv(tmp_path, [["Asociația A", "1/A/2001", CODES[0], spelling, ""]])

    _stats, errors = run(path)

    assert errors == []
    assert imported(CODES[0]).county == County.objects.get(vehicle_code=vehicle_code)


def test_undecodable_bytes_are_reported_on_their_row(db, tmp_path):
    """A byte that is not UTF-8 far down a UTF-8 file makes its row an error, not the file."""
    good = "".join(f"Asociația {i};{i}/A/2001;;\r\n" for i in range(12000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        ("Denumire;Numar inreg Reg National;CIF;Judet\r\n" + good).encode("utf-8")
        + b"Asocia\xfeia Rea;9999/A/2001;;\r\n"
    )

    stats, errors = run(path)

    assert stats.encoding == "utf-8"
    assert [row[0] for row in errors if "encoding" in row[3]] == ["12002"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"PK\x03\x04 an xlsx file", "damaged"),
        (b"Nume;Prenume\r\nIon;Popescu\r\n", "No header row"),
        (b"\x00\x01\x02binary" * 10, "binary"),
    ],
)
def test_file_that_is_not_a_registry_csv_fails_with_a_message(db, tmp_path, content, message):
    """A file that is not the register stops at once with a message and changes nothing."""
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(RegistryFileError) as raised:
        run(path)
    assert message in str(raised.value)
    assert not Organisation.objects.exists()


# --- Bounded work per batch ---------------------------------------------------


def _rows(n, offset=0):
    from stdnum.ro import cui

    rows = []
    for i in range(offset, offset + n):
        base = str(3_000_000 + i)
        rows.append([f"Asociația {i}", f"{i}/A/2020", base + cui.calc_check_digit(base), "Cluj"])
    return rows


def test_queries_per_batch_do_not_grow_with_its_rows(db, tmp_path):
    """A batch costs the same queries whether it holds 10 or 40 rows: no query per row."""
    header = ["Denumire", "Numar inreg Reg National", "Cod fiscal", "Judet"]
    small = write_csv(tmp_path, _rows(10), header=header, name="small.csv")
    large = write_csv(tmp_path, _rows(40, offset=100), header=header, name="large.csv")

    with CaptureQueriesContext(connection) as small_ctx:
        assert run(small, batch_size=10)[0].created == 10
    with CaptureQueriesContext(connection) as large_ctx:
        assert run(large, batch_size=40)[0].created == 40
    assert len(large_ctx.captured_queries) == len(small_ctx.captured_queries)

    # Updating: still one lookup, one bulk update and its history per batch.
    changed = [[f"Asociația {i} (nou)", *row[1:]] for i, row in enumerate(_rows(40, 100))]
    update = write_csv(tmp_path, changed, header=header, name="update.csv")
    with CaptureQueriesContext(connection) as update_ctx:
        assert run(update, batch_size=40)[0].updated == 40
    assert len(update_ctx.captured_queries) <= len(large_ctx.captured_queries) + 1


def test_batches_cover_the_whole_file(db, tmp_path):
    """With batches smaller than the file, every row is imported once."""
    header = ["Denumire", "Numar inreg Reg National", "Cod fiscal", "Judet"]
    path = write_csv(tmp_path, _rows(25), header=header)
    progress = []

    stats, _errors = run(path, batch_size=7, progress=lambda s: progress.append(s.processed_rows))

    assert stats.created == 25 and Organisation.objects.count() == 25
    assert progress[1:] == [7, 14, 21, 25, 25]


# --- The command --------------------------------------------------------------


def test_command_prints_the_counts_and_writes_the_error_report(db, tmp_path):
    """The command says what it did and where the rows with errors are listed."""
    report = tmp_path / "errors.csv"
    out = io.StringIO()

    call_command(
        "import_ngo_registry",
        str(SAMPLE),
        "--error-report",
        str(report),
        "--summary",
        str(tmp_path / "summary.csv"),
        "--language",
        "en",
        "--batch-size",
        "4",
        stdout=out,
    )

    text = out.getvalue()
    assert "15 rows read (encoding utf-8-sig, delimiter “;”)" in text
    assert "10 created, 0 updated, 0 unchanged, 0 set aside" in text
    assert "5 with errors" in text
    assert f"listed in {report}" in text
    assert "Import finished." in text
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Row;Column;Value;Reason"
    assert len(lines) == 6


def test_command_dry_run_saves_nothing_and_says_so(db, tmp_path):
    """--dry-run counts what it would do, saves nothing and says so."""
    out = io.StringIO()
    report = tmp_path / "errors.csv"

    call_command(
        "import_ngo_registry",
        str(SAMPLE),
        "--dry-run",
        "--language",
        "en",
        "--error-report",
        str(report),
        "--summary",
        str(tmp_path / "summary.csv"),
        stdout=out,
    )

    assert "10 created" in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()
    assert not Organisation.objects.exists()
    assert len(report.read_text(encoding="utf-8-sig").splitlines()) == 6


def test_command_without_errors_leaves_no_report(db, tmp_path):
    """A clean file leaves no empty error report behind."""
    path = write_csv(tmp_path, [["Asociația A", "1/A/2001", CODES[0], "Cluj", ""]])
    out = io.StringIO()
    call_command("import_ngo_registry", str(path), "--language", "en", stdout=out)
    assert not Path(f"{path}.errors.csv").exists()
    assert "1 created" in out.getvalue()


def test_command_refuses_a_missing_or_unusable_file(db, tmp_path):
    """A missing file or a file without the register's columns is a command error."""
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_ngo_registry", str(tmp_path / "nope.csv"), "--language", "en")
    bad = tmp_path / "bad.csv"
    bad.write_text("a;b\r\n1;2\r\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No header row"):
        call_command("import_ngo_registry", str(bad), "--language", "en", stdout=io.StringIO())


def test_a_row_with_several_errors_counts_once_and_lists_each(db, tmp_path):
    """Every problem of a row is listed, in the order of the rows, and the row counts once."""
    path = write_csv(
        tmp_path,
        [
            ["Asociația A", "1/A/2001", "123", "Atlantida", ""],
            ["Asociația B", "2/A/2002", CODES[0], "Cluj", ""],
        ],
    )

    stats, errors = run(path)

    assert (stats.created, stats.errors) == (1, 1)
    assert [(row[0], row[1]) for row in errors] == [("2", "Cod fiscal"), ("2", "Judet")]


def test_progress_bar_draws_on_a_terminal():
    """On a terminal the command redraws one line with the share of rows done."""
    from registry.importer import ImportStats
    from registry.management.commands.import_ngo_registry import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream, enabled=True)
    bar(ImportStats(total_rows=200, processed_rows=100))
    bar.finish()
    assert stream.getvalue().startswith("\r[" + "#" * 15 + "-" * 15 + "]  50% 100/200")
    assert stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    ProgressBar(quiet, enabled=False)(ImportStats(total_rows=2, processed_rows=1))
    assert quiet.getvalue() == ""
