"""Get one bench database ready and say which pages to measure on it.

Run by bench/run.py in its own process, with the bench's settings and DATABASE_URL:

    python bench/prepare.py --organisations 100000 --out pages.json

It migrates the database, seeds it when it has fewer organisations than asked
(`seed_demo --organisations N`: COPY and bulk_create, kept between runs), adds what the
bench's pages need once (a consultation with 10,000 recommendations, a coordinator),
refreshes the planner's statistics, signs in the bench's people by writing their sessions
with Django's session engine (no login form is posted), and writes the pages as JSON.
"""

import argparse
import json
import os
import sys
import time
import uuid
from datetime import timedelta
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import feedback as feedback_bench  # noqa: E402
from bench import proposals  # noqa: E402
from conect.accounts.models import User  # noqa: E402
from consultations.models import Channel, Consultation, Recommendation  # noqa: E402
from registry.models import (  # noqa: E402
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
)

RECOMMENDATIONS = 10_000
AUTHORS = 500
CONSULTATION_TITLE = "Bench: proiect de hotărâre cu 10.000 de recomandări"
# Issue 17: a third of the recommendations recorded from other channels, synthesis published.
CHANNELS_TITLE = "Bench: sinteză cu 10.000 de recomandări, o treime din alte canale"
COORDINATOR_EMAIL = "coordonator@bench.conect.demo"
# Every table the measured pages read: VACUUM so that index-only scans skip the heap,
# ANALYZE so that the planner knows the sizes (what autovacuum does soon after a load).
VACUUMED = [
    "registry_organisation",
    "registry_organisation_domains",
    "registry_organisationmembership",
    "registry_institution",
    "registry_relationshipofficial",
    "registry_advisorystructure",
    "registry_seat",
    "accounts_user",
    "consultations_consultation",
    "consultations_recommendation",
    "proposals_proposal",
    "proposals_vote",
]


def log(message: str) -> None:
    print(f"  [prepare] {message}", file=sys.stderr, flush=True)


def seed(organisations: int) -> None:
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrated in {time.monotonic() - started:.1f} s")
    if Organisation.objects.count() < organisations:
        started = time.monotonic()
        call_command("seed_demo", organisations=organisations, verbosity=1)
        log(f"seeded {organisations:,} organisations in {time.monotonic() - started:.0f} s")
    consultation_with_recommendations()
    consultation_from_every_channel()
    proposals.call_with_votes(log)
    feedback_bench.seed(log)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for table in VACUUMED:
            cursor.execute(f"VACUUM ANALYZE {table}")
    log(f"vacuumed in {time.monotonic() - started:.1f} s")


def consultation_with_recommendations() -> Consultation:
    """An open consultation of a ministry with 10,000 published recommendations, by 500
    citizens, some on behalf of an organisation (made once, kept between runs)."""
    consultation = Consultation.objects.filter(title=CONSULTATION_TITLE).first()
    if consultation is not None:
        return consultation
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate()
    institution = Institution.objects.filter(kind=Institution.Kind.MINISTRY).order_by("pk")[0]
    with transaction.atomic():
        consultation = Consultation.objects.create(
            institution=institution,
            title=CONSULTATION_TITLE,
            summary="<p>Proiectul pune în consultare publică reforma registrului.</p>",
            kind=Consultation.Kind.GOVERNMENT_DECISION,
            opens_on=today - timedelta(days=5),
            closes_on=today + timedelta(days=25),
            planned_adoption_on=today + timedelta(days=80),
            is_national=True,
            state=Consultation.State.OPEN,
            published_at=now,
            window_days=30,
            announcement_working_days=40,
        )
        consultation.domains.set(Domain.objects.filter(is_active=True).order_by("pk")[:2])
        authors = User.objects.bulk_create(
            [
                User(
                    email=f"cetatean{n}@bench.conect.demo",
                    name=f"Cetățean Bench {n}",
                    password="!",
                    preferred_language="ro",
                )
                for n in range(AUTHORS)
            ],
            batch_size=1000,
        )
        on_behalf = list(
            Organisation.objects.filter(status=Organisation.Status.VERIFIED)
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    consultation=consultation,
                    author=authors[n % AUTHORS],
                    organisation_id=on_behalf[n % len(on_behalf)] if n % 4 == 0 else None,
                    text=(
                        f"<p>Recomandarea {n}: propunem reformularea alineatului (2), astfel "
                        "încât termenul să curgă de la publicarea în Monitorul Oficial.</p>"
                    ),
                    status=Recommendation.Status.PUBLISHED,
                    report_count=1 if n % 50 == 0 else 0,
                    submission_key=uuid.uuid4(),
                    created_at=now - timedelta(minutes=RECOMMENDATIONS - n),
                )
                for n in range(RECOMMENDATIONS)
            ],
            batch_size=2000,
        )
    elapsed = time.monotonic() - started
    log(f"consultation with {RECOMMENDATIONS:,} recommendations in {elapsed:.1f} s")
    return consultation


