"""Demo consultations for `make run` (called by `manage.py seed_demo`): one in every
state of the workflow, with documents, articles, recommendations (public, awaiting
moderation, reported, hidden), answers and a published synthesis, so that every part
of the product is alive in the demo.

Demo data, not a user's action: the rows are written directly, with dates in the past
that no service would accept today (a consultation that closed last month). Run once:
`load_demo` does nothing when the demo consultations exist.
"""

import datetime
import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from registry.models import Domain, Institution, Organisation
from registry.stats import bump_stats_version

from . import dates
from .models import (
    Article,
    Consultation,
    ConsultationTransition,
    Document,
    DocumentVersion,
    Follow,
    ModerationLogEntry,
    Recommendation,
    RecommendationReport,
)
from .services.common import search_text

State = Consultation.State
Status = Recommendation.Status
Disposition = Recommendation.Disposition

# (title, state, kind, domain slug, days from today to the opening, window days)
DEMO_CONSULTATIONS = [
    (
        "Proiect de ordin privind evaluarea națională la finalul clasei a VIII-a",
        State.DRAFT,
        Consultation.Kind.MINISTERIAL_ORDER,
        "education",
        5,
        15,
    ),
    (
        "Proiect de hotărâre privind programul național „Școala după școală”",
        State.SCHEDULED,
        Consultation.Kind.GOVERNMENT_DECISION,
        "education",
        3,
        20,
    ),
    (
        "Proiect de lege privind educația timpurie",
        State.OPEN,
        Consultation.Kind.DRAFT_LAW,
        "education",
        -6,
        20,
    ),
    (
        "Proiect de ordin privind manualele școlare digitale",
        State.OPEN,
        Consultation.Kind.MINISTERIAL_ORDER,
        "education",
        -12,
        14,
    ),
    (
        "Proiect de hotărâre privind burse pentru elevii din mediul rural",
        State.CLOSED,
        Consultation.Kind.GOVERNMENT_DECISION,
        "education",
        -25,
        15,
    ),
    (
        "Proiect de ordin privind siguranța în unitățile de învățământ",
        State.UNDER_ANALYSIS,
        Consultation.Kind.MINISTERIAL_ORDER,
        "education",
        -40,
        20,
    ),
    (
        "Proiect de hotărâre privind transportul școlar gratuit",
        State.SYNTHESIS_PUBLISHED,
        Consultation.Kind.GOVERNMENT_DECISION,
        "education",
        -70,
        30,
    ),
    (
        "Proiect de ordin privind calendarul anului școlar",
        State.ADOPTED,
        Consultation.Kind.MINISTERIAL_ORDER,
        "education",
        -120,
        20,
    ),
    (
        "Proiect de hotărâre privind taxele de școlarizare în învățământul postliceal",
        State.WITHDRAWN,
        Consultation.Kind.GOVERNMENT_DECISION,
        "education",
        -50,
        20,
    ),
]

DRAFT_TEXT = (
    "Art. 1\nPrezentul act stabilește cadrul general al măsurii propuse.\n\n"
    "Art. 2\nInstituția publică responsabilă asigură punerea în aplicare în termen de "
    "90 de zile.\n\n"
    "Art. 3\nFinanțarea se asigură din bugetul de stat și din alte surse legal constituite."
)

RECOMMENDATIONS = [
    "<p>Propunem ca termenul de la <strong>art. 2</strong> să fie de 120 de zile, pentru "
    "a permite consultarea unităților de învățământ.</p>",
    "<p>Solicităm ca finanțarea să includă explicit și școlile din mediul rural:</p>"
    "<ul><li>transportul elevilor;</li><li>dotarea laboratoarelor.</li></ul>",
    "<p>Sugerăm publicarea anuală a unui raport privind aplicarea măsurii.</p>",
    "<p>Art. 1 ar trebui să definească beneficiarii, nu doar cadrul general.</p>",
    "<p>Propunem consultarea consiliilor elevilor înainte de adoptare.</p>",
]

JUSTIFICATIONS = {
    Disposition.ACCEPTED: "Propunerea a fost preluată în forma finală a proiectului.",
    Disposition.PARTIALLY_ACCEPTED: "Termenul a fost prelungit la 100 de zile.",
    Disposition.REJECTED: "Bugetul disponibil nu permite extinderea măsurii în acest an.",
    Disposition.OUT_OF_SCOPE: "Subiectul va fi tratat într-un proiect separat.",
}


