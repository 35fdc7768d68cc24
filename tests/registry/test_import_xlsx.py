"""Issue 18: the Ministry of Justice's XLSX files as it publishes them, each quirk of the
2026 associations' file, the summary of an import and the files that must be refused."""

import csv
import io
import zipfile
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from registry.importer import ErrorReport, RegistryFileError, RegistryImporter, SummaryReport
from registry.models import Organisation

# The header of row 1 of the Ministry's files, as published.
HEADER = [
    "Denumire",
    "Numar inreg Reg National",
    "Starea actuala",
    "sediu schimbat",
    "organizatia trece in circumscriptia altei instante",
    "Tara",
    "Judet",
    "Localitate",
    "Adresa",
    "Scopul initial",
    "Modificari ale scopului 1",
    "Modificari ale scopului 2",
    "Modificari ale scopului 3",
    "Modificari ale scopului 4",
    "Modificari ale scopului 5",
    "HG utilitate publica",
    "Data HG utilitate publica",
]
FILE_NAME = "RNPJFSP_asociatii_2026-01-12.xlsx"
RULING = (
    "Sentinţa civilă nr. 1234/2005 a Judecătoriei Cluj-Napoca, definitivă, privind "
    "modificarea statutului"
)


def row(
    name,
    number,
    *,
    state="",
    country="România",
    county="Cluj",
    locality="Cluj-Napoca",
    address="Str. Avram Iancu nr. 5",
    purpose="Educaţie civică",
    amendment="",
    hg="",
    hg_date=None,
):
    return [
        name,
        number,
        state,
        "",
        "",
        country,
        county,
        locality,
        address,
        purpose,
        amendment,
        "",
        "",
        "",
        "",
        hg,
        hg_date,
    ]


def quirks():
    """One row per quirk reported in the analyses of the 2026 associations' file."""
    return [
        row(
            "ASOCIAŢIA „PRIETENII NATURII”",
            "1039/A/2004",
            purpose="Protecţia mediului_x000D_şi educaţie ecologică",
            amendment="Şi turism",
            hg="HG nr. 1234/2010",
            hg_date=datetime(2010, 5, 4),
        ),
        # The same filing again, spelled otherwise: the same organisation.
        row("Asociatia Prietenii Naturii", "1039 / A / 2004"),
        # The same number, another name: another organisation.
        row("ASOCIAŢIA VECINII", "1039/A/2004", locality="Dej"),
        row(RULING, "1040/A/2005"),
        row("Asociaţia Radiată", "1041/A/2006", state="radiata"),
        row("Asociaţia în Lichidare", "1042/A/2007", state="in lichidare"),
        row("Asociaţia Dizolvată", "1043/A/2008", state="dizolvata"),
        row(
            "Asociaţia Adresă în Localitate",
            "1044/A/2009",
            county="Iaşi",
            locality="Iaşi, str. Lăpuşneanu nr. 10, bl. A",
            address="",
        ),
        row("Asociaţia Fără Scop", "1045/A/2010", county="", locality="", purpose=""),
        row("Asociaţia Fără An", "1046/A"),
    ]


