"""Demo data. Safe to run again.

`seed_demo`: a small demo set for `make run`: users of every role (their passwords are
printed once, when they are created), NGOs in each state with their members, institutions
with their staff, relationship officials, advisory structures with seats and an open call.

`seed_demo --organisations N`: a realistic registry of N organisations for `make bench`
(names of Romanian NGOs, the 42 counties weighted by population, domains, members,
statuses mostly verified or imported), written in bulk. Nothing is done when the registry
already has N organisations.
"""

import datetime
import random
import secrets
import time

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from stdnum.ro import cui

from conect.accounts.models import User
from conect.core.text import fold
from guide.demo import seed_guide_demo
from registry.importer import copy_organisations, copy_rows, organisation_defaults
from registry.models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    InstitutionStaff,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
    Seat,
)
from registry.search import update_organisation_vectors
from registry.stats import bump_stats_version

DEMO_DOMAIN = "conect.demo"

# (e-mail, name, extra fields). The roles come from the objects made below.
DEMO_USERS = [
    ("coordonator@conect.demo", "Ioana Coordonator", {"is_coordinator": True}),
    ("cetatean@conect.demo", "Ion Cetățean", {}),
    ("ong.admin@conect.demo", "Andreea Popescu", {}),
    ("ong.membru@conect.demo", "Mihai Ionescu", {}),
    ("ong.nou@conect.demo", "Cristina Dumitrescu", {}),
    ("functionar@conect.demo", "Elena Stan", {}),
    ("institutie.admin@conect.demo", "Radu Constantinescu", {}),
    ("prefectura@conect.demo", "Gabriela Mureșan", {}),
]

# Used only when the domains' data migration has not run (a fresh test database does).
FALLBACK_DOMAINS = [
    ("education", "Educație", "Education"),
    ("health", "Sănătate", "Health"),
    ("social-services", "Servicii sociale", "Social services"),
    ("environment", "Mediu și schimbări climatice", "Environment and climate change"),
    ("culture", "Cultură și patrimoniu", "Culture and heritage"),
    ("human-rights", "Drepturile omului", "Human rights"),
    ("youth", "Tineret", "Youth"),
    ("sport", "Sport", "Sport"),
]

# Demo NGOs: (fiscal code base without its control digit, name, legal form, county vehicle
# code, locality, status, domain slugs).
DEMO_ORGANISATIONS = [
    (
        "3512004",
        "Asociația Educație Deschisă",
        "association",
        "CJ",
        "Cluj-Napoca",
        "verified",
        ["education", "youth"],
    ),
    (
        "3388106",
        "Fundația Sănătate pentru Toți",
        "foundation",
        "B",
        "București",
        "verified",
        ["health", "social-services"],
    ),
    ("4120917", "Asociația Tinerilor din Iași", "association", "IS", "Iași", "pending", ["youth"]),
    (
        "2870453",
        "Asociația Culturală „Dunărea de Jos”",
        "association",
        "GL",
        "Galați",
        "imported",
        ["culture"],
    ),
    (
        "3001528",
        "Federația Organizațiilor de Mediu",
        "federation",
        "B",
        "București",
        "imported",
        ["environment"],
    ),
]

# County seats, for realistic localities.
COUNTY_SEATS = {
    "AB": "Alba Iulia", "AR": "Arad", "AG": "Pitești", "BC": "Bacău", "BH": "Oradea",
    "BN": "Bistrița", "BT": "Botoșani", "BV": "Brașov", "BR": "Brăila", "B": "București",
    "BZ": "Buzău", "CS": "Reșița", "CL": "Călărași", "CJ": "Cluj-Napoca", "CT": "Constanța",
    "CV": "Sfântu Gheorghe", "DB": "Târgoviște", "DJ": "Craiova", "GL": "Galați",
    "GR": "Giurgiu", "GJ": "Târgu Jiu", "HR": "Miercurea Ciuc", "HD": "Deva",
    "IL": "Slobozia", "IS": "Iași", "IF": "Buftea", "MM": "Baia Mare",
    "MH": "Drobeta-Turnu Severin", "MS": "Târgu Mureș", "NT": "Piatra Neamț", "OT": "Slatina",
    "PH": "Ploiești", "SM": "Satu Mare", "SJ": "Zalău", "SB": "Sibiu", "SV": "Suceava",
    "TR": "Alexandria", "TM": "Timișoara", "TL": "Tulcea", "VS": "Vaslui",
    "VL": "Râmnicu Vâlcea", "VN": "Focșani",
}  # fmt: skip