def _pdf(title: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"% " + title.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _add_documents(consultation: Consultation, staff, when) -> None:
    for kind, title in (
        (Document.Kind.DRAFT, "Proiectul de act"),
        (Document.Kind.EXPLANATORY_NOTE, "Nota de fundamentare"),
    ):
        document = Document.objects.create(
            consultation=consultation, kind=kind, title=title, created_at=when
        )
        content = _pdf(f"{consultation.title} - {title}")
        version = DocumentVersion(
            document=document,
            number=1,
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=staff,
            uploaded_at=when,
        )
        version.file.save(f"{kind}.pdf", ContentFile(content), save=False)
        version.save()


def _add_articles(consultation: Consultation) -> list[Article]:
    articles = []
    for position, block in enumerate(DRAFT_TEXT.split("\n\n"), start=1):
        label, text = block.split("\n", 1)
        articles.append(
            Article.objects.create(
                consultation=consultation, position=position, label=label, text=text
            )
        )
    return articles


def _transition(consultation, from_state, to_state, actor, when, note=""):
    ConsultationTransition.objects.create(
        consultation=consultation,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        note=note,
        created_at=when,
    )


def _recommendations(consultation, articles, people, organisations, staff, answered: bool):
    """Public recommendations from citizens and organisations; when `answered`, each with
    a disposition and its justification."""
    dispositions = list(JUSTIFICATIONS)
    opened = timezone.make_aware(
        datetime.datetime.combine(consultation.opens_on, datetime.time(10))
    )
    rows = []
    for index, text in enumerate(RECOMMENDATIONS):
        author = people[index % len(people)]
        organisation = organisations[index % len(organisations)] if index % 2 == 0 else None
        recommendation = Recommendation(
            consultation=consultation,
            author=author,
            organisation=organisation,
            article=articles[index % len(articles)] if index % 3 else None,
            text=text,
            status=Status.PUBLISHED,
            submission_key=uuid.uuid4(),
            hide_name=index == 3,
            created_at=opened + datetime.timedelta(days=index + 1, hours=index),
        )
        if answered:
            disposition = dispositions[index % len(dispositions)]
            recommendation.disposition = disposition
            recommendation.justification = JUSTIFICATIONS[disposition]
            recommendation.answered_at = opened + datetime.timedelta(days=25)
            recommendation.answered_by = staff
        rows.append(recommendation)
    return Recommendation.objects.bulk_create(rows)


def _moderation(consultation, people, staff, now) -> None:
    """One recommendation awaiting approval (pre-moderation), one reported by two
    readers, one hidden with its reason in the public log."""
    Recommendation.objects.create(
        consultation=consultation,
        author=people[0],
        text="<p>Propunem un program-pilot în trei județe înainte de aplicarea generală.</p>",
        status=Status.PENDING,
        submission_key=uuid.uuid4(),
        created_at=now - datetime.timedelta(hours=5),
    )
    reported = Recommendation.objects.create(
        consultation=consultation,
        author=people[1 % len(people)],
        text="<p>Tot proiectul este inutil și cei care l-au scris ar trebui concediați.</p>",
        status=Status.PUBLISHED,
        submission_key=uuid.uuid4(),
        report_count=2,
        created_at=now - datetime.timedelta(days=2),
    )
    for reporter in people[2:4]:
        RecommendationReport.objects.create(
            recommendation=reported,
            reporter=reporter,
            reason="Limbaj ofensator, fără nicio propunere.",
        )
    hidden = Recommendation.objects.create(
        consultation=consultation,
        author=people[-1],
        text="<p>Vizitați site-ul nostru pentru oferte.</p>",
        status=Status.HIDDEN,
        moderation_reason="Mesaj publicitar, fără legătură cu proiectul.",
        submission_key=uuid.uuid4(),
        created_at=now - datetime.timedelta(days=3),
    )
    ModerationLogEntry.objects.create(
        consultation=consultation,
        recommendation=hidden,
        actor=staff,
        action=ModerationLogEntry.Action.HIDDEN,
        reason=hidden.moderation_reason,
        created_at=now - datetime.timedelta(days=2, hours=20),
    )


@transaction.atomic
def load_demo(*, institution: Institution, staff, people: list, organisations: list) -> int:
    """Create the demo consultations of `institution` (written by `staff`, commented on
    by `people` and `organisations`), one per state; returns how many were created (0
    when they exist)."""
    first_title = DEMO_CONSULTATIONS[0][0]
    if Consultation.objects.filter(institution=institution, title=first_title).exists():
        return 0
    today = dates.local_today()
    now = timezone.now()
    domains = {d.slug: d for d in Domain.objects.all()}
    organisations = [o for o in organisations if o.status in Organisation.PUBLIC_STATUSES]
    created = 0
    for title, state, kind, slug, opens_in, window in DEMO_CONSULTATIONS:
        opens_on = today + datetime.timedelta(days=opens_in)
        closes_on = opens_on + datetime.timedelta(days=window)
        planned = dates.add_working_days(opens_on, 40)
        published_at = None
        if state != State.DRAFT:
            published_at = timezone.make_aware(
                datetime.datetime.combine(
                    min(opens_on, today)
                    - datetime.timedelta(days=2 if state == State.SCHEDULED else 0),
                    datetime.time(9),
                )
            )
        consultation = Consultation.objects.create(
            institution=institution,
            title=title,
            summary=(
                "<p>Proiectul propune măsuri noi în domeniul educației. Așteptăm "
                "<strong>recomandările</strong> dumneavoastră, pe articole sau pe "
                "ansamblu.</p>"
            ),
            kind=kind,
            is_national=True,
            opens_on=opens_on,
            closes_on=closes_on,
            planned_adoption_on=planned,
            moderation=Consultation.Moderation.PRE
            if state == State.OPEN and opens_in < -10
            else Consultation.Moderation.POST,
            state=state,
            state_changed_at=published_at,
            published_at=published_at,
            window_days=window if state != State.DRAFT else None,
            announcement_working_days=dates.working_days_between(
                (published_at and timezone.localdate(published_at)) or today, planned
            ),
            created_by=staff,
            created_at=(published_at or now) - datetime.timedelta(days=3),
        )
        if slug in domains:
            consultation.domains.add(domains[slug])
        _add_documents(consultation, staff, consultation.created_at)
        articles = _add_articles(consultation)
        if state not in (State.DRAFT, State.SCHEDULED):
            answered = state in (State.UNDER_ANALYSIS, State.SYNTHESIS_PUBLISHED, State.ADOPTED)
            _recommendations(consultation, articles, people, organisations, staff, answered)
        if state == State.OPEN and consultation.moderation == Consultation.Moderation.PRE:
            _moderation(consultation, people, staff, now)
        _finish(consultation, state, staff, today, published_at)
        consultation.search_text = search_text(consultation)
        consultation.save(update_fields=["search_text"])
        created += 1
    # A citizen follows the open consultation of early education.
    first_open = Consultation.objects.filter(institution=institution, state=State.OPEN).first()
    if first_open is not None:
        Follow.objects.get_or_create(user=people[0], consultation=first_open)
    bump_stats_version()
    return created


def _finish(consultation, state, staff, today, published_at) -> None:
    """The timeline and the dates of what happened after the opening."""
    if state == State.DRAFT:
        return
    if state == State.SCHEDULED:
        _transition(consultation, State.DRAFT, State.SCHEDULED, staff, published_at)
        return
    _transition(consultation, State.DRAFT, State.OPEN, staff, published_at)
    closed_at = dates.end_of_day(consultation.closes_on) + datetime.timedelta(minutes=5)
    changes = {}
    if state == State.WITHDRAWN:
        withdrawn_at = published_at + datetime.timedelta(days=6)
        reason = "Proiectul va fi reformulat după analiza impactului bugetar."
        _transition(consultation, State.OPEN, State.WITHDRAWN, staff, withdrawn_at, reason)
        changes = {"withdrawn_reason": reason, "closed_at": withdrawn_at}
    elif state != State.OPEN:
        _transition(consultation, State.OPEN, State.CLOSED, None, closed_at)
        changes["closed_at"] = closed_at
        if state in (State.UNDER_ANALYSIS, State.SYNTHESIS_PUBLISHED, State.ADOPTED):
            analysis_at = closed_at + datetime.timedelta(days=1)
            _transition(consultation, State.CLOSED, State.UNDER_ANALYSIS, staff, analysis_at)
        if state in (State.SYNTHESIS_PUBLISHED, State.ADOPTED):
            synthesis_at = closed_at + datetime.timedelta(days=8)
            _transition(
                consultation, State.UNDER_ANALYSIS, State.SYNTHESIS_PUBLISHED, staff, synthesis_at
            )
            changes.update(
                synthesis_published_at=synthesis_at,
                synthesis_days_late=0,
                synthesis_summary=(
                    "<p>Am primit recomandări de la cetățeni și organizații; le mulțumim. "
                    "Răspunsul la fiecare este publicat mai jos.</p>"
                ),
            )
        if state == State.ADOPTED:
            adopted_on = timezone.localdate(closed_at) + datetime.timedelta(days=20)
            _transition(
                consultation,
                State.SYNTHESIS_PUBLISHED,
                State.ADOPTED,
                staff,
                closed_at + datetime.timedelta(days=20),
            )
            changes.update(
                adopted_on=min(adopted_on, today),
                adopted_act_url="https://legislatie.just.ro/",
            )
    if changes:
        Consultation.objects.filter(pk=consultation.pk).update(**changes)
