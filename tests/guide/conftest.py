"""Fixtures of the guide: a written and published guide, training sessions."""

import datetime

import pytest
from django.utils import timezone

from guide import services
from guide.models import Chapter, TrainingSession


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media-private"


def write_guide(
    actor, *, consultations_text="<p>Proiectul se publică cu 30 de zile lucrătoare înainte.</p>"
):
    """Two chapters, three sections (keys: about, consultations, debates)."""
    intro = services.chapter_save(
        actor=actor, key="introduction", position=1, title_ro="Introducere", title_en="Introduction"
    )
    process = services.chapter_save(
        actor=actor,
        key="public-consultation",
        position=2,
        title_ro="Consultarea publică",
        title_en="Public consultation",
    )
    services.section_save(
        actor=actor,
        chapter=intro,
        key="about",
        position=1,
        title_ro="Despre ghid",
        title_en="About the guide",
        body_ro="<p>Ghidul autorităților publice.</p>",
        body_en="<p>The guide for public authorities.</p>",
    )
    services.section_save(
        actor=actor,
        chapter=process,
        key="consultations",
        position=1,
        title_ro="Cum funcționează o consultare publică",
        title_en="How a consultation works",
        body_ro=consultations_text,
        body_en="<p>The draft is published 30 working days ahead.</p>",
    )
    services.section_save(
        actor=actor,
        chapter=process,
        key="debates",
        position=2,
        title_ro="Dezbaterile publice",
        title_en="Public debates",
        body_ro="<p>O asociație poate cere o dezbatere.</p>",
        body_en="<p>An association may ask for a debate.</p>",
    )
    return Chapter.objects.all()


@pytest.fixture
def guide_written(coordinator):
    return write_guide(coordinator)


@pytest.fixture
def edition(coordinator, guide_written):
    return services.edition_publish(actor=coordinator, note_ro="Prima ediție.", note_en="First.")


def make_session(*, capacity=2, days=7, **extra) -> TrainingSession:
    starts = timezone.now() + datetime.timedelta(days=days)
    values = {
        "topic": "Consultarea publică pas cu pas",
        "audience": TrainingSession.Audience.BOTH,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=3),
        "place": "Palatul Victoria",
        "capacity": capacity,
        "trainers": "Ioana Formator",
    }
    values.update(extra)
    return TrainingSession.objects.create(**values)


@pytest.fixture
def session(db):
    return make_session()