def write_xlsx(path, rows, *, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Asociatii"
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    workbook.save(path)
    return path


def run(path, **options):
    """Import a file in English; returns the counts, the error report and the summary."""
    errors, summary = io.StringIO(), io.StringIO()
    options.setdefault("file_name", path.name)
    with translation.override("en"), open(path, "rb") as source:
        stats = RegistryImporter(
            error_report=ErrorReport(errors), summary=SummaryReport(summary), **options
        ).run(source)
    return stats, _rows(errors), _rows(summary)


def _rows(buffer):
    return list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff")), delimiter=";"))[1:]


def by_name(name):
    return Organisation.objects.select_related("county").get(name=name)


@pytest.fixture
def quirks_file(db, tmp_path, county):
    return write_xlsx(tmp_path / FILE_NAME, quirks())


# --- The file with every quirk ---------------------------------------------------


def test_the_ministrys_file_is_imported_with_every_quirk_handled(quirks_file):
    """The XLSX as published is imported: repeats of a registry number are matched by
    name and reported, the court ruling is set aside, every state is kept, the cedilla and
    _x000D_ are cleaned, an address in Localitate is moved, rows without purpose or county
    are imported, and the registration year comes from the number."""
    stats, errors, summary = run(quirks_file)

    assert errors == []
    assert (stats.file_format, stats.processed_rows) == ("xlsx", 10)
    assert (stats.created, stats.updated, stats.unchanged) == (8, 0, 0)
    assert (stats.skipped, stats.repeats, stats.errors) == (1, 2, 0)
    assert set(Organisation.objects.values_list("legal_form", flat=True)) == {"association"}

    nature = by_name("ASOCIAȚIA „PRIETENII NATURII”")
    assert (nature.registry_number, nature.registration_year) == ("1039/A/2004", 2004)
    assert "_x000D_" not in nature.description and "\r" not in nature.description
    assert "Protecția mediului" in nature.description and "Și turism" in nature.description
    assert (nature.public_utility, nature.public_utility_decision) == (True, "HG nr. 1234/2010")
    assert str(nature.public_utility_date) == "2010-05-04"
    assert nature.registry_state == "active" and nature.status == "imported"
    neighbours = by_name("ASOCIAȚIA VECINII")
    assert (neighbours.registry_number, neighbours.locality) == ("1039/A/2004", "Dej")

    assert not Organisation.objects.filter(name__icontains="sentin").exists()
    states = dict(Organisation.objects.values_list("registry_number", "registry_state"))
    assert (states["1041/A/2006"], states["1042/A/2007"], states["1043/A/2008"]) == (
        "struck_off",
        "in_liquidation",
        "dissolved",
    )
    moved = by_name("Asociația Adresă în Localitate")
    assert (moved.locality, moved.address) == ("Iași", "Iași, str. Lăpușneanu nr. 10, bl. A")
    assert moved.county.name == "Iași"
    bare = by_name("Asociația Fără Scop")
    assert (bare.county, bare.locality, bare.description) == (None, "", "")
    assert by_name("Asociația Fără An").registration_year is None

    kinds = [(line[0], line[1]) for line in summary]
    assert kinds.count(("new", "2")) == 1 and len([k for k in kinds if k[0] == "new"]) == 8
    assert ("repeated registry number", "3") in kinds
    assert ("repeated registry number", "4") in kinds
    assert ("set aside for review", "5") in kinds
    repeat_notes = {line[1]: line[8] for line in summary if line[0] == "repeated registry number"}
    assert "the same organisation" in repeat_notes["3"]
    assert "another organisation" in repeat_notes["4"]


def test_a_second_import_of_the_same_file_changes_nothing(quirks_file):
    """Imported again, the same file finds every organisation unchanged, writes no history
    and lists no change (only its repeats and the row set aside again)."""
    run(quirks_file)
    history = Organisation.history.count()
    updated = dict(Organisation.objects.values_list("pk", "updated_at"))

    stats, errors, summary = run(quirks_file)

    assert (stats.created, stats.updated, stats.unchanged, stats.missing) == (0, 0, 8, 0)
    assert errors == []
    assert Organisation.history.count() == history
    assert dict(Organisation.objects.values_list("pk", "updated_at")) == updated
    assert {line[0] for line in summary} == {"repeated registry number", "set aside for review"}


def test_an_edited_file_gives_the_right_diff(quirks_file, tmp_path, coordinator):
    """After the Ministry's next extract, the summary lists each changed field with its
    old and new value, the new organisation, the one no longer in the file (kept, not
    deleted), and the conflicts with what a claimed profile's administrators wrote (their
    value kept; the state, which the Ministry decides, applied)."""
    run(quirks_file)
    claimed = by_name("ASOCIAȚIA VECINII")
    claimed.status = "verified"
    claimed.name = "Vecinii din Dej"
    claimed.locality = "Florești"
    claimed.save()
    edited = quirks()
    edited[0][2] = "dizolvata"  # the state of the first row changes
    edited[2][2] = "in lichidare"  # the claimed one is in liquidation...
    edited[2][7] = "Gherla"  # ...and the register has another locality for it
    edited[8][6] = "Cluj"  # a county appears
    del edited[9]  # "Asociaţia Fără An" is no longer in the file
    edited.append(row("Asociaţia Nouă", "1047/A/2026"))
    path = write_xlsx(tmp_path / "RNPJFSP_asociatii_2026-01-19.xlsx", edited)

    stats, errors, summary = run(path)

    assert errors == []
    assert (stats.created, stats.updated, stats.unchanged) == (1, 3, 4)
    assert (stats.missing, stats.conflicts) == (1, 1)
    changes = {(line[3], line[5]): (line[6], line[7]) for line in summary if line[0] == "changed"}
    assert changes == {
        ("ASOCIAȚIA „PRIETENII NATURII”", "state in the National NGO Registry"): (
            "active",
            "dissolved",
        ),
        ("Vecinii din Dej", "state in the National NGO Registry"): ("active", "in liquidation"),
        ("Asociația Fără Scop", "county"): ("", "Cluj"),
    }
    conflicts = [line for line in summary if line[0].startswith("conflict")]
    assert [(c[3], c[5], c[6], c[7]) for c in conflicts] == [
        ("Vecinii din Dej", "name", "Vecinii din Dej", "ASOCIAȚIA VECINII"),
        ("Vecinii din Dej", "locality", "Florești", "Gherla"),
    ]
    claimed.refresh_from_db()
    assert (claimed.name, claimed.locality, claimed.status) == (
        "Vecinii din Dej",
        "Florești",
        "verified",
    )
    assert claimed.registry_state == "in_liquidation"
    missing = [line for line in summary if line[0] == "no longer in the file"]
    assert [(m[2], m[3]) for m in missing] == [("1046/A", "Asociația Fără An")]
    assert Organisation.objects.filter(name="Asociația Fără An").exists()
    assert [line[3] for line in summary if line[0] == "new"] == ["Asociația Nouă"]
    assert by_name("ASOCIAȚIA „PRIETENII NATURII”").registry_state == "dissolved"


def test_conflicts_count_profiles_not_fields(quirks_file, tmp_path):
    """A claimed profile whose two fields differ from the file counts once as a conflict;
    run again, it is still reported (nothing was applied) and nothing changes."""
    run(quirks_file)
    claimed = by_name("ASOCIAȚIA VECINII")
    claimed.status = "verified"
    claimed.name = "Vecinii"
    claimed.save()

    first, _e, _s = run(quirks_file)
    second, _e, _s = run(quirks_file)

    assert (first.conflicts, first.updated) == (1, 0)
    assert (second.conflicts, second.updated) == (1, 0)


# --- Categories ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "legal_form"),
    [
        ("RNPJFSP_fundatii_2026-01-12.xlsx", "foundation"),
        ("federatii.xlsx", "federation"),
        ("Registrul national - uniuni.xlsx", "union"),
        ("persoane juridice straine 2026.xlsx", "foreign"),
    ],
)
def test_the_category_is_read_from_the_files_name(db, tmp_path, county, file_name, legal_form):
    """One file per category: its name tells the legal form of every row, whatever the
    row's own name says."""
    path = write_xlsx(tmp_path / file_name, [row("Asociaţia Străină", "1/A/2001")])

    stats, errors, _summary = run(path)

    assert (stats.created, errors) == (1, [])
    assert Organisation.objects.get().legal_form == legal_form


