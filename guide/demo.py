"""Demo data of the guide for `seed_demo`: a few chapters in Romanian and English, with
the downloadable templates (an announcement, a synthesis, a debate's minutes), published
as edition 1, a training session and a published good practice. Safe to run
again (nothing is added once the guide has a chapter)."""

import datetime

from django.utils import timezone

from conect.accounts.models import User

from . import services
from .models import Chapter, Method, Practice, TrainingSession

CHAPTERS = [
    (
        "introduction",
        "Introducere",
        "Introduction",
        [
            (
                "about",
                "Despre acest ghid",
                "About this guide",
                "<p>Ghidul arată autorităților publice cum să implice cetățenii și "
                "organizațiile neguvernamentale în deciziile lor, pas cu pas, conform Legii "
                "nr. 52/2003 privind transparența decizională.</p>",
                "<p>The guide shows public authorities how to involve citizens and NGOs in "
                "their decisions, step by step, under Law 52/2003 on decisional "
                "transparency.</p>",
            ),
        ],
    ),
    (
        "public-consultation",
        "Consultarea publică",
        "Public consultation",
        [
            (
                "consultations",
                "Cum funcționează o consultare publică",
                "How a public consultation works",
                "<p>Proiectul de act normativ se publică cu cel puțin 30 de zile lucrătoare "
                "înainte de adoptare. Oricine poate trimite recomandări în scris timp de cel "
                "puțin 10 zile calendaristice.</p><p>La final, instituția publică o sinteză "
                "a recomandărilor, cu motivarea fiecărei decizii.</p>",
                "<p>The draft is published at least 30 working days before its adoption. "
                "Anyone may send written recommendations for at least 10 calendar days.</p>"
                "<p>At the end, the institution publishes a synthesis of the "
                "recommendations, with the reason for each decision.</p>",
            ),
            (
                "recommendations",
                "Cum scrieți o recomandare utilă",
                "How to write a useful recommendation",
                "<p>Indicați articolul la care vă referiți, propuneți o formulare concretă "
                "și explicați de ce este mai bună. Recomandările motivate primesc un "
                "răspuns motivat.</p>",
                "<p>Name the article you mean, propose a concrete wording and explain why "
                "it is better. Reasoned recommendations get a reasoned answer.</p>",
            ),
            (
                "debates",
                "Dezbaterile publice",
                "Public debates",
                "<p>O asociație legal constituită poate cere o dezbatere publică. "
                "Instituția o anunță cu cel puțin 3 zile înainte și publică minuta.</p>",
                "<p>A legally constituted association may ask for a public debate. The "
                "institution announces it at least 3 days ahead and publishes the "
                "minutes.</p>",
            ),
        ],
    ),
    (
        "other-forms",
        "Alte forme de participare",
        "Other forms of participation",
        [
            (
                "questionnaires",
                "Chestionarele",
                "Questionnaires",
                "<p>Un chestionar scurt, trimis organizațiilor potrivite, arată ce "
                "funcționează și ce nu. Publicați rezultatele.</p>",
                "<p>A short questionnaire sent to the right organisations shows what works "
                "and what does not. Publish the results.</p>",
            ),
            (
                "proposals",
                "Propunerile cetățenilor",
                "Citizens' proposals",
                "<p>Cetățenii pot propune idei; cele care strâng destule voturi ajung la "
                "o structură consultativă care decide public.</p>",
                "<p>Citizens may propose ideas; those with enough votes go to an advisory "
                "structure that decides in public.</p>",
            ),
        ],
    ),
]


# The downloadable templates the guide offers: (section key, file name, template under
# templates/guide/demo_pdf/, title in Romanian, title in English). Romanian documents.
TEMPLATES = [
    (
        "consultations",
        "model-anunt-consultare.pdf",
        "announcement",
        "Model de anunț privind consultarea publică",
        "Template: announcement of a public consultation",
    ),
    (
        "consultations",
        "model-sinteza-recomandari.pdf",
        "synthesis",
        "Model de sinteză a recomandărilor",
        "Template: synthesis of the recommendations",
    ),
    (
        "debates",
        "model-minuta-dezbatere.pdf",
        "minutes",
        "Model de minută a dezbaterii publice",
        "Template: minutes of a public debate",
    ),
]


def add_demo_templates(coordinator) -> int:
    """Attach the three templates (an announcement, a synthesis, a debate's minutes) as
    PDF files to their sections, through the service that checks uploads."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from .models import Section

    sections = {s.key: s for s in Section.objects.filter(key__in={t[0] for t in TEMPLATES})}
    added = 0
    for position, (key, filename, template, title_ro, title_en) in enumerate(TEMPLATES):
        if key not in sections:
            continue
        pdf = HTML(string=render_to_string(f"guide/demo_pdf/{template}.html")).write_pdf()
        services.template_add(
            actor=coordinator,
            section=sections[key],
            file=SimpleUploadedFile(filename, pdf, "application/pdf"),
            title_ro=title_ro,
            title_en=title_en,
            language="ro",
            position=position,
        )
        added += 1
    return added


def seed_guide_demo(stdout=None) -> None:
    """Write the demo guide and publish it, announce a session, publish a practice."""
    if Chapter.objects.exists():
        return
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    if coordinator is None:
        return
    for position, (key, title_ro, title_en, sections) in enumerate(CHAPTERS, start=1):
        chapter = services.chapter_save(
            actor=coordinator, key=key, position=position, title_ro=title_ro, title_en=title_en
        )
        for section_position, (s_key, s_ro, s_en, body_ro, body_en) in enumerate(sections, 1):
            services.section_save(
                actor=coordinator,
                chapter=chapter,
                key=s_key,
                position=section_position,
                title_ro=s_ro,
                title_en=s_en,
                body_ro=body_ro,
                body_en=body_en,
            )
    add_demo_templates(coordinator)
    services.edition_publish(
        actor=coordinator,
        note_ro="Prima ediție a ghidului.",
        note_en="The first edition of the guide.",
    )
    starts = (timezone.now() + datetime.timedelta(days=14)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    session = TrainingSession.objects.create(
        topic="Consultarea publică pas cu pas",
        description="Un atelier practic pe baza ghidului de participare.",
        audience=TrainingSession.Audience.BOTH,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        place="Palatul Victoria, București",
        capacity=20,
        trainers="Ioana Coordonator",
        created_by=coordinator,
        is_network_event=True,
    )
    from .models import Section

    session.sections.set(Section.objects.filter(key__in=["consultations", "debates"]))
    from registry.models import Institution

    institution = Institution.objects.order_by("pk").first()
    if institution is not None:
        practice = Practice.objects.create(
            title="Dezbateri publice online pentru bugetul local",
            problem="Puțini cetățeni veneau la dezbaterile de la sediul primăriei.",
            what_was_done="Dezbaterile au fost transmise online, cu întrebări primite în direct.",
            methods_text="Transmisiune online, formular de întrebări, minută publicată.",
            results="Participarea a crescut de cinci ori.",
            contact="relatii.publice@example.ro",
            institution=institution,
            county=institution.county,
            status=Practice.Status.PUBLISHED,
            submitted_by=coordinator,
            decided_by=coordinator,
            published_at=timezone.now(),
            search_text="dezbateri publice online pentru bugetul local",
        )
        practice.methods.set(Method.objects.filter(slug__in=["public-debate"]))
    if stdout is not None:
        stdout.write(
            "Demo guide published (edition 1), with its templates, a training session and a "
            "practice."
        )
