"""The synthesis of a consultation as PDF (weasyprint), in each of the site's languages.

Made by a Celery task as soon as the synthesis is published (`store_synthesis_pdfs`) and
kept, one file per language, so that no visitor waits for it; a request that finds its
language's file missing (the task has not run yet, or failed) makes and keeps it then.
A preview (before publication) is made on request and never kept.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from conect.core.site import site_url

from . import selectors
from .models import Consultation

# A tagged PDF (its structure, reading order and table headers readable by a screen
# reader), as PDF/UA-1 asks; WeasyPrint tags it with this variant.
TAGGED_PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def pdf_language(language: str | None) -> str:
    """The language of the PDF for a page in `language` (Romanian unless English)."""
    return "en" if (language or "").startswith("en") else "ro"


def synthesis_html(consultation: Consultation, language: str) -> str:
    """The page the PDF is printed from, in `language`."""
    with translation.override(language):
        return render_to_string(
            "consultations/synthesis_pdf.html",
            {"consultation": consultation, "synthesis": selectors.synthesis(consultation)},
        )


def render_synthesis_pdf(consultation: Consultation, language: str) -> bytes:
    from weasyprint import HTML

    html = synthesis_html(consultation, language)
    return HTML(string=html, base_url=site_url()).write_pdf(**TAGGED_PDF_OPTIONS)


def stored_synthesis_pdf(consultation: Consultation, language: str):
    """The kept PDF of a published synthesis in `language`, made now if it is missing."""
    field_name = Consultation.SYNTHESIS_PDF_FIELDS[pdf_language(language)]
    stored = getattr(consultation, field_name)
    if not stored:
        pdf = render_synthesis_pdf(consultation, pdf_language(language))
        stored.save("synthesis.pdf", ContentFile(pdf), save=False)
        # Only this column: the rest of the row may have changed since it was read.
        Consultation.objects.filter(pk=consultation.pk).update(**{field_name: stored.name})
    return stored


def store_synthesis_pdfs(consultation_id: int) -> list[str]:
    """Make and keep the PDF of a published synthesis in every language (the task run on
    publication). Nothing happens if the synthesis is not, or no longer, published."""
    consultation = (
        Consultation.objects.select_related("institution").filter(pk=consultation_id).first()
    )
    if consultation is None or consultation.synthesis_published_at is None:
        return []
    return [stored_synthesis_pdf(consultation, code).name for code, _name in settings.LANGUAGES]
