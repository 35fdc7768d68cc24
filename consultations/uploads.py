"""Checks of uploaded files by their content, never by their name or declared type."""

import hashlib
import zipfile
from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ALLOWED_TYPES = {PDF: "pdf", DOCX: "docx", ODT: "odt"}
ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/octet-stream"}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def _zip_kind(uploaded) -> str | None:
    """DOCX and ODT are zip archives: tell them apart by the entries they must have."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return None
    finally:
        uploaded.seek(0)
    return None


def detect_type(uploaded) -> str:
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    detected = magic.from_buffer(head, mime=True)
    if detected == PDF and head.startswith(b"%PDF-"):
        return PDF
    if detected in (DOCX, ODT) or detected in ZIP_TYPES:
        return _zip_kind(uploaded) or detected
    return detected


def check_upload(uploaded, *, max_bytes: int) -> CheckedFile:
    """Accept a PDF, DOCX or ODT file no larger than `max_bytes`, judged by its content.

    Raises ValidationError with a message the uploader understands.
    """
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    content_type = detect_type(uploaded)
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            _("This file is not a PDF, DOCX or ODT document (its content is %(type)s).")
            % {"type": content_type},
            code="wrong_type",
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(
        content_type=content_type,
        extension=ALLOWED_TYPES[content_type],
        size=size,
        sha256=digest.hexdigest(),
    )
