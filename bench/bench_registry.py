"""Speed of the civic registry with a registry of 100,000 organisations (issue 3).

- The organisation search page with a text query and two filters (county, domain), at two
  page sizes (the number of queries must not change with the page size).
- An organisation's page (one without seats, and one with).
- The public sector's pages: institutions, relationship officials and advisory
  structures (a list, a filtered list and a record's page each), and the domains.
- A coordinator's pages: the verification queue (two tabs), an organisation's page and
  history, the imports and the domains; an NGO administrator's organisations and members;
  an institution administrator's institutions and staff; the registry's forms.
- The home page, which runs no query: the floor of any page's time, for comparison.
- The full import of a generated 100,000-row National NGO Registry file, run as its own
  process (`manage.py import_ngo_registry`) so that its peak memory is its own; then the
  same file again (nothing to change). The organisations it created are removed after,
  so that the next run measures the same thing.

Each page is timed beside its bare SQL: the very queries the page ran (captured during a
first request), replayed on the same connection.
"""

import csv
import datetime
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from stdnum.ro import cui

from registry.models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    Organisation,
    RelationshipOfficial,
)

ROOT = Path(__file__).resolve().parent.parent
PAGE_TARGET_MS = 150
MAX_RATIO = 3
IMPORT_ROWS = 100_000
IMPORT_TARGET_MS = 120_000
IMPORT_MEMORY_MB = 500
FRAMEWORK_TABLES = ("django_session", "accounts_user", "account_emailaddress")
DECLARE = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(OUT)? HOLD FOR ')


def page_sql(bench, url, client=None) -> tuple[list[str], int]:
    """The SQL statements a page runs, for the bare SQL timing to replay one by one, and
    the number of queries of the page (captured on a second request, as the timing loop
    sees it). For an anonymous visitor, the framework's tables (session, user) are left
    out; a signed-in person's page keeps them: reading the session and the user is SQL
    that page needs."""
    client = client or bench.client
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    framework = () if client is not bench.client else FRAMEWORK_TABLES
    statements = [
        q["sql"]
        for q in ctx.captured_queries
        if not any(f'"{table}"' in q["sql"] for table in framework)
        and not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
    ]
    # A server-side cursor (QuerySet.iterator()) is replayed as its plain SELECT.
    statements = [DECLARE.sub("", s) for s in statements if not s.startswith(("FETCH", "CLOSE"))]
    return statements, len(ctx.captured_queries)


def measure_page(bench, name, url, client=None):
    sql, count = page_sql(bench, url, client)
    bench.page(name, url, sql=sql, target_ms=PAGE_TARGET_MS, max_ratio=MAX_RATIO, client=client)
    # run.py reads its query count after the timing loop, when each request has already
    # reset the log: record the count captured here instead.
    bench.results[-1]["queries"] = count
    print(f"    {count} queries", flush=True)


