"""Jobs: an upload in the interface, queued and run by a Celery task."""

from __future__ import annotations

import io
import logging
import tempfile
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conect.core import outbox

from ..models import ImportJob
from .columns import MAX_UPLOAD_SIZE
from .engine import RegistryImporter
from .reading import open_rows
from .report import ErrorReport, ImportStats, RegistryFileError, SummaryReport
from .values import extract_date_from_name

logger = logging.getLogger(__name__)


def _raw_binary(file_object):
    # Django's File wraps the real file object; the text reader wants the real one.
    while hasattr(file_object, "file") and file_object.file is not None:
        file_object = file_object.file
    return file_object


def max_upload_size() -> int:
    return getattr(settings, "REGISTRY_IMPORT_MAX_UPLOAD_SIZE", MAX_UPLOAD_SIZE)


def validate_registry_upload(uploaded_file) -> tuple[str, str, str]:
    """Check an uploaded file by its content: size, a CSV or XLSX file that can be read
    (not encrypted, not damaged, not a zip bomb), a header the import understands.

    Returns (file format, encoding, delimiter); raises ValidationError with a message for
    the user."""
    max_size = max_upload_size()
    if uploaded_file.size > max_size:
        raise ValidationError(
            _(
                "The file is too large (%(size)d MB): at most %(max)d MB. A registry file of "
                "one category is far smaller; check that it is the right file."
            )
            % {"size": uploaded_file.size // (1024 * 1024), "max": max_size // (1024 * 1024)},
            code="too_large",
        )
    try:
        uploaded_file.seek(0)
        source = open_rows(uploaded_file)
        source.close()
    except RegistryFileError as exc:
        raise ValidationError(str(exc.message), code="not_registry_file") from exc
    finally:
        uploaded_file.seek(0)
    return source.file_format, source.encoding, source.delimiter


@transaction.atomic
def import_job_create(
    *, uploaded_file, actor, dry_run: bool = False, default_legal_form: str = ""
) -> ImportJob:
    """Record an uploaded registry file and queue its import (after the commit).

    The file is checked first; a file that cannot be imported raises ValidationError and
    nothing is saved."""
    file_format, encoding, delimiter = validate_registry_upload(uploaded_file)
    job = ImportJob(
        original_name=(uploaded_file.name or f"registry.{file_format}")[-255:],
        file_format=file_format,
        extract_date=extract_date_from_name(uploaded_file.name or ""),
        size=uploaded_file.size,
        dry_run=dry_run,
        default_legal_form=default_legal_form or "",
        created_by=actor,
        encoding=encoding,
        delimiter=delimiter,
    )
    job.source_file.save(f"{uuid.uuid4().hex}.{file_format}", uploaded_file, save=False)
    job.full_clean()
    job.save()

    from ..tasks import run_import_job

    outbox.enqueue(run_import_job, job_id=job.pk)
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import job: progress, counts and error report saved on the job.

    Safe to deliver twice: a finished job is left alone, and a job that a lost worker left
    running is run again (the import itself is idempotent)."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now(), processed_rows=0)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    language = getattr(job.created_by, "preferred_language", None) or "ro"

    def progress(stats: ImportStats) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            total_rows=max(stats.total_rows, stats.processed_rows),
            processed_rows=stats.processed_rows,
            created_count=stats.created,
            updated_count=stats.updated,
            unchanged_count=stats.unchanged,
            skipped_count=stats.skipped,
            error_count=stats.errors or 0,
            repeat_count=stats.repeats,
            conflict_count=stats.conflicts,
        )

    with (
        translation.override(language),
        tempfile.TemporaryFile("w+b") as report_file,
        tempfile.TemporaryFile("w+b") as summary_file,
    ):
        report_text = io.TextIOWrapper(report_file, encoding="utf-8", newline="")
        report = ErrorReport(report_text)
        summary_text = io.TextIOWrapper(summary_file, encoding="utf-8", newline="")
        summary = SummaryReport(summary_text)
        importer = RegistryImporter(
            dry_run=job.dry_run,
            actor=job.created_by,
            default_legal_form=job.default_legal_form,
            error_report=report,
            progress=progress,
            change_reason=f"Import of the National NGO Registry (job {job.pk})",
            file_name=job.original_name,
            summary=summary,
            job_id=None if job.dry_run else job.pk,
        )
        try:
            with job.source_file.open("rb") as source:
                stats = importer.run(_raw_binary(source))
        except RegistryFileError as exc:
            job.status = ImportJob.Status.FAILED
            job.failure_reason = str(exc.message)
        except Exception:
            logger.exception("Registry import job %s failed", job.pk)
            job.status = ImportJob.Status.FAILED
            job.failure_reason = _(
                "The import stopped because of an error on our side. The rows already "
                "processed are saved; run the import again to finish it (it changes nothing "
                "twice). If it happens again, tell the technical team."
            )
        else:
            job.status = ImportJob.Status.SUCCEEDED
            job.total_rows = stats.total_rows
            job.processed_rows = stats.processed_rows
            job.created_count, job.updated_count = stats.created, stats.updated
            job.unchanged_count, job.skipped_count = stats.unchanged, stats.skipped
            job.error_count = stats.errors
            job.encoding, job.delimiter = stats.encoding, stats.delimiter
            job.file_format = stats.file_format
            job.repeat_count, job.conflict_count = stats.repeats, stats.conflicts
            job.missing_count = stats.missing
        report_text.flush()
        if report.count:
            report_file.seek(0)
            job.error_report.save(f"errors-{job.pk}.csv", File(report_file), save=False)
        report_text.detach()
        summary_text.flush()
        if summary.count:
            summary_file.seek(0)
            job.summary_report.save(f"summary-{job.pk}.csv", File(summary_file), save=False)
        summary_text.detach()
    job.finished_at = timezone.now()
    job.save()
    return job


def import_job_list():
    """Every import job, newest first, with who uploaded it (for coordinators)."""
    return ImportJob.objects.select_related("created_by").order_by("-created_at")


def import_job_rows():
    """Every import job, newest first, each with `created_by_name` (who uploaded it): the
    rows of the imports page, one query a page."""
    return ImportJob.objects.annotate(created_by_name=F("created_by__name")).order_by(
        "-created_at", "-pk"
    )
