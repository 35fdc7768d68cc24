"""The consultation package, for working beside the national e-consultare portal: a
consultation, its documents, its dates and its synthesis, machine-readable (JSON) and,
as a zip, with the documents' files. Its format is documented in
docs/e-consultare-package.md; the API answers the same JSON
(/api/v1/consultations/{id}/package/).

This module builds the package (a read); importing one is a service
(consultations.services.package.consultation_import)."""

import io
import json
import zipfile

from django.utils import timezone
from django.utils.html import strip_tags

from conect.core.site import absolute_url, site_url

from . import selectors
from .models import Consultation

FORMAT = "conect-consultation-package"
VERSION = 1
JSON_NAME = "consultation.json"


def _date(value):
    return value.isoformat() if value else None


def _version_path(document, version) -> str:
    name = version.original_name
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return f"documents/{document.pk}-v{version.number}.{suffix}"


def consultation_package(consultation: Consultation) -> dict:
    """The package's JSON (see docs/e-consultare-package.md). The synthesis, with every
    public recommendation and its answer, only once it is published."""
    documents = []
    for document in consultation.documents.all():
        versions = [
            {
                "number": version.number,
                "file": _version_path(document, version),
                "url": absolute_url(version.file.url),
                "original_name": version.original_name,
                "content_type": version.content_type,
                "size": version.size,
                "sha256": version.sha256,
                "published_at": _date(version.uploaded_at),
                "change_note": version.change_note,
            }
            for version in document.versions.all()
        ]
        documents.append({"kind": document.kind, "title": document.title, "versions": versions})
    synthesis = None
    if consultation.synthesis_published_at:
        rows = list(selectors.answer_queue(consultation))
        synthesis = {
            "published_at": _date(consultation.synthesis_published_at),
            "days_late": consultation.synthesis_days_late,
            "summary": consultation.synthesis_summary,
            "recommendations": [
                {
                    "id": row.pk,
                    "author": row.public_author,
                    "organisation": row.organisation.name if row.organisation_id else None,
                    "article": row.article.label if row.article_id else None,
                    "text": row.text,
                    "text_plain": strip_tags(row.text),
                    "sent_at": _date(row.created_at),
                    "disposition": row.disposition,
                    "justification": row.justification,
                }
                for row in rows
            ],
        }
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _date(timezone.now()),
        "source": {
            "site": site_url(),
            "id": consultation.pk,
            "url": absolute_url(consultation.get_absolute_url()),
        },
        "consultation": {
            "title": consultation.title,
            "summary": consultation.summary,
            "kind": consultation.kind,
            "state": consultation.current_state,
            "institution": {
                "id": consultation.institution_id,
                "name": consultation.institution.name,
            },
            "is_national": consultation.is_national,
            "domains": [domain.slug for domain in consultation.domains.all()],
            "regions": [region.code for region in consultation.regions.all()],
            "counties": [county.code for county in consultation.counties.all()],
            "is_urgent": consultation.is_urgent,
            "urgency_justification": consultation.urgency_justification,
            "moderation": consultation.moderation,
            "adopted_act_url": consultation.adopted_act_url,
            "withdrawn_reason": consultation.withdrawn_reason,
        },
        "dates": {
            "opens_on": _date(consultation.opens_on),
            "closes_on": _date(consultation.closes_on),
            "planned_adoption_on": _date(consultation.planned_adoption_on),
            "published_at": _date(consultation.published_at),
            "closed_at": _date(consultation.closed_at),
            "synthesis_due_on": _date(consultation.synthesis_due_on),
            "synthesis_published_at": _date(consultation.synthesis_published_at),
            "adopted_on": _date(consultation.adopted_on),
        },
        "articles": [
            {"label": article.label, "text": article.text}
            for article in consultation.articles.all()
        ],
        "documents": documents,
        "synthesis": synthesis,
    }


def package_zip(consultation: Consultation) -> bytes:
    """The zip: consultation.json and every version of every document under documents/."""
    package = consultation_package(consultation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(package, ensure_ascii=False, indent=2))
        for document in consultation.documents.all():
            for version in document.versions.all():
                with version.file.open("rb") as handle:
                    archive.writestr(_version_path(document, version), handle.read())
    return buffer.getvalue()