def run(bench):
    county = County.objects.get(vehicle_code="CJ")
    domain = Domain.objects.filter(is_active=True, slug="education").first() or (
        Domain.objects.filter(is_active=True).order_by("pk").first()
    )
    base = "/registry/organisations/"
    search = f"{base}?q=asociatia&county={county.code}&domain={domain.slug}"
    measure_page(bench, "organisations: search + county + domain (25)", search)
    measure_page(bench, "organisations: search + county + domain (100)", search + "&per_page=100")
    measure_page(bench, "organisations: text search only", f"{base}?q=educatie")
    measure_page(bench, "organisations: first page, no filter", base)

    organisation = (
        Organisation.objects.filter(status="verified", domains__isnull=False).order_by("pk").first()
    )
    measure_page(bench, "organisation detail", organisation.get_absolute_url())
    held = Organisation.objects.filter(status="verified", seats__isnull=False).order_by("pk")
    if (with_seats := held.first()) is not None:
        measure_page(bench, "organisation detail, with seats", with_seats.get_absolute_url())

    # The public sector (seed_demo builds a country's worth: ~3,300 institutions).
    institution = Institution.objects.filter(kind="ministry").order_by("pk").first()
    official = (
        RelationshipOfficial.objects.filter(consented_at__isnull=False, domains__isnull=False)
        .order_by("pk")
        .first()
    )
    structure = AdvisoryStructure.objects.filter(seats__isnull=False).order_by("pk").first()
    for name, url in [
        ("institutions: first page", "/registry/institutions/"),
        (
            "institutions: search + county",
            f"/registry/institutions/?q=primaria&county={county.code}",
        ),
        ("institution detail (a ministry)", institution.get_absolute_url()),
        ("officials: first page", "/registry/officials/"),
        ("officials: county", f"/registry/officials/?county={county.code}"),
        ("official detail", official.get_absolute_url()),
        ("advisory structures: first page", "/registry/structures/"),
        ("advisory structures: county level", "/registry/structures/?level=county"),
        ("advisory structure detail", structure.get_absolute_url()),
    ]:
        measure_page(bench, name, url)
    # A coordinator's pages: the verification queue (about 5,000 pending organisations,
    # many sharing a name) and an organisation's page with who created and changed it.
    coordinator = coordinator_client()
    queue = "/registry/organisations/verification/"
    measure_page(bench, "coordinator: verification queue", queue, coordinator)
    suspended = f"{queue}?status=suspended&page=3"
    measure_page(bench, "coordinator: queue, suspended, page 3", suspended, coordinator)
    measure_page(
        bench, "coordinator: organisation detail", organisation.get_absolute_url(), coordinator
    )
    signed_in_pages(bench, organisation, institution)
    form_pages(bench, institution)
    # Reference data only (the snapshot) and counts cached: no query, like the home page.
    bench.page("domains of activity (no query)", "/registry/domains/", target_ms=PAGE_TARGET_MS)
    # For comparison: what any page of the site costs before it runs a query (middleware,
    # the layout and its navigation), the floor under every ratio above.
    bench.page("floor: the home page, anonymous (no query)", "/")

    bench_import(bench)


def signed_in_pages(bench, organisation, institution):
    """The registry pages of the people who keep it: a coordinator (an organisation's
    history, the imports), an NGO's administrator (their organisations, the members) and
    an institution's administrator (their institutions, the staff). Their bare SQL keeps
    the session, the user and the roles the navigation's rules read: SQL those pages need.
    A page whose only SQL is that (the domains, as a coordinator sees them with their edit
    links) is held to the time target only, like the anonymous domains page."""
    coordinator = coordinator_client()
    measure_page(
        bench,
        "coordinator: organisation history",
        f"/registry/organisations/{organisation.pk}/history/",
        coordinator,
    )
    bench_import_jobs(30)
    measure_page(bench, "coordinator: imports", "/registry/imports/", coordinator)
    bench.page(
        "coordinator: domains (no registry query)",
        "/registry/domains/",
        target_ms=PAGE_TARGET_MS,
        client=coordinator,
    )
    ngo_admin, own = ngo_admin_client()
    measure_page(bench, "NGO admin: my organisations", "/registry/organisations/mine/", ngo_admin)
    measure_page(
        bench, "NGO admin: members", f"/registry/organisations/{own.pk}/members/", ngo_admin
    )
    servant = institution_admin_client(institution)
    measure_page(
        bench, "institution admin: my institutions", "/registry/institutions/mine/", servant
    )
    measure_page(
        bench,
        "institution admin: staff",
        f"/registry/institutions/{institution.pk}/staff/",
        servant,
    )