VILLAGES = [
    "Ciurila", "Florești", "Valea Seacă", "Poiana", "Dumbrava", "Vădeni", "Lunca",
    "Izvoarele", "Mihăilești", "Sâncraiu", "Bărbătești", "Țânțăreni", "Șelimbăr", "Vișina",
]  # fmt: skip

# Legal form → (name prefixes with their weights, part of the national register).
NAME_PREFIXES = [
    ("association", "Asociația", 70),
    ("association", "Clubul Sportiv", 6),
    ("association", "Asociația Părinților", 3),
    ("foundation", "Fundația", 14),
    ("federation", "Federația", 4),
    ("union", "Uniunea", 3),
]
REGISTRY_PARTS = {"association": "A", "foundation": "B", "federation": "C", "union": "D"}

THEMES = [
    ("pentru Educație și Dezvoltare", "education"),
    ("Salvați Natura", "environment"),
    ("de Sprijin Social", "social-services"),
    ("Tinerilor Activi", "youth"),
    ("Pensionarilor", "elderly"),
    ("Femeilor Antreprenoare", "gender-equality"),
    ("pentru Protecția Animalelor", "environment"),
    ("de Dezvoltare Comunitară", "community-development"),
    ("Sănătate și Viață", "health"),
    ("pentru Apărarea Drepturilor Omului", "human-rights"),
    ("Vânătorilor și Pescarilor Sportivi", "sport"),
    ("Crescătorilor de Animale", "agriculture-rural-development"),
    ("Romilor", "human-rights"),
    ("Veteranilor de Război", "social-services"),
    ("Iubitorilor de Carte", "culture"),
    ("pentru Cultură și Tradiții", "culture"),
    ("Persoanelor cu Dizabilități", "people-with-disabilities"),
    ("pentru Copii și Familie", "children"),
    ("de Cercetare și Inovare", "research"),
    ("pentru Transparență și Bună Guvernare", "anti-corruption-good-governance"),
    ("Consumatorilor", "consumer-protection"),
    ("de Fotbal", "sport"),
    ("Medicilor de Familie", "health"),
    ("Apicultorilor", "agriculture-rural-development"),
]
PATRONS = [
    "„Speranța”", "„Lumina”", "„Mihai Eminescu”", "„Sfântul Nicolae”", "„Izvorul”",
    "„Șansa ta”", "„Țara Fagilor”", "„Ștefan cel Mare”", "„Pro Vita”", "„Împreună”",
    "„Casa Noastră”", "„Dacia”", "„Viitorul”", "„Acasă”", "„Prietenii Naturii”",
]  # fmt: skip

STATUS_WEIGHTS = [
    ("verified", 55),
    ("imported", 35),
    ("pending", 5),
    ("suspended", 3),
    ("rejected", 2),
]
BATCH = 5000

# The public sector of `seed_demo --organisations N` (build_public_sector).
CITY_HALLS = 3180  # communes, towns and cities, shared among counties by population
MINISTRIES = [
    "Ministerul Educației", "Ministerul Sănătății", "Ministerul Muncii și Solidarității Sociale",
    "Ministerul Mediului, Apelor și Pădurilor", "Ministerul Culturii", "Ministerul Justiției",
    "Ministerul Familiei, Tineretului și Egalității de Șanse", "Ministerul Finanțelor",
    "Ministerul Afacerilor Interne", "Ministerul Agriculturii și Dezvoltării Rurale",
    "Ministerul Dezvoltării, Lucrărilor Publice și Administrației", "Ministerul Energiei",
    "Ministerul Transporturilor și Infrastructurii", "Ministerul Sportului",
    "Ministerul Investițiilor și Proiectelor Europene", "Ministerul Afacerilor Externe",
    "Ministerul Economiei, Digitalizării, Antreprenoriatului și Turismului",
    "Ministerul Apărării Naționale",
]  # fmt: skip
AGENCIES = [
    "Agenția Națională: {}", "Autoritatea Națională: {}", "Oficiul Național: {}",
    "Inspectoratul General: {}", "Institutul Național: {}",
]  # fmt: skip
FIRST_NAMES = [
    "Ana", "Maria", "Elena", "Ioana", "Andreea", "Cristina", "Mihaela", "Alexandru", "Andrei",
    "Ion", "Mihai", "Gheorghe", "Ștefan", "Radu", "Florin", "Oana", "Bogdan", "Irina",
]  # fmt: skip
LAST_NAMES = [
    "Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe",
    "Matei", "Ciobanu", "Rusu", "Munteanu", "Constantin", "Țurcanu", "Șerban", "Lazăr",
]  # fmt: skip
POSITIONS = [
    "Consilier pentru relația cu societatea civilă", "Purtător de cuvânt",
    "Șef serviciu comunicare și relații publice", "Consilier superior",
]  # fmt: skip
STRUCTURE_KINDS = [
    ("council", "Consiliul Consultativ"), ("committee", "Comisia de Dialog Civic"),
    ("working_group", "Grupul de Lucru"), ("social_dialogue", "Comisia de Dialog Social"),
]  # fmt: skip