def consultation_from_every_channel() -> Consultation:
    """A consultation of a ministry whose synthesis is published, with 10,000 answered
    recommendations: two thirds sent here by 500 citizens, a third recorded by the staff
    from e-mails, letters, debates, calls and visits (made once, kept between runs)."""
    consultation = Consultation.objects.filter(title=CHANNELS_TITLE).first()
    if consultation is not None:
        return consultation
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate()
    institution = Institution.objects.filter(kind=Institution.Kind.MINISTRY).order_by("pk")[0]
    authors = list(User.objects.filter(email__endswith="@bench.conect.demo").order_by("pk")[:500])
    channels = [c for c in Channel.values if c != Channel.ONLINE]
    dispositions = Recommendation.Disposition.values
    with transaction.atomic():
        consultation = Consultation.objects.create(
            institution=institution,
            title=CHANNELS_TITLE,
            summary="<p>Sinteza recomandărilor primite pe toate canalele.</p>",
            kind=Consultation.Kind.GOVERNMENT_DECISION,
            opens_on=today - timedelta(days=60),
            closes_on=today - timedelta(days=30),
            planned_endorsement_on=today + timedelta(days=10),
            planned_adoption_on=today + timedelta(days=40),
            is_national=True,
            state=Consultation.State.SYNTHESIS_PUBLISHED,
            published_at=now - timedelta(days=60),
            window_days=30,
            announcement_working_days=50,
            synthesis_published_at=now - timedelta(days=20),
            synthesis_days_late=0,
        )
        recommendations = []
        for n in range(RECOMMENDATIONS):
            recorded = n % 3 == 2
            recommendations.append(
                Recommendation(
                    consultation=consultation,
                    author=None if recorded else authors[n % len(authors)],
                    channel=channels[n % len(channels)] if recorded else Channel.ONLINE,
                    received_on=(today - timedelta(days=40)) if recorded else None,
                    sender_name=f"Expeditor {n}" if recorded else "",
                    name_consent=recorded and n % 2 == 0,
                    text=f"<p>Recomandarea {n}: propunem un termen de 60 de zile.</p>",
                    status=Recommendation.Status.PUBLISHED,
                    disposition=dispositions[n % len(dispositions)],
                    justification="Analizată de direcția de specialitate.",
                    submission_key=uuid.uuid4(),
                    created_at=now - timedelta(days=40, minutes=RECOMMENDATIONS - n),
                )
            )
        Recommendation.objects.bulk_create(recommendations, batch_size=2000)
    elapsed = time.monotonic() - started
    log(f"synthesis with {RECOMMENDATIONS:,} recommendations (a third recorded) in {elapsed:.1f} s")
    return consultation