def form_pages(bench, institution):
    """The registry's forms, as their editors open them: an organisation's profile, an
    institution's (its parent chosen among every institution), a new relationship official
    (domains and counties), an advisory structure's, a seat (its official chosen among every
    published official) and a call for members. A form whose only SQL is the session, the
    user and the roles (a new domain, the upload of a registry file) is held to the time
    target only."""
    ngo_admin, own = ngo_admin_client()
    servant = institution_admin_client(institution)
    coordinator = coordinator_client()
    structure = AdvisoryStructure.objects.filter(institution=institution).order_by("pk").first()
    pages = [
        ("form: organisation profile", f"/registry/organisations/{own.pk}/edit/", ngo_admin),
        ("form: institution", f"/registry/institutions/{institution.pk}/edit/", servant),
        (
            "form: new relationship official",
            f"/registry/institutions/{institution.pk}/officials/new/",
            servant,
        ),
    ]
    if structure is not None:
        pages += [
            ("form: advisory structure", f"/registry/structures/{structure.pk}/edit/", servant),
            ("form: new seat", f"/registry/structures/{structure.pk}/seats/new/", servant),
            (
                "form: new call for members",
                f"/registry/structures/{structure.pk}/calls/new/",
                servant,
            ),
        ]
    for name, url, client in pages:
        measure_page(bench, name, url, client)
    for name, url in [
        ("form: new domain (no registry query)", "/registry/domains/new/"),
        ("form: registry file upload (no registry query)", "/registry/imports/upload/"),
    ]:
        bench.page(name, url, target_ms=PAGE_TARGET_MS, client=coordinator)


def bench_import_jobs(count: int) -> None:
    """Finished imports by the bench's coordinator, so that the imports page shows a full
    page (made once)."""
    from django.contrib.auth import get_user_model

    from registry.models import ImportJob

    made = ImportJob.objects.filter(original_name__startswith="bench-").count()
    if made >= count:
        return
    uploader = get_user_model().objects.get(email="coordinator@bench.conect.demo")
    ImportJob.objects.bulk_create(
        ImportJob(
            original_name=f"bench-{index}.csv",
            status=ImportJob.Status.SUCCEEDED,
            created_by=uploader,
            total_rows=100_000,
            processed_rows=100_000,
            created_count=index,
        )
        for index in range(made, count)
    )


def _client(user):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    client.force_login(user)
    return client