def test_the_chosen_category_wins_and_a_foreign_country_is_kept(db, tmp_path, county):
    """A category chosen by the coordinator is used for a file whose name says nothing;
    a foreign legal person keeps its country."""
    path = write_xlsx(
        tmp_path / "export.xlsx",
        [row("Fondation Europe", "5/PJS/2019", country="Franţa", county="", locality="Paris")],
    )

    run(path, default_legal_form="foreign")

    organisation = Organisation.objects.get()
    assert (organisation.legal_form, organisation.registry_country) == ("foreign", "Franța")
    assert organisation.registration_year == 2019


def test_the_command_imports_an_xlsx_and_writes_its_summary(quirks_file, tmp_path):
    """`manage.py import_ngo_registry` takes the XLSX too and writes the summary CSV."""
    out = io.StringIO()
    summary = tmp_path / "summary.csv"

    call_command(
        "import_ngo_registry",
        str(quirks_file),
        "--language",
        "en",
        "--summary",
        str(summary),
        "--error-report",
        str(tmp_path / "errors.csv"),
        stdout=out,
    )

    text = out.getvalue()
    assert "10 rows read (XLSX): 8 created" in text
    assert "1 set aside for review" in text and "2 repeated registry numbers" in text
    assert f"listed in {summary}" in text
    assert Organisation.objects.count() == 8


# --- Files that must be refused --------------------------------------------------------


@pytest.fixture
def registry_before(db, county):
    """An organisation already in the registry, and what the registry holds."""
    Organisation.objects.create(
        name="Asociația Existentă",
        legal_form="association",
        registry_number="9/A/2009",
        status="imported",
    )
    return lambda: (
        list(Organisation.objects.values_list("pk", "name", "updated_at")),
        Organisation.history.count(),
    )


