"""`make bench-import`: the import of the Ministry's XLSX file at its real size (issue 18).

Scenario: an associations' file of 126,000 rows, generated with the quirks of the real one
(about 3,200 registry numbers shared by several rows, a few hundred court rulings in
`Denumire`, dissolved and struck-off entities, `_x000D_` and cedilla diacritics, addresses
in `Localitate`, rows without a county or a purpose), imported into an empty registry,
then imported again (nothing to change).

Targets:
- first import: under 60 s, peak memory (RSS of the importing process) under 300 MB;
- second import of the same file: under 30 s.

Each import runs in its own process (the same as `manage.py import_ngo_registry`, through
`RegistryImporter`), so that its peak RSS (`resource.getrusage(RUSAGE_SELF).ru_maxrss`) is
its own. The database is `<DATABASE_URL's name>_import`, created, migrated and emptied of
organisations at each run; the generated file is kept in bench/.cache/ between runs.

It is a report, never a test: targets are printed as met or missed, the exit code is 0.

Usage: DATABASE_URL=postgres://root@127.0.0.1:5432/conect_bench python bench/import_xlsx.py
       [--rows 126000]
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import urllib.parse
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/conect_bench"
ROWS = 126_000
TARGETS = {
    "first": {"seconds": 60, "rss_mb": 300},
    "second": {"seconds": 30, "rss_mb": None},
}
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
COUNTIES = [
    "Cluj", "Iaşi", "Timiş", "Bucureşti", "Sector 3", "Constanţa", "Braşov", "Bihor",
    "Argeş", "Dolj", "Prahova", "Suceava", "Mun. Bucuresti", "JUD. MUREŞ", "Bistrita-Nasaud",
]  # fmt: skip
WORDS = [
    "Prietenii", "Naturii", "Speranţa", "Tinerilor", "Vecinii", "Şcoala", "Viitorului",
    "Solidaritate", "Comunitatea", "Educaţie", "Sănătate", "Cultura", "Sportul", "Ţara",
    "Familia", "Copiilor", "Bătrânilor", "Artă", "Mediu", "Dezvoltare", "Civică", "Verde",
]  # fmt: skip
# Each purpose is its own text (as in the register): the shared strings table holds them all.
PURPOSE = (
    "Promovarea educaţiei civice şi a participării cetăţenilor la viaţa comunităţii,_x000D_"
    "sprijinirea tinerilor şi protecţia mediului înconjurător în judeţul {county} (nr. {n})."
)


def database_url(base: str) -> str:
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_import"))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def environment(url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conect.settings.base",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }


def generate_rows(rows: int):
    """The rows of the associations' file, with the real one's quirks."""
    rng = random.Random(18)
    shared = max(1, rows * 3200 // 126_000)  # registry numbers on more than one row
    rulings = max(1, rows * 300 // 126_000)
    written = 0
    number = 0
    while written < rows:
        number += 1
        year = 1990 + number % 36
        registry_number = f"{number}/A/{year}"
        county = rng.choice(COUNTIES)
        name = f"Asociaţia {rng.choice(WORDS)} {rng.choice(WORDS)} {number}"
        state = rng.choices(["", "radiata", "in lichidare", "dizolvata"], [90, 6, 2, 2])[0]
        locality = county.replace("JUD. ", "").title()
        address = f"Str. {rng.choice(WORDS)} nr. {number % 200}, bl. {number % 90}"
        if number % 37 == 0:  # the whole address in Localitate
            locality, address = f"{locality}, {address}", ""
        if number % 11 == 0:  # no county, no purpose
            county = ""
        purpose = "" if number % 13 == 0 else PURPOSE.format(county=county or "Cluj", n=number)
        hg = f"HG nr. {number % 2000}/2005" if number % 97 == 0 else ""
        hg_date = datetime(2005, 3, 1) if hg else None
        row = [name, registry_number, state, "", "", "România", county, locality, address,
               purpose, "", "", "", "", "", hg, hg_date]  # fmt: skip
        yield row
        written += 1
        if number <= shared and written < rows:  # the same number, another filing
            other = list(row)
            if number % 2:
                other[0] = f"Asociaţia Filiala {number}"
            yield other
            written += 1
        if number <= rulings and written < rows:
            ruling = f"Sentinţa civilă nr. {number}/{year} a Tribunalului {county or 'Cluj'}"
            yield [ruling, registry_number, *[""] * 14, None]
            written += 1


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def generate(path: Path, rows: int) -> None:
    """The file as Excel writes it: every text in the shared strings table (which
    openpyxl's read-only mode loads whole, the part of the memory that grows with the
    file), dates as numbers with a date style, empty cells left out."""
    import tempfile
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils.datetime import to_excel

    strings: dict[str, int] = {}
    letters = [_column(i) for i in range(len(HEADER))]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as sheet:
        sheet.write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{letters[-1]}{rows + 1}"/><sheetData>'
        )
        for number, values in enumerate([HEADER, *generate_rows(rows)], start=1):
            cells = []
            for letter, value in zip(letters, values, strict=True):
                if value is None or value == "":
                    continue
                if isinstance(value, datetime):
                    cells.append(f'<c r="{letter}{number}" s="1"><v>{to_excel(value)}</v></c>')
                    continue
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
            sheet.write(f'<row r="{number}">{"".join(cells)}</row>')
        sheet.write("</sheetData></worksheet>")
        sheet.seek(0)
        main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        package = "http://schemas.openxmlformats.org/package/2006/relationships"
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" '
                f'ContentType="{kind}.worksheet+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{kind}.sharedStrings+xml"/></Types>',
            )
            archive.writestr(
                "_rels/.rels",
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
                f'<Relationship Id="rId1" Type="{rel}/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>',
            )
            archive.writestr(
                "xl/workbook.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" '
                f'xmlns:r="{rel}"><sheets><sheet name="Asociatii" sheetId="1" r:id="rId1"/>'
                "</sheets></workbook>",
            )
            archive.writestr(
                "xl/_rels/workbook.xml.rels",
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
                f'<Relationship Id="rId1" Type="{rel}/worksheet" '
                'Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
                f'<Relationship Id="rId3" Type="{rel}/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>',
            )
            archive.writestr(
                "xl/styles.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}">'
                '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
                '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
                'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2">'
                '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
                'applyNumberFormat="1"/></cellXfs></styleSheet>',
            )
            with archive.open("xl/worksheets/sheet1.xml", "w") as out:
                while chunk := sheet.read(1 << 20):
                    out.write(chunk.encode("utf-8"))
            with archive.open("xl/sharedStrings.xml", "w") as out:
                out.write(
                    f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" '
                    f'count="{len(strings)}" uniqueCount="{len(strings)}">'.encode()
                )
                for text in strings:
                    out.write(f"<si><t>{escape(text)}</t></si>".encode())
                out.write(b"</sst>")


def child(path: str) -> None:
    """One import, in this process: prints its time, peak RSS and counts as JSON."""
    import django

    django.setup()
    from registry.importer import RegistryImporter

    started = time.monotonic()
    with open(path, "rb") as source:
        stats = RegistryImporter(
            file_name=Path(path).name, change_reason="bench: import of the registry"
        ).run(source)
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_mb = usage.ru_maxrss / 1024  # Linux: kB
    # The importing process's own CPU time: on a busy machine, wall time minus this is
    # waiting (for the CPU, or for PostgreSQL).
    cpu = usage.ru_utime + usage.ru_stime
    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "rss_mb": round(rss_mb),
                "cpu_seconds": round(cpu, 1),
                "created": stats.created,
                "updated": stats.updated,
                "unchanged": stats.unchanged,
                "set_aside": stats.skipped,
                "repeats": stats.repeats,
                "errors": stats.errors,
            }
        )
    )


def run_import(env: dict, path: Path) -> dict:
    result = subprocess.run(
        [PYTHON, __file__, "--child", str(path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("the import bench needs PostgreSQL: DATABASE_URL=postgres://...")

    url = database_url(args.database_url)
    ensure_database(url)
    env = environment(url)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    empty = (
        "from registry.models import Organisation, OrganisationMembership; "
        "OrganisationMembership.objects.all().delete(); "
        "Organisation.history.all().delete(); "
        "Organisation.objects.all()._raw_delete(Organisation.objects.db)"
    )
    subprocess.run([PYTHON, "manage.py", "shell", "-c", empty], cwd=ROOT, env=env, check=True)
    cache = ROOT / "bench" / ".cache"
    cache.mkdir(exist_ok=True)
    path = cache / f"RNPJFSP_asociatii_{args.rows}_v3.xlsx"
    if not path.exists():
        started = time.monotonic()
        generate(path, args.rows)
        print(f"generated {path.name} ({path.stat().st_size / 1e6:.1f} MB) in "
              f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip

    print(f"{'import':<8} {'seconds':>8} {'peak RSS':>9}  cpu  counts  verdict", flush=True)
    results = {}
    for label in ("first", "second"):
        row = run_import(env, path)
        target = TARGETS[label]
        ok = row["seconds"] < target["seconds"] and (
            target["rss_mb"] is None or row["rss_mb"] < target["rss_mb"]
        )
        counts = {k: row[k] for k in ("created", "updated", "unchanged", "set_aside", "errors")}
        goal = f"< {target['seconds']} s" + (
            f", < {target['rss_mb']} MB" if target["rss_mb"] else ""
        )
        cpu = row.get("cpu_seconds", "?")
        print(
            f"{label:<8} {row['seconds']:>8} {row['rss_mb']:>6} MB  cpu {cpu} s  {counts}  "
            f"{'met' if ok else 'MISSED'} ({goal})",
            flush=True,
        )
        results[label] = {**row, "ok": ok, "target": target}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "import-latest.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