def ngo_admin_client():
    """A test client signed in as the administrator of the first verified organisation
    that has one (seed_demo's members), and that organisation."""
    from registry.models import OrganisationMembership

    membership = (
        OrganisationMembership.objects.filter(role="admin", organisation__status="verified")
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    return _client(membership.user), membership.organisation


def institution_admin_client(institution):
    """A test client signed in as an approved administrator of `institution`, with three
    colleagues (made once: seed_demo makes no staff)."""
    from django.contrib.auth import get_user_model

    from registry.models import InstitutionStaff

    users = get_user_model().objects
    admin, _created = users.get_or_create(
        email="functionar@bench.conect.demo",
        defaults={"name": "Funcționar Bench", "preferred_language": "ro"},
    )
    for index, user in enumerate(
        [admin]
        + [
            users.get_or_create(
                email=f"coleg{n}@bench.conect.demo", defaults={"name": f"Coleg {n}"}
            )[0]
            for n in range(3)
        ]
    ):
        InstitutionStaff.objects.get_or_create(
            institution=institution,
            user=user,
            defaults={
                "position": "Consilier",
                "status": InstitutionStaff.Status.APPROVED,
                "role": InstitutionStaff.Role.ADMIN if index == 0 else InstitutionStaff.Role.MEMBER,
            },
        )
    return _client(admin)


def coordinator_client():
    """A test client signed in as a coordinator of the bench (made once)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _created = get_user_model().objects.get_or_create(
        email="coordinator@bench.conect.demo",
        defaults={"name": "Coordonator Bench", "is_coordinator": True, "preferred_language": "ro"},
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    client.force_login(user)
    return client


# --- The import ----------------------------------------------------------------


def write_registry_file(path: Path, rows: int, *, seed: int = 7) -> int:
    """A registry file with the Ministry's layout, cedilla diacritics, every county
    spelling and about 0.5% broken rows; returns the number of rows meant to fail."""
    rng = random.Random(seed)
    counties = list(County.objects.values_list("name", "vehicle_code", "population"))
    weights = [population for *_rest, population in counties]
    forms = [("Asociaţia", "A"), ("Fundaţia", "B"), ("Federaţia", "C"), ("Uniunea", "D")]
    themes = [
        "Prietenii Naturii", "Sprijin pentru Vârstnici", "Tinerilor din Şcoli",
        "Pescarilor Sportivi", "Ţara Bârsei", "Educaţie pentru Toţi", "Medicilor Rezidenţi",
    ]  # fmt: skip
    broken = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            [
                "Nr. crt.", "Denumire", "Numar inreg Reg National", "Cod fiscal",
                "Data inregistrarii", "Starea actuala", "Tara", "Judet", "Localitate",
                "Adresa", "Scopul initial", "Modificari ale scopului 1", "HG utilitate publica",
            ]
        )  # fmt: skip
        for i in range(rows):
            prefix, part = rng.choices(forms, (85, 11, 2, 2))[0]
            name, vehicle, _population = rng.choices(counties, weights)[0]
            if vehicle == "B":
                name = rng.choice(["Municipiul Bucureşti", "Bucuresti", f"Sector {i % 6 + 1}"])
            code_base = str(50_000_000 + i * 7)
            code = code_base + cui.calc_check_digit(code_base)
            if i % 200 == 199:
                code = code[:-1] + str((int(code[-1]) + 1) % 10)  # a wrong control digit
                broken += 1
            year = rng.randint(1991, 2024)
            writer.writerow(
                [
                    i + 1,
                    f"{prefix} {rng.choice(themes)} {i}",
                    f"{500_000 + i}/{part}/{year}",
                    code,
                    datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)).strftime(
                        "%d.%m.%Y"
                    ),
                    "radiata" if i % 97 == 0 else "",
                    "România",
                    name,
                    "Localitatea " + str(i % 300),
                    f"Str. Principală nr. {i % 150}",
                    "Sprijinirea comunităţii locale prin proiecte şi voluntariat.",
                    "" if i % 3 else "Educaţie civică.",
                    "",
                ]
            )
    return broken


def _run_import(path: Path, report: Path, extra: dict) -> None:
    """Run the command in its own process; its peak memory (MB) and summary go in `extra`."""
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "import_ngo_registry",
        str(path),
        "--no-progress",
        "--language",
        "en",
        "--error-report",
        str(report),
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    # The largest resident size of the children waited for: the import process (a second
    # run reports the larger of the two).
    extra["peak_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    print(f"    {done.stdout.strip().splitlines()[0]}", flush=True)


def bench_import(bench):
    last_id = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registru-national-ong.csv"
        broken = write_registry_file(path, IMPORT_ROWS)
        size_mb = path.stat().st_size / 1024 / 1024
        try:
            first = {"expected_errors": broken}
            bench.timed(
                f"import {IMPORT_ROWS:,} rows ({size_mb:.0f} MB CSV, new organisations)",
                lambda: _run_import(path, Path(tmp) / "errors.csv", first),
                target_ms=IMPORT_TARGET_MS,
                extra=first,
            )
            if first["peak_mb"] > IMPORT_MEMORY_MB:
                bench.results[-1]["ok"] = False
                print(f"    MISSED: peak memory over {IMPORT_MEMORY_MB} MB", flush=True)
            again = {}
            bench.timed(
                f"import {IMPORT_ROWS:,} rows again (nothing to change)",
                lambda: _run_import(path, Path(tmp) / "errors.csv", again),
                target_ms=IMPORT_TARGET_MS,
                extra=again,
            )
        finally:
            _remove_imported(last_id)


def _remove_imported(last_id: int) -> None:
    """Remove what the benchmark imported (raw SQL: 100,000 deletions one by one, with
    their history, would take longer than the import)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM registry_organisation_domains WHERE organisation_id > %s", [last_id]
        )
        cursor.execute("DELETE FROM registry_historicalorganisation WHERE id > %s", [last_id])
        cursor.execute("DELETE FROM registry_organisation WHERE id > %s", [last_id])
        # Without this the pages that count would scan 100,000 dead rows afterwards.
        cursor.execute("VACUUM ANALYZE registry_organisation")
        cursor.execute("VACUUM ANALYZE registry_historicalorganisation")
