"""The whole guide as a PDF (WeasyPrint), one per edition and language, with the same
structure as the site (chapters, sections, in order); and the certificate of attendance.

The task run when an edition is published (`store_guide_pdfs`) makes and keeps both
languages; a download that finds its file missing makes and keeps it then.
"""

import base64
import logging
import mimetypes

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from .models import Edition, Registration, SectionImage

logger = logging.getLogger(__name__)


def pdf_language(language: str | None) -> str:
    return "en" if (language or "").startswith("en") else "ro"


def _document(template: str, context: dict, language: str):
    """The laid-out WeasyPrint document (its pages can be read back by the tests)."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=settings.SITE_URL).render()


def _pdf(template: str, context: dict, language: str) -> bytes:
    return _document(template, context, language).write_pdf()


def _data_uri(name: str) -> str | None:
    """An image kept in the storage as a data: address (WeasyPrint reads it without a
    request to the site, whatever the storage); None when the file is missing."""
    storage = SectionImage._meta.get_field("image").storage
    try:
        with storage.open(name, "rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        logger.warning("guide PDF: the image %s is missing", name)
        return None
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _attach(chapters: list[dict]) -> None:
    """Give each section the images and downloadable templates its edition published
    (as the site shows them), with the images read into the document."""
    from .selectors import edition_attachments

    sections = [section for chapter in chapters for section in chapter["sections"]]
    attachments = edition_attachments(sections)
    for section in sections:
        shown = attachments[section.key]
        section.pdf_images = [
            {**image, "src": src} for image in shown["images"] if (src := _data_uri(image["name"]))
        ]
        section.pdf_templates = shown["templates"]


def guide_document(edition: Edition, language: str):
    from .selectors import edition_chapters

    with translation.override(language):  # titles, alternative texts in `language`
        chapters = edition_chapters(edition)
        _attach(chapters)
    context = {
        "edition": edition,
        "chapters": chapters,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    return _document("guide/guide_pdf.html", context, language)


def render_guide_pdf(edition: Edition, language: str) -> bytes:
    return guide_document(edition, language).write_pdf()


def stored_guide_pdf(edition: Edition, language: str):
    """The kept PDF of an edition in `language`, made now if it is missing."""
    field_name = Edition.PDF_FIELDS[pdf_language(language)]
    stored = getattr(edition, field_name)
    if not stored:
        pdf = render_guide_pdf(edition, pdf_language(language))
        stored.save(
            f"guide-{edition.number}-{pdf_language(language)}.pdf", ContentFile(pdf), save=False
        )
        Edition.objects.filter(pk=edition.pk).update(**{field_name: stored.name})
    return stored


def store_guide_pdfs(edition_id: int) -> list[str]:
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return []
    return [stored_guide_pdf(edition, code).name for code, _name in settings.LANGUAGES]


def certificate_pdf(registration: Registration, language: str) -> bytes:
    """The certificate of attendance (for a registration marked as attended)."""
    return _pdf(
        "guide/certificate_pdf.html",
        {
            "registration": registration,
            "session": registration.session,
            "sections": list(registration.session.sections.all()),
        },
        pdf_language(language),
    )