def _zip(path, entries, *, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _bad_files(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", quirks())
    wrong = write_xlsx(
        tmp_path / "wrong.xlsx", [["Ion", "Popescu", "Cluj"]], header=["Nume", "Prenume", "Judet"]
    )
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    encrypted = tmp_path / "encrypted.xlsx"  # what Excel saves with a password
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    bomb = _zip(
        tmp_path / "bomb.xlsx",
        {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\x00" * (60 << 20)},
    )
    not_a_workbook = _zip(tmp_path / "photos.xlsx", {"photo.txt": b"not a workbook"})
    return {
        "wrong headers": (wrong, "not the National NGO Registry"),
        "damaged": (truncated, "damaged"),
        "password": (encrypted, "protected by a password"),
        "zip bomb": (bomb, "far more data than a registry file"),
        "not a workbook": (not_a_workbook, "not an Excel workbook"),
    }


@pytest.mark.parametrize(
    "case", ["wrong headers", "damaged", "password", "zip bomb", "not a workbook"]
)
def test_a_file_that_is_not_the_registry_is_refused_and_changes_nothing(
    registry_before, tmp_path, case
):
    """An XLSX with other headers, a damaged or password-protected file, a zip bomb or a
    zip that is no workbook stops at once with a message, and the registry stays as it
    was."""
    before = registry_before()
    path, message = _bad_files(tmp_path)[case]

    with pytest.raises(RegistryFileError) as raised:
        run(path)

    assert message in str(raised.value)
    assert registry_before() == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked(registry_before, tmp_path, monkeypatch):
    """The sizes in the zip's directory are read, not the data: openpyxl never opens it."""
    path, _message = _bad_files(tmp_path)["zip bomb"]
    opened = []
    monkeypatch.setattr("registry.importer.xlsx._load_workbook", lambda *a: opened.append(a))

    with pytest.raises(RegistryFileError):
        run(path)

    assert opened == []
    with pytest.raises(RegistryFileError):  # a good file is opened there (then refused)
        run(tmp_path / "good.xlsx")
    assert len(opened) == 1


def test_the_command_refuses_a_file_over_the_size_limit(registry_before, tmp_path):
    """A 200 MB file is refused by its size, with the limit in the message, unread."""
    before = registry_before()
    huge = tmp_path / "asociatii.xlsx"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 1024 * 1024 + 1)  # sparse: no disk is written

    with pytest.raises(CommandError) as raised:
        call_command("import_ngo_registry", str(huge), "--language", "en")

    assert "too large (200 MB): at most 200 MB" in str(raised.value)
    assert registry_before() == before


@pytest.mark.parametrize("encoding", ["cp1250", "utf-16", "utf-16-le", "utf-16-be"])
def test_a_csv_in_windows_1250_or_utf16_is_read(db, tmp_path, county, encoding):
    """A CSV saved in Windows-1250, or in UTF-16 with or without its BOM, is detected and
    read with its diacritics."""
    path = tmp_path / "asociatii.csv"
    text = "Denumire;Numar inreg Reg National;Judet\r\nAsociaţia Şcoala Veche;3/A/2003;Cluj\r\n"
    path.write_bytes(text.encode(encoding))

    stats, errors, _summary = run(path)

    assert (stats.created, errors) == (1, [])
    assert Organisation.objects.get().name == "Asociația Școala Veche"


# --- The values' rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ruling"),
    [
        (RULING, True),
        ("Încheierea nr. 45 din 12.03.2004 pronunțată în dosarul nr. 123/211/2004", True),
        ("Decizia civilă nr. 77/2006 a Tribunalului Iași, dosar nr. 9/99/2006", True),
        ("Asociația Decizia Ta", False),
        ("Asociația Tribunalul Tinerilor 2004", False),
        ("Fundația Hotărârea de a Ajuta", False),
    ],
)
def test_a_court_rulings_text_is_told_from_a_name(name, ruling):
    """A ruling cites a ruling and a number; a name with one of its words is a name."""
    from registry.importer.values import is_court_ruling

    assert is_court_ruling(name) is ruling


@pytest.mark.parametrize(
    ("locality", "address", "expected"),
    [
        ("Cluj-Napoca", "Str. Avram Iancu 5", ("Cluj-Napoca", "Str. Avram Iancu 5")),
        ("Iași, str. Lăpușneanu nr. 10", "", ("Iași", "Iași, str. Lăpușneanu nr. 10")),
        ("Str. Mare nr. 3, Dej", "", ("", "Str. Mare nr. 3, Dej")),
        ("Iași, str. Lăpușneanu nr. 10", "Str. Lăpușneanu 10", ("Iași", "Str. Lăpușneanu 10")),
    ],
)
def test_an_address_in_the_locality_is_moved(locality, address, expected):
    """The address moves to its column when that is empty; the locality keeps the place."""
    from registry.importer.values import split_locality

    assert split_locality(locality, address) == expected