def fiscal_code(base: int) -> str:
    digits = str(base)
    return digits + cui.calc_check_digit(digits)


class Command(BaseCommand):
    help = (
        "Load demo data: users of every role, NGOs, institutions, officials and advisory "
        "structures (passwords printed once). With --organisations N, a registry of N "
        "organisations for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations",
            type=int,
            default=0,
            help="build a realistic registry of this many organisations (for `make bench`)",
        )
        parser.add_argument("--seed", type=int, default=20250101, help="random seed")
        parser.add_argument(
            "--country",
            type=int,
            default=0,
            help=(
                "with the demo set, top the registry up to this many organisations, spread "
                "by county population (`make demo` asks for 3000)"
            ),
        )

    def handle(self, *args, **options):
        if options["organisations"] < 0:
            raise CommandError("--organisations must be 0 or more.")
        if options["organisations"]:
            self.build_registry(options["organisations"], seed=options["seed"])
        else:
            self.demo_set()
            if options["country"]:
                self.build_organisations(options["country"], seed=options["seed"])

    # --- The small demo set ---------------------------------------------------

    @transaction.atomic
    def demo_set(self):
        created_users = []
        users = {}
        existing = {u.email: u for u in User.objects.filter(email__in=[e for e, *_ in DEMO_USERS])}
        for email, name, extra in DEMO_USERS:
            user = existing.get(email)
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(email=email, password=password, name=name, **extra)
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                created_users.append((email, password))
            users[email] = user

        if (
            not created_users
            and Organisation.objects.filter(
                fiscal_code=fiscal_code(int(DEMO_ORGANISATIONS[0][0]))
            ).exists()
        ):
            self.stdout.write(
                "Demo data already loaded; the demo accounts exist (their passwords were "
                "shown when they were created)."
            )
            return

        domains = self.ensure_domains()
        counties = {c.vehicle_code: c for c in County.objects.all()}
        now = timezone.now()
        coordinator = users["coordonator@conect.demo"]

        orgs = {}
        for base, name, form, county, locality, status, slugs in DEMO_ORGANISATIONS:
            org, created = Organisation.objects.get_or_create(
                fiscal_code=fiscal_code(int(base)),
                defaults={
                    "name": name,
                    "legal_form": form,
                    "county": counties[county],
                    "locality": locality,
                    "status": status,
                    "status_changed_at": now,
                    "status_changed_by": coordinator if status == "verified" else None,
                    "search_name": fold(name),
                    "description": f"<p>{name} lucrează în {locality} din 2010.</p>",
                },
            )
            if created:
                org.domains.set([domains[s] for s in slugs if s in domains])
            orgs[name] = org
        update_organisation_vectors([o.pk for o in orgs.values()])

        education = orgs["Asociația Educație Deschisă"]
        memberships = [
            (education, users["ong.admin@conect.demo"], "admin"),
            (education, users["ong.membru@conect.demo"], "member"),
            (orgs["Fundația Sănătate pentru Toți"], users["ong.admin@conect.demo"], "member"),
            (orgs["Asociația Tinerilor din Iași"], users["ong.nou@conect.demo"], "admin"),
        ]
        for org, user, role in memberships:
            OrganisationMembership.objects.get_or_create(
                organisation=org, user=user, defaults={"role": role}
            )

        institutions = self.demo_institutions(counties)
        ministry, prefecture = institutions["ministry"], institutions["prefecture"]
        staff = [
            (ministry, users["functionar@conect.demo"], "member", "consilier"),
            (ministry, users["institutie.admin@conect.demo"], "admin", "director"),
            (prefecture, users["prefectura@conect.demo"], "admin", "subprefect"),
        ]
        for institution, user, role, position in staff:
            InstitutionStaff.objects.get_or_create(
                institution=institution,
                user=user,
                defaults={
                    "role": role,
                    "position": position,
                    "status": InstitutionStaff.Status.APPROVED,
                    "decided_at": now,
                    "decided_by": coordinator,
                },
            )

        officials = self.demo_officials(institutions, domains, counties, users, now)
        self.demo_structures(institutions, orgs, officials, domains, counties, users, now)
        # Consultations in every state, with recommendations, moderation and a synthesis.
        from consultations.demo import load_demo

        load_demo(
            institution=ministry,
            staff=users["functionar@conect.demo"],
            people=[
                users[email]
                for email in (
                    "cetatean@conect.demo",
                    "ong.admin@conect.demo",
                    "ong.membru@conect.demo",
                    "ong.nou@conect.demo",
                )
            ],
            organisations=list(orgs.values()),
        )
        bump_stats_version()

        if created_users:
            self.stdout.write("Demo accounts (the passwords are shown only this once):")
            for email, password in created_users:
                self.stdout.write(f"  {email}  {password}")
        seed_guide_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def ensure_domains(self) -> dict[str, Domain]:
        if not Domain.objects.exists():
            Domain.objects.bulk_create(
                [Domain(slug=s, name_ro=ro, name_en=en) for s, ro, en in FALLBACK_DOMAINS]
            )
        return {d.slug: d for d in Domain.objects.filter(is_active=True)}

    def demo_institutions(self, counties) -> dict[str, Institution]:
        cluj = counties["CJ"]
        specs = {
            "ministry": ("Ministerul Educației", "ministry", "central", None),
            "prefecture": ("Instituția Prefectului Județului Cluj", "prefecture", "county", cluj),
            "county_council": ("Consiliul Județean Cluj", "county_council", "county", cluj),
            "city_hall": ("Primăria Municipiului Cluj-Napoca", "city_hall", "local", cluj),
        }
        institutions = {}
        for key, (name, kind, level, county) in specs.items():
            institutions[key], _created = Institution.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "level": level,
                    "county": county,
                    "search_name": fold(name),
                    "website": "https://www.gov.ro/",
                },
            )
        return institutions

    def demo_officials(self, institutions, domains, counties, users, now):
        specs = [
            ("ministry", "Mihaela Georgescu", "consilier pentru relația cu societatea civilă",
             "societate.civila@edu.demo.gov.ro", ["education", "youth"], [], None),
            ("prefecture", "Dan Pop", "expert în relația cu organizațiile neguvernamentale",
             "ong@prefecturacluj.demo.gov.ro", ["social-services"], ["CJ"],
             users["prefectura@conect.demo"]),
            ("city_hall", "Ana Rusu", "consilier pentru consultare publică",
             "consultare@primariaclujnapoca.demo.ro", ["community-development"], ["CJ"], None),
        ]  # fmt: skip
        officials = {}
        for key, name, position, email, slugs, county_codes, user in specs:
            official, created = RelationshipOfficial.objects.get_or_create(
                institution=institutions[key],
                email=email,
                defaults={
                    "name": name,
                    "position": position,
                    "phone": "+40 264 000 000",
                    "user": user,
                    "consent_requested_at": now,
                    "consented_at": now,
                    "search_name": fold(name),
                },
            )
            if created:
                official.domains.set([domains[s] for s in slugs if s in domains])
                official.counties.set([counties[c] for c in county_codes])
            officials[key] = official
        return officials

    def demo_structures(self, institutions, orgs, officials, domains, counties, users, now):
        today = timezone.localdate()
        council, created = AdvisoryStructure.objects.get_or_create(
            institution=institutions["ministry"],
            name="Consiliul consultativ pentru educație al Ministerului Educației",
            defaults={
                "kind": AdvisoryStructure.Kind.COUNCIL,
                "legal_basis": "Ordinul ministrului educației nr. 1234/2023",
                "territorial_level": AdvisoryStructure.TerritorialLevel.NATIONAL,
                "description": "<p>Consultă organizațiile din educație asupra proiectelor de "
                "acte normative.</p>",
                "search_name": fold("Consiliul consultativ pentru educație"),
            },
        )
        if created:
            council.domains.set([domains[s] for s in ("education", "youth") if s in domains])
            Seat.objects.bulk_create(
                [
                    Seat(
                        structure=council,
                        official=officials["ministry"],
                        role=Seat.Role.PRESIDENT,
                        mandate_start=today - datetime.timedelta(days=365),
                    ),
                    Seat(
                        structure=council,
                        organisation=orgs["Asociația Educație Deschisă"],
                        role=Seat.Role.MEMBER,
                        mandate_start=today - datetime.timedelta(days=200),
                        mandate_end=today + datetime.timedelta(days=530),
                    ),
                ]
            )
            MembershipCall.objects.create(
                structure=council,
                title="Apel pentru doi membri noi ai consiliului consultativ",
                description="<p>Pot candida organizațiile verificate care lucrează în "
                "educație.</p>",
                seats_available=2,
                opens_on=today - datetime.timedelta(days=7),
                closes_on=today + datetime.timedelta(days=30),
                created_by=users["institutie.admin@conect.demo"],
            )
        dialogue, created = AdvisoryStructure.objects.get_or_create(
            institution=institutions["prefecture"],
            name="Comisia de dialog social a județului Cluj",
            defaults={
                "kind": AdvisoryStructure.Kind.SOCIAL_DIALOGUE,
                "legal_basis": "Legea nr. 367/2022 a dialogului social",
                "territorial_level": AdvisoryStructure.TerritorialLevel.COUNTY,
                "county": counties["CJ"],
                "region": counties["CJ"].region,
                "search_name": fold("Comisia de dialog social a județului Cluj"),
            },
        )
        if created:
            Seat.objects.bulk_create(
                [
                    Seat(
                        structure=dialogue,
                        official=officials["prefecture"],
                        role=Seat.Role.PRESIDENT,
                        mandate_start=today - datetime.timedelta(days=100),
                    ),
                    Seat(
                        structure=dialogue,
                        organisation=orgs["Fundația Sănătate pentru Toți"],
                        role=Seat.Role.SECRETARY,
                        mandate_start=today - datetime.timedelta(days=100),
                    ),
                ]
            )

    # --- The large registry ----------------------------------------------------

    def build_registry(self, wanted: int, *, seed: int):
        self.build_organisations(wanted, seed=seed)
        self.build_public_sector(seed=seed)

    def build_organisations(self, wanted: int, *, seed: int):
        started = time.monotonic()
        existing = Organisation.objects.count()
        if existing >= wanted:
            self.stdout.write(f"The registry already has {existing:,} organisations.")
            return
        need = wanted - existing
        self.stdout.write(f"Building {need:,} organisations…")
        rng = random.Random(seed + existing)
        with transaction.atomic():
            domains = self.ensure_domains()
            org_ids = self._bulk_organisations(need, rng)
            self._bulk_domains(org_ids, domains, rng)
            members = self._bulk_members(org_ids, rng)
        if connection.vendor == "postgresql":
            # Fresh statistics, so that the planner knows the registry's real size.
            with connection.cursor() as cursor:
                for model in (Organisation, Organisation.domains.through, User):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        bump_stats_version()
        self.stdout.write(
            self.style.SUCCESS(
                f"{need:,} organisations and {members:,} members created in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    def _bulk_organisations(self, need: int, rng: random.Random) -> list[tuple[int, str]]:
        counties = list(County.objects.only("pk", "vehicle_code", "population"))
        weights = [c.population for c in counties]
        taken_codes = set(Organisation.objects.values_list("fiscal_code", flat=True))
        taken_numbers = set(
            Organisation.objects.exclude(registry_number="").values_list(
                "registry_number", flat=True
            )
        )
        forms = [(form, prefix) for form, prefix, _w in NAME_PREFIXES]
        form_weights = [w for *_rest, w in NAME_PREFIXES]
        statuses = [s for s, _w in STATUS_WEIGHTS]
        status_weights = [w for _s, w in STATUS_WEIGHTS]
        now = timezone.now()
        next_code = 10_000_000 + rng.randrange(1_000_000)
        next_number = 1

        defaults = organisation_defaults()
        created: list[tuple[int, str]] = []
        batch: list[dict] = []
        for _index in range(need):
            form, prefix = rng.choices(forms, form_weights)[0]
            theme, _slug = rng.choice(THEMES)
            county = rng.choices(counties, weights)[0]
            seat = COUNTY_SEATS.get(county.vehicle_code, "")
            locality = seat if rng.random() < 0.7 else f"Comuna {rng.choice(VILLAGES)}"
            parts = [prefix, theme]
            if rng.random() < 0.4:
                parts.append(rng.choice(PATRONS))
            if rng.random() < 0.5:
                parts.append(f"{'din' if rng.random() < 0.5 else 'Filiala'} {locality}")
            name = " ".join(parts)
            while (code := fiscal_code(next_code)) in taken_codes:
                next_code += 1
            next_code += rng.randint(1, 40)
            year = rng.randint(1990, 2025)
            while (number := f"{next_number}/{REGISTRY_PARTS[form]}/{year}") in taken_numbers:
                next_number += 1
            next_number += 1
            status = rng.choices(statuses, status_weights)[0]
            created_at = now - datetime.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            batch.append(
                {
                    **defaults,
                    "name": name,
                    "legal_form": form,
                    "fiscal_code": code,
                    "registry_number": number,
                    "registration_date": datetime.date(
                        year, rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    "county_id": county.pk,
                    "locality": locality,
                    "address": f"Str. {rng.choice(VILLAGES)} nr. {rng.randint(1, 200)}",
                    "description": (
                        f"<p>{name} își desfășoară activitatea în {locality}: proiecte, "
                        "voluntariat și consultare publică.</p>"
                        if rng.random() < 0.7
                        else ""
                    ),
                    "status": status,
                    "status_changed_at": created_at,
                    "verified_at": created_at if status in ("verified", "suspended") else None,
                    "search_name": fold(name),
                    "created_at": created_at,
                    "updated_at": created_at,
                }
            )
            if len(batch) >= BATCH:
                created += self._save_organisations(batch)
                batch = []
        if batch:
            created += self._save_organisations(batch)
        return created

    def _save_organisations(self, batch: list[dict]) -> list[tuple[int, str]]:
        """Save a batch of organisations (dicts of every column); their (id, status)."""
        if connection.vendor == "postgresql":
            # COPY, with the search vectors computed as the rows are inserted.
            copy_organisations(batch)
            ids = dict(
                Organisation.objects.filter(
                    fiscal_code__in=[row["fiscal_code"] for row in batch]
                ).values_list("fiscal_code", "pk")
            )
            return [(ids[row["fiscal_code"]], row["status"]) for row in batch]
        objs = Organisation.objects.bulk_create(
            [Organisation(**row) for row in batch], batch_size=BATCH
        )
        return [(o.pk, o.status) for o in objs]

    @staticmethod
    def _insert(model, rows: list[dict]) -> None:
        """Rows of a model without a history, by COPY on PostgreSQL."""
        if not rows:
            return
        if connection.vendor == "postgresql":
            columns = list(rows[0])
            copy_rows(model._meta.db_table, columns, ([r[c] for c in columns] for r in rows))
        else:
            model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)

    def _bulk_domains(self, org_ids, domains, rng: random.Random) -> None:
        through = Organisation.domains.through
        domain_ids = [d.pk for d in domains.values()]
        links = []
        for org_id, _status in org_ids:
            for domain_id in rng.sample(domain_ids, rng.choice((1, 1, 2, 2, 3))):
                links.append({"organisation_id": org_id, "domain_id": domain_id})
            if len(links) >= BATCH:
                self._insert(through, links)
                links = []
        self._insert(through, links)

    def _bulk_members(self, org_ids, rng: random.Random) -> int:
        """An admin for each organisation that acts on the platform, and a member for some.

        The accounts cannot sign in (no usable password): they only give the registry its
        real shape."""
        acting = [pk for pk, status in org_ids if status in ("verified", "pending", "suspended")]
        unusable = make_password(None)
        now = timezone.now()
        user_defaults = {
            f.attname: f.get_default() for f in User._meta.concrete_fields if not f.primary_key
        }
        first = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        total = 0
        for start in range(0, len(acting), BATCH):
            chunk = acting[start : start + BATCH]
            users, roles = [], []
            for org_id in chunk:
                people = [OrganisationMembership.Role.ADMIN]
                if rng.random() < 0.3:
                    people.append(OrganisationMembership.Role.MEMBER)
                for role in people:
                    serial = first + total + len(users) + 1
                    users.append(
                        {
                            **user_defaults,
                            "email": f"membru{serial}@ong.bench.{DEMO_DOMAIN}",
                            "name": f"Membru {serial}",
                            "password": unusable,
                            "date_joined": now,
                        }
                    )
                    roles.append((org_id, role))
            self._insert(User, users)
            ids = dict(
                User.objects.filter(email__in=[u["email"] for u in users]).values_list(
                    "email", "pk"
                )
            )
            self._insert(
                OrganisationMembership,
                [
                    {
                        "organisation_id": org_id,
                        "user_id": ids[user["email"]],
                        "role": role,
                        "created_at": now,
                    }
                    for user, (org_id, role) in zip(users, roles, strict=True)
                ],
            )
            total += len(users)
        return total

    # --- The public sector, at the country's scale ------------------------------

    def build_public_sector(self, *, seed: int):
        """The institutions of a country (ministries and their agencies, a prefecture and a
        county council per county, a city hall per commune and town: about 3,200), a
        relationship official for most of them, and their advisory structures with seats
        held by organisations and officials. Run once: skipped when the registry has every
        ministry (the small demo set has two)."""
        ministries = Institution.objects.filter(kind=Institution.Kind.MINISTRY).count()
        if ministries >= len(MINISTRIES):
            existing = Institution.objects.count()
            self.stdout.write(f"The registry already has {existing:,} institutions.")
            return
        started = time.monotonic()
        rng = random.Random(seed + 1)
        with transaction.atomic():
            institutions = self._bulk_institutions(rng)
            officials = self._bulk_officials(institutions, rng)
            structures, seats = self._bulk_structures(institutions, officials, rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Institution, RelationshipOfficial, AdvisoryStructure, Seat):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        bump_stats_version()
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(institutions):,} institutions, {len(officials):,} officials, "
                f"{len(structures):,} advisory structures and {seats:,} seats created in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    def _bulk_institutions(self, rng: random.Random) -> list[Institution]:
        Kind, Level = Institution.Kind, Institution.Level
        counties = list(County.objects.only("pk", "vehicle_code", "population", "name"))
        total_population = sum(c.population for c in counties) or 1
        rows = []

        def add(name, kind, level, county=None, parent=None):
            rows.append(
                Institution(
                    name=name,
                    kind=kind,
                    level=level,
                    county=county,
                    parent=parent,
                    website=f"https://www.{fold(name).replace(' ', '')[:40]}.gov.ro",
                    search_name=fold(name),
                )
            )
            return rows[-1]

        for ministry in MINISTRIES:
            add(ministry, Kind.MINISTRY, Level.CENTRAL)
        ministries = Institution.objects.bulk_create(rows, batch_size=BATCH)
        rows = []
        for ministry in ministries:
            for pattern in rng.sample(AGENCIES, 3):
                add(pattern.format(ministry.name.split(" ", 1)[1]), Kind.CENTRAL_AGENCY,
                    Level.CENTRAL, parent=ministry)  # fmt: skip
        for county in counties:
            seat = COUNTY_SEATS.get(county.vehicle_code, county.name)
            prefecture = f"Instituția Prefectului Județului {county.name}"
            add(prefecture, Kind.PREFECTURE, Level.COUNTY, county)
            add(f"Consiliul Județean {county.name}", Kind.COUNTY_COUNCIL, Level.COUNTY, county)
            add(f"Primăria {seat}", Kind.CITY_HALL, Level.LOCAL, county)
            communes = round(CITY_HALLS * county.population / total_population)
            for number in range(1, communes):
                village = rng.choice(VILLAGES)
                add(f"Primăria Comunei {village} {number} ({county.name})", Kind.CITY_HALL,
                    Level.LOCAL, county)  # fmt: skip
        return ministries + Institution.objects.bulk_create(rows, batch_size=BATCH)

    def _bulk_officials(self, institutions, rng: random.Random) -> list[RelationshipOfficial]:
        domain_ids = list(Domain.objects.filter(is_active=True).values_list("pk", flat=True))
        now = timezone.now()
        officials, covers = [], []
        for number, institution in enumerate(institutions):
            if rng.random() > 0.6:
                continue
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            officials.append(
                RelationshipOfficial(
                    institution=institution,
                    name=f"{first} {last}",
                    position=rng.choice(POSITIONS),
                    email=f"{fold(first)}.{fold(last)}.{number}@institutie.bench.{DEMO_DOMAIN}",
                    phone=f"07{rng.randint(20_000_000, 99_999_999)}",
                    consented_at=now - datetime.timedelta(days=rng.randint(1, 900)),
                    search_name=fold(f"{first} {last}"),
                )
            )
            domains = rng.sample(domain_ids, rng.choice((0, 1, 2, 3)))
            counties = [institution.county_id] if institution.county_id else []
            covers.append((domains, counties))
        officials = RelationshipOfficial.objects.bulk_create(officials, batch_size=BATCH)
        Domains = RelationshipOfficial.domains.through
        Counties = RelationshipOfficial.counties.through
        Domains.objects.bulk_create(
            [
                Domains(relationshipofficial_id=official.pk, domain_id=domain)
                for official, (domains, _c) in zip(officials, covers, strict=True)
                for domain in domains
            ],
            batch_size=BATCH,
        )
        Counties.objects.bulk_create(
            [
                Counties(relationshipofficial_id=official.pk, county_id=county)
                for official, (_d, counties) in zip(officials, covers, strict=True)
                for county in counties
            ],
            batch_size=BATCH,
        )
        return officials

    def _bulk_structures(self, institutions, officials, rng: random.Random):
        Level = AdvisoryStructure.TerritorialLevel
        domain_ids = list(Domain.objects.filter(is_active=True).values_list("pk", flat=True))
        organisation_ids = list(
            Organisation.objects.filter(status=Organisation.Status.VERIFIED)
            .order_by("?" if connection.vendor == "postgresql" else "pk")
            .values_list("pk", flat=True)[:20_000]
        )
        officials_of = {}
        for official in officials:
            officials_of.setdefault(official.institution_id, []).append(official.pk)
        per_kind = {"ministry": 6, "central_agency": 1, "prefecture": 3, "county_council": 2}
        structures = []
        for institution in institutions:
            count = per_kind.get(institution.kind, 1 if rng.random() < 0.1 else 0)
            for number in range(count):
                kind, label = rng.choice(STRUCTURE_KINDS)
                level = (
                    Level.NATIONAL
                    if institution.level == Institution.Level.CENTRAL
                    else Level.COUNTY
                    if institution.level == Institution.Level.COUNTY
                    else Level.LOCAL
                )
                name = f"{label} {number + 1} ({institution.name})"
                act = f"Ordinul nr. {rng.randint(10, 9999)}/{rng.randint(2005, 2025)}"
                structures.append(
                    AdvisoryStructure(
                        institution=institution,
                        name=name,
                        kind=kind,
                        legal_basis=act,
                        territorial_level=level,
                        county_id=institution.county_id if level != Level.NATIONAL else None,
                        description=f"<p>{name} se întrunește trimestrial.</p>",
                        status=rng.choices(["active", "inactive", "dissolved"], (85, 10, 5))[0],
                        search_name=fold(name),
                    )
                )
        structures = AdvisoryStructure.objects.bulk_create(structures, batch_size=BATCH)
        Domains = AdvisoryStructure.domains.through
        Domains.objects.bulk_create(
            [
                Domains(advisorystructure_id=structure.pk, domain_id=domain)
                for structure in structures
                for domain in rng.sample(domain_ids, rng.choice((1, 2, 3)))
            ],
            batch_size=BATCH,
        )
        today = timezone.localdate()
        roles = [Seat.Role.PRESIDENT, Seat.Role.VICE_PRESIDENT, Seat.Role.SECRETARY]
        seats = []
        for structure in structures:
            own = officials_of.get(structure.institution_id, [])
            for position in range(rng.randint(5, 15)):
                start = today - datetime.timedelta(days=rng.randint(30, 4 * 365))
                ended = rng.random() < 0.2
                holder = (
                    {"official_id": rng.choice(own)}
                    if own and position == 0
                    else {"organisation_id": rng.choice(organisation_ids)}
                )
                seats.append(
                    Seat(
                        structure=structure,
                        role=roles[position] if position < len(roles) else Seat.Role.MEMBER,
                        mandate_start=start,
                        mandate_end=today - datetime.timedelta(days=rng.randint(1, 29))
                        if ended
                        else None,
                        **holder,
                    )
                )
        if organisation_ids:
            Seat.objects.bulk_create(seats, batch_size=BATCH)
        return structures, len(seats) if organisation_ids else 0
