"""Fixtures for consultations: a consultation in any state, and documents to upload."""

import datetime
import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations import dates
from consultations.models import Consultation, Document, Recommendation
from registry.models import Domain

State = Consultation.State


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media-private"


@pytest.fixture
def domain(db):
    return Domain.objects.create(slug="educatie", name_ro="Educație", name_en="Education")


def make_consultation(institution, state=State.OPEN, **extra) -> Consultation:
    """A consultation in `state`, with dates that fit it (open: 5 days in, 10 left)."""
    today = dates.local_today()
    if state == State.DRAFT:
        default_open, default_close = today + datetime.timedelta(days=1), 15
    elif state == State.OPEN:
        default_open, default_close = today - datetime.timedelta(days=5), 15
    else:
        default_open, default_close = today - datetime.timedelta(days=40), 20
    opens_on = extra.pop("opens_on", default_open)
    closes_on = extra.pop("closes_on", opens_on + datetime.timedelta(days=default_close))
    now = timezone.now()
    values = {
        "title": "Proiect de hotărâre privind educația",
        "summary": "<p>Rezumat.</p>",
        "kind": Consultation.Kind.GOVERNMENT_DECISION,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "planned_adoption_on": dates.add_working_days(opens_on, 40),
        "is_national": True,
        "state": state,
        "published_at": None if state == State.DRAFT else now,
        "window_days": (closes_on - opens_on).days,
        "announcement_working_days": 40,
        "search_text": "proiect de hotarare privind educatia rezumat.",
    }
    if state == State.SYNTHESIS_PUBLISHED or state == State.ADOPTED:
        values["synthesis_published_at"] = now
        values["synthesis_days_late"] = 0
    with_document = extra.pop("with_document", state == State.DRAFT)
    values.update(extra)
    consultation = Consultation.objects.create(institution=institution, **values)
    if with_document:
        # A draft is published with its draft act (see transitions._require_document).
        Document.objects.create(
            consultation=consultation, kind=Document.Kind.DRAFT, title="Proiectul de act"
        )
    return consultation


@pytest.fixture
def consultation(institution):
    return make_consultation(institution)


def make_recommendation(consultation, author, **extra) -> Recommendation:
    values = {
        "text": "<p>Propunem modificarea articolului.</p>",
        "status": Recommendation.Status.PUBLISHED,
        "submission_key": uuid.uuid4(),
    }
    values.update(extra)
    return Recommendation.objects.create(consultation=consultation, author=author, **values)


# --- Files, built in memory ---------------------------------------------------------


def pdf_bytes(text: str = "v1") -> bytes:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body


def docx_bytes(text: str = "v1") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>",
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", f"<w:document>{text}</w:document>")
    return buffer.getvalue()


def odt_bytes(text: str = "v1") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr(
            "content.xml", f"<office:document-content>{text}</office:document-content>"
        )
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def quiet_nav(settings):
    """Render pages without a signed-in person's menus, which other parts of the platform
    own and grow: query counts pinned with it measure this app's pages alone."""
    engine = dict(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = {
        **engine.get("OPTIONS", {}),
        "loaders": [
            (
                "django.template.loaders.cached.Loader",
                [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"includes/nav.html": "", "includes/nav_account.html": ""},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            )
        ],
    }
    settings.TEMPLATES = [engine]


@pytest.fixture
def citizen(citizen):
    """Here the citizen reads the pages in English, the language these tests assert on (a
    signed-in user's preferred language wins over Accept-Language)."""
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    return citizen