def sign_in(user) -> str:
    """A session for `user`, written by the configured session engine as Django's login()
    would write it; the value of the session cookie."""
    backends = settings.AUTHENTICATION_BACKENDS
    backend = next(
        (b for b in backends if b.startswith("allauth")),
        next((b for b in backends if b.endswith("ModelBackend")), backends[0]),
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(6 * 60 * 60)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def people() -> dict[str, str]:
    """Session cookies of a coordinator and of an NGO's administrator."""
    coordinator, _created = User.objects.get_or_create(
        email=COORDINATOR_EMAIL,
        defaults={"name": "Coordonator Bench", "is_coordinator": True, "preferred_language": "ro"},
    )
    # Every coordinator has an authenticator app (or is sent to set one up on every page).
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(coordinator, generate_totp_secret())
    membership = (
        OrganisationMembership.objects.filter(
            role=OrganisationMembership.Role.ADMIN,
            organisation__status=Organisation.Status.VERIFIED,
        )
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    return {
        "coordinator": sign_in(coordinator),
        "ngo_admin": sign_in(membership.user),
        "_own_organisation": membership.organisation_id,
    }


def page(name, path, *, target_ms=50, throughput=False, cookie=None):
    return {
        "name": name,
        "path": path,
        "target_ms": target_ms,
        "throughput": throughput,
        "cookie": cookie,
    }


def pages_at(organisations: int, cookies: dict) -> list[dict]:
    """The pages to measure, with their targets (issue 15): at 100,000 organisations every
    page and endpoint within 50 ms, five of them also at 50 requests/s with 8 clients; at
    1,000,000 the text search, the filtered lists, the filtered API and the verification
    queue within 100 ms."""
    county = County.objects.get(vehicle_code="CJ")
    domain = Domain.objects.filter(is_active=True, slug="education").first() or (
        Domain.objects.filter(is_active=True).order_by("pk").first()
    )
    orgs = "/registry/organisations/"
    api = "/api/v1/organisations/"
    search = f"{orgs}?q=educatie"
    filtered = f"{orgs}?county={county.code}&domain={domain.slug}"
    filtered_form = f"{filtered}&legal_form=foundation"
    search_filtered = f"{orgs}?q=asociatia&county={county.code}&domain={domain.slug}"
    api_filtered = f"{api}?page_size=100&county={county.code}&domain={domain.slug}"
    api_filtered_form = f"{api_filtered}&legal_form=foundation"
    queue = "/registry/organisations/verification/"
    coordinator = cookies["coordinator"]
    floor = page("floor: hello world (no query, no template)", "/bench/hello/", target_ms=None)
    if organisations >= 1_000_000:
        return [
            floor,
            page("organisations: first page (no target at 1M)", orgs, target_ms=None),
            page("organisations: text search", search, target_ms=100),
            page("organisations: text search + county + domain", search_filtered, target_ms=100),
            page("organisations: filtered (county + domain)", filtered, target_ms=100),
            page("organisations: filtered (county + domain + form)", filtered_form, target_ms=100),
            page("api: organisations filtered (county + domain), 100", api_filtered, target_ms=100),
            page("api: filtered (county + domain + form), 100", api_filtered_form, target_ms=100),
            page("coordinator: verification queue", queue, target_ms=100, cookie=coordinator),
        ]

    organisation = (
        Organisation.objects.filter(status="verified", domains__isnull=False, seats__isnull=False)
        .order_by("pk")
        .first()
    ) or Organisation.objects.filter(status="verified").order_by("pk").first()
    institution = Institution.objects.filter(kind="ministry").order_by("pk").first()
    official = (
        RelationshipOfficial.objects.filter(consented_at__isnull=False, domains__isnull=False)
        .order_by("pk")
        .first()
    )
    structure = AdvisoryStructure.objects.filter(seats__isnull=False).order_by("pk").first()
    consultation = Consultation.objects.get(title=CONSULTATION_TITLE)
    channels = Consultation.objects.get(title=CHANNELS_TITLE)
    return [
        floor,
        page("home", "/"),
        page("organisations: first page", orgs),
        page("organisations: text search", search, throughput=True),
        page("organisations: filtered (county + domain)", filtered),
        page("organisations: text search + county + domain", search_filtered),
        page("organisation detail", organisation.get_absolute_url(), throughput=True),
        page("institutions: first page", "/registry/institutions/"),
        page(
            "institutions: search + county",
            f"/registry/institutions/?q=primaria&county={county.code}",
        ),
        page("institution detail (a ministry)", institution.get_absolute_url()),
        page("officials: first page", "/registry/officials/"),
        page("officials: county", f"/registry/officials/?county={county.code}"),
        page("official detail", official.get_absolute_url()),
        page("structures: first page", "/registry/structures/"),
        page("structures: county level", "/registry/structures/?level=county"),
        page("structure detail", structure.get_absolute_url()),
        page("domains", "/registry/domains/"),
        page("map", "/map/", throughput=True),
        page("map: data.json", "/map/data.json"),
        page("consultations: list", "/consultations/"),
        page(
            "consultation, 10,000 recommendations", consultation.get_absolute_url(), throughput=True
        ),
        page(
            "consultation, 10,000 recommendations, a third from other channels",
            channels.get_absolute_url(),
        ),
        page(
            "synthesis, 10,000 recommendations, a third from other channels",
            reverse("consultations:synthesis", args=[channels.pk]),
        ),
        page("api: organisations, 100 a page", f"{api}?page_size=100", throughput=True),
        page("api: organisations filtered (county + domain), 100", api_filtered),
        page("api: organisation detail", f"{api}{organisation.pk}/"),
        page("coordinator: verification queue", queue, cookie=coordinator),
        page("coordinator: dashboard", "/dashboard/", cookie=coordinator),
        page(
            "NGO admin: organisation form",
            f"{orgs}{cookies['_own_organisation']}/edit/",
            cookie=cookies["ngo_admin"],
        ),
        *proposals.pages(page, sign_in),
        *feedback_bench.pages(page, coordinator),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--no-static", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("make bench needs PostgreSQL: set DATABASE_URL=postgres://...")
    seed(args.organisations)
    if not args.no_static:
        started = time.monotonic()
        call_command("collectstatic", interactive=False, verbosity=0)
        log(f"collected static files in {time.monotonic() - started:.1f} s")
    cookies = people()
    pages = pages_at(args.organisations, cookies)
    # Questionnaires (issue 20): the results page of 40 questions and 100,000 answers.
    if args.organisations < 1_000_000:
        from bench.surveys import survey_with_answers

        survey = survey_with_answers(log=log)
        pages.append(
            page(
                "questionnaire results: 40 questions, 100,000 answers",
                f"/surveys/{survey.pk}/results/",
                cookie=cookies["coordinator"],
            )
        )
    Path(args.out).write_text(json.dumps({"organisations": args.organisations, "pages": pages}))


if __name__ == "__main__":
    main()
