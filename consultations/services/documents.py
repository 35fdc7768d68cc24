"""A consultation's documents and their versions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Consultation, Document, DocumentVersion
from ..uploads import check_upload
from .common import State, require_staff


def _store_version(*, document: Document, actor, file, change_note: str) -> DocumentVersion:
    checked = check_upload(file, max_bytes=settings.CONSULTATION_DOCUMENT_MAX_BYTES)
    latest = document.versions.order_by("-number").first()
    if latest is not None and latest.sha256 == checked.sha256:
        raise ValidationError(
            {"file": _("This file is identical to the current version; nothing was published.")}
        )
    version = DocumentVersion(
        document=document,
        number=(latest.number + 1) if latest else 1,
        original_name=(file.name or "document")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        change_note=(change_note or "").strip(),
        uploaded_by=actor,
    )
    if latest is not None and not version.change_note:
        raise ValidationError({"change_note": _("Say what changed in this version.")})
    version.file.save(f"upload.{checked.extension}", file, save=False)
    try:
        version.full_clean()
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    if document.consultation.state != State.DRAFT:
        # A public consultation: its followers and contributors hear of the change.
        version_id = version.pk
        notifications.schedule_document_published(version_id)
    return version


@transaction.atomic
def document_add(
    *, consultation: Consultation, actor, kind: str, title: str, file, change_note: str = ""
) -> Document:
    """Publish a new document (PDF, DOCX or ODT, checked by content) as its version 1."""
    require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state not in (
        State.DRAFT,
        State.SCHEDULED,
        State.OPEN,
        State.CLOSED,
        State.UNDER_ANALYSIS,
    ):
        raise ValidationError(_("Documents can no longer be added to this consultation."))
    document = Document(consultation=consultation, kind=kind, title=title.strip())
    document.full_clean()
    document.save()
    _store_version(document=document, actor=actor, file=file, change_note=change_note)
    return document


@transaction.atomic
def document_add_version(*, document: Document, actor, file, change_note: str) -> DocumentVersion:
    """Publish a new version of a document; the older ones stay visible in its history."""
    consultation = document.consultation
    require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state not in (
        State.DRAFT,
        State.SCHEDULED,
        State.OPEN,
        State.CLOSED,
        State.UNDER_ANALYSIS,
    ):
        raise ValidationError(_("Documents can no longer be changed in this consultation."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    return _store_version(document=document, actor=actor, file=file, change_note=change_note)
