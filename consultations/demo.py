"""Demo consultations for `make run` (called by `manage.py seed_demo`): one in every
state of the workflow, with documents, articles, recommendations (public, awaiting
moderation, reported, hidden), answers and a published synthesis, so that every part
of the product is alive in the demo. And what a ministry runs beside them (issue 17):
recommendations recorded from other channels, the planned endorsement and the other
places a draft is announced, public debates (requested, declined, upcoming with a
waiting list, held with its speakers, attendance and minutes), and last year's annual
report completed and published, with a consultation of last year to count.

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
    AnnouncementChannel,
    AnnualReportStatement,
    Article,
    Channel,
    Consultation,
    ConsultationTransition,
    Debate,
    DebateRegistration,
    DebateRequest,
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
# Last year's consultation opens on this day (month, day) of the year before today's.
LAST_YEAR_OPENING = (5, 12)
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
    # Last year's, so that last year's annual report (published) has something to count.
    (
        "Proiect de ordin privind normele de igienă în cantinele școlare",
        State.ADOPTED,
        Consultation.Kind.MINISTERIAL_ORDER,
        "education",
        None,  # opened on LAST_YEAR_OPENING of last year
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
        if opens_in is None:
            opens_on = datetime.date(today.year - 1, *LAST_YEAR_OPENING)
        else:
            opens_on = today + datetime.timedelta(days=opens_in)
        closes_on = opens_on + datetime.timedelta(days=window)
        planned = dates.add_working_days(opens_on, 40)
        # Submitted for endorsement after the window and 30 working days after the
        # announcement (Law 52/2003 and HG 831/2022), adopted later.
        endorsement = dates.add_working_days(opens_on, 32)
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
            planned_endorsement_on=endorsement,
            announcement_channels=[
                AnnouncementChannel.WEBSITE,
                AnnouncementChannel.E_CONSULTARE,
                *([AnnouncementChannel.MAILING] if opens_in is None or opens_in < 0 else []),
            ],
            moderation=Consultation.Moderation.PRE
            if state == State.OPEN and opens_in < -10
            else Consultation.Moderation.POST,
            state=state,
            state_changed_at=published_at,
            published_at=published_at,
            window_days=window if state != State.DRAFT else None,
            announcement_working_days=dates.working_days_between(
                (published_at and timezone.localdate(published_at)) or today, endorsement
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
    _every_channel(institution, staff, organisations, today)
    _debates(institution, staff, people, organisations, today, now)
    _annual_report(institution, staff, organisations, today, now)
    bump_stats_version()
    return created


def _demo_consultation(institution, title_start: str) -> Consultation | None:
    consultations = Consultation.objects.filter(institution=institution)
    return consultations.filter(title__startswith=title_start).first()


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# (title's start, [(channel, days after the opening, sender, is an organisation of the
# registry, named with consent, text)])
RECORDED = [
    (
        "Proiect de lege privind educația timpurie",
        [
            (
                Channel.EMAIL,
                2,
                "Maria Ionescu",
                False,
                False,
                "<p>Vă scriu ca părinte: creșele din orașele mici au nevoie de program "
                "prelungit, altfel mamele nu se pot întoarce la serviciu.</p>",
            ),
            (
                Channel.POST,
                4,
                "",
                True,
                False,
                "<p>Scrisoare: propunem ca normarea personalului din creșe să fie stabilită "
                "prin lege, nu prin ordin.</p>",
            ),
        ],
    ),
    (
        "Proiect de ordin privind siguranța în unitățile de învățământ",
        [
            (
                Channel.PHONE,
                3,
                "Gheorghe Marin",
                False,
                True,
                "<p>Directorii școlilor mici nu au buget pentru paznici; propun finanțare "
                "separată.</p>",
            ),
        ],
    ),
    (
        "Proiect de hotărâre privind transportul școlar gratuit",
        [
            (
                Channel.EMAIL,
                5,
                "Elena Dumitrescu",
                False,
                False,
                "<p>Microbuzele școlare ar trebui să poată transporta și copiii de la "
                "grădiniță.</p>",
            ),
            (
                Channel.DEBATE,
                14,
                "Vasile Pop",
                False,
                True,
                "<p>Spus la dezbatere: traseele să fie stabilite împreună cu primăriile, "
                "nu doar de inspectorat.</p>",
            ),
            (
                Channel.IN_PERSON,
                16,
                "Asociația Părinților din Vaslui",
                False,
                False,
                "<p>Depusă la registratură: decontarea abonamentelor pentru elevii navetiști "
                "să se facă lunar.</p>",
            ),
        ],
    ),
    (
        "Proiect de ordin privind normele de igienă în cantinele școlare",
        [
            (
                Channel.POST,
                6,
                "",
                True,
                False,
                "<p>Scrisoare: normele să prevadă apă potabilă gratuită în fiecare cantină.</p>",
            ),
            (
                Channel.EMAIL,
                9,
                "Ioana Stan",
                False,
                True,
                "<p>Propun ca meniurile să fie publicate săptămânal pe site-ul școlii.</p>",
            ),
        ],
    ),
]


def _every_channel(institution, staff, organisations, today) -> None:
    """Recommendations the staff recorded from e-mail, post, the phone, a public debate
    and the registry office: a person shown as "a person" unless they agreed to be
    named, an organisation of the registry, a scanned letter; answered with the others
    where the consultation is answered."""
    answered_states = (State.UNDER_ANALYSIS, State.SYNTHESIS_PUBLISHED, State.ADOPTED)
    dispositions = [Disposition.ACCEPTED, Disposition.REJECTED, Disposition.PARTIALLY_ACCEPTED]
    index = 0
    for title_start, rows in RECORDED:
        consultation = _demo_consultation(institution, title_start)
        if consultation is None:
            continue
        for channel, after, sender, from_registry, consent, text in rows:
            received_on = min(consultation.opens_on + datetime.timedelta(days=after), today)
            organisation = (
                organisations[index % len(organisations)]
                if from_registry and organisations
                else None
            )
            recommendation = Recommendation(
                consultation=consultation,
                organisation=organisation,
                text=text,
                channel=channel,
                received_on=received_on,
                sender_name="" if organisation else sender,
                sender_is_organisation=organisation is not None or sender.startswith("Asociația"),
                name_consent=consent,
                recorded_by=staff,
                status=Status.PUBLISHED,
                submission_key=uuid.uuid4(),
                created_at=dates.end_of_day(received_on),
            )
            if consultation.state in answered_states:
                disposition = dispositions[index % len(dispositions)]
                recommendation.disposition = disposition
                recommendation.justification = JUSTIFICATIONS[disposition]
                recommendation.answered_at = dates.end_of_day(consultation.closes_on)
                recommendation.answered_by = staff
            if channel == Channel.POST:
                letter = _pdf("Scrisoare scanata")
                recommendation.attachment_name = "scrisoare-scanata.pdf"
                recommendation.attachment_type = "application/pdf"
                recommendation.attachment.save("attachment.pdf", ContentFile(letter), save=False)
            recommendation.save()
            index += 1


def _debates(institution, staff, people, organisations, today, now) -> None:
    """Public debates in every stage: held last year at another authority's request;
    held on the published synthesis's draft at an association's request, with its
    speakers, attendance, minutes (drawn up, published, archived) and recording;
    upcoming on an open draft, full, with a waiting list; a request awaiting an answer
    and one declined with its public reason."""
    if not organisations or not people:
        return
    other_authority = Institution.objects.exclude(pk=institution.pk).order_by("pk").first()
    place = "Sala Spiru Haret, Str. General Berthelot nr. 28-30, București"

    def held(consultation, *, after, attendance, speakers, organisation=None, authority=None):
        starts_on = consultation.opens_on + datetime.timedelta(days=after)
        starts_at = _aware(starts_on)
        debate = Debate.objects.create(
            consultation=consultation,
            starts_at=starts_at,
            place=place,
            details="Înscrierea la cuvânt se face pe pagina dezbaterii.",
            capacity=60,
            minutes_per_speaker=5,
            attendance_count=attendance,
            attending_others="Sindicatul Liber al Învățământului",
            minutes=(
                "<p>Dezbaterea a început la ora 10:00. Au luat cuvântul reprezentanții "
                "asociațiilor și părinții înscriși, în ordinea înscrierii.</p>"
                "<ul><li>Traseele de transport: propunere preluată spre analiză.</li>"
                "<li>Decontarea abonamentelor: se va analiza în sinteză.</li></ul>"
            ),
            minutes_drawn_up_on=starts_on + datetime.timedelta(days=1),
            minutes_published_at=_aware(starts_on + datetime.timedelta(days=2), 12),
            minutes_archived_on=starts_on + datetime.timedelta(days=5),
            minutes_archive_reference=f"Nr. {4500 + after}/{starts_on.year}",
            recording_url="https://www.youtube.com/@MinisterulEducatiei",
            ended_at=starts_at + datetime.timedelta(hours=2),
            created_by=staff,
            created_at=starts_at - datetime.timedelta(days=7),
        )
        debate.attending_organisations.set(organisations[:2])
        for position, person in enumerate(people):
            speaks = position < speakers
            DebateRegistration.objects.create(
                debate=debate,
                user=person,
                mode=DebateRegistration.Mode.ONLINE
                if position == len(people) - 1
                else DebateRegistration.Mode.IN_PERSON,
                wants_to_speak=speaks,
                spoken_at=starts_at + datetime.timedelta(minutes=10 + 6 * position)
                if speaks
                else None,
                created_at=starts_at - datetime.timedelta(days=5, hours=-position),
            )
        if organisation is not None or authority is not None:
            requested_on = consultation.opens_on + datetime.timedelta(days=2)
            DebateRequest.objects.create(
                consultation=consultation,
                organisation=organisation,
                institution=authority,
                requested_on=requested_on,
                requested_by=None,
                channel=Channel.POST if authority else Channel.ONLINE,
                motivation="Proiectul privește direct elevii și familiile lor.",
                status=DebateRequest.Status.SCHEDULED,
                debate=debate,
                decided_at=_aware(requested_on + datetime.timedelta(days=1), 14),
                decided_by=staff,
                created_at=_aware(requested_on, 9),
            )
        return debate

    last_year = _demo_consultation(institution, "Proiect de ordin privind normele de igienă")
    if last_year is not None:
        held(last_year, after=10, attendance=18, speakers=2, authority=other_authority)
    synthesis = _demo_consultation(institution, "Proiect de hotărâre privind transportul școlar")
    if synthesis is not None:
        held(synthesis, after=14, attendance=43, speakers=3, organisation=organisations[0])
    upcoming_on = _demo_consultation(institution, "Proiect de lege privind educația timpurie")
    if upcoming_on is not None:
        starts_on = min(today + datetime.timedelta(days=7), upcoming_on.closes_on)
        debate = Debate.objects.create(
            consultation=upcoming_on,
            starts_at=_aware(starts_on),
            place=place,
            online_url="https://meet.jit.si/dezbatere-educatie-timpurie",
            details="Dezbatere publică cerută de o asociație; locurile din sală sunt puține.",
            capacity=len(people) - 1,
            minutes_per_speaker=7,
            created_by=staff,
            created_at=now - datetime.timedelta(days=2),
        )
        for position, person in enumerate(people):
            DebateRegistration.objects.create(
                debate=debate,
                user=person,
                status=DebateRegistration.Status.CONFIRMED
                if position < len(people) - 1
                else DebateRegistration.Status.WAITING,
                mode=DebateRegistration.Mode.ONLINE
                if position == 1
                else DebateRegistration.Mode.IN_PERSON,
                wants_to_speak=position % 2 == 0,
                created_at=now - datetime.timedelta(days=1, hours=6 - position),
            )
        requested_on = upcoming_on.opens_on + datetime.timedelta(days=1)
        DebateRequest.objects.create(
            consultation=upcoming_on,
            organisation=organisations[1 % len(organisations)],
            requested_on=requested_on,
            motivation="Cerem o dezbatere publică: proiectul schimbă finanțarea creșelor.",
            status=DebateRequest.Status.SCHEDULED,
            debate=debate,
            decided_at=_aware(requested_on + datetime.timedelta(days=1), 14),
            decided_by=staff,
            created_at=_aware(requested_on, 9),
        )
    pending_on = _demo_consultation(institution, "Proiect de ordin privind manualele școlare")
    if pending_on is not None:
        DebateRequest.objects.create(
            consultation=pending_on,
            organisation=organisations[2 % len(organisations)],
            requested_on=today,
            motivation="Profesorii din mediul rural nu au fost consultați.",
            created_at=now - datetime.timedelta(hours=3),
        )
    declined_on = _demo_consultation(institution, "Proiect de hotărâre privind burse")
    if declined_on is not None:
        requested_on = declined_on.opens_on + datetime.timedelta(days=3)
        DebateRequest.objects.create(
            consultation=declined_on,
            organisation=organisations[0],
            channel=Channel.POST,
            requested_on=requested_on,
            requested_by=staff,
            motivation="Solicităm o dezbatere publică la sediul inspectoratului.",
            status=DebateRequest.Status.DECLINED,
            decision_reason=(
                "Aceeași asociație a cerut și a primit o dezbatere pe un proiect cu același "
                "obiect luna trecută; răspunsul la propunerile ei este publicat în sinteză."
            ),
            decided_at=_aware(requested_on + datetime.timedelta(days=2), 14),
            decided_by=staff,
            created_at=_aware(requested_on, 9),
        )


def _annual_report(institution, staff, organisations, today, now) -> None:
    """Last year's annual report, completed by the staff (what only they know) and
    published; associations on file (organisations following the institution)."""
    for organisation in organisations[:3]:
        Follow.objects.get_or_create(organisation=organisation, institution=institution)
    AnnualReportStatement.objects.get_or_create(
        institution=institution,
        year=today.year - 1,
        defaults={
            "court_cases": 1,
            "court_cases_details": (
                "O acțiune în contencios administrativ privind termenul de consultare, "
                "respinsă de Curtea de Apel București."
            ),
            "self_assessment": (
                "Parteneriatul cu asociațiile de părinți și de elevi s-a îmbunătățit: "
                "toate proiectele au fost dezbătute public la cerere."
            ),
            "non_public_meetings": 1,
            "non_public_meetings_reasons": (
                "Ședința privind securitatea datelor elevilor (informații clasificate)."
            ),
            "draft_requests_people": 14,
            "draft_requests_associations": 6,
            "officials_designation": "Prin ordin al ministrului, publicat pe site.",
            "published_at": now,
            "updated_by": staff,
        },
    )


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
