"""The QR code of a service's short address, and the printable A4 poster (PDF, made by
WeasyPrint as the consultations' synthesis is) for its counter: in Romanian, and in the
service's second language (Hungarian or English) beside it when the institution asked."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .texts import texts


def qr_code(service):
    """The QR code of the service's form (its short address, absolute)."""
    return segno.make(service.short_url, error="m")


def qr_svg(service) -> bytes:
    return qr_code(service).svg_inline(scale=10, border=2).encode()


def poster_languages(service, asked: str | None = None) -> list[str]:
    """Romanian, then the second language: the one asked for (`?lang=hu|en`; `ro` for
    Romanian alone) or the service's own."""
    if asked == "ro":
        return ["ro"]
    second = asked if asked in ("hu", "en") else service.poster_language
    return ["ro", second] if second else ["ro"]


def poster_html(service, languages: list[str]) -> str:
    parts = []
    for language in languages:
        with translation.override("ro" if language == "hu" else language):
            parts.append({"language": language, "t": texts(language)})
    return render_to_string(
        "feedback/poster_pdf.html",
        {
            "service": service,
            "institution": service.institution,
            "parts": parts,
            "qr": qr_code(service).svg_data_uri(scale=10, border=2),
            "short_url": service.short_url,
        },
    )


def render_poster(service, languages: list[str]) -> bytes:
    from weasyprint import HTML

    return HTML(string=poster_html(service, languages), base_url=settings.SITE_URL).write_pdf()
