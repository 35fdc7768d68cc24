"""`manage.py import_ngo_registry PATH`: load the National NGO Registry (the Ministry's
XLSX file of one category, or a CSV file).

See docs/import.md for the accepted columns and the rule that protects what NGOs wrote.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from registry.importer import (
    DEFAULT_BATCH_SIZE,
    ErrorReport,
    ImportStats,
    RegistryFileError,
    RegistryImporter,
    SummaryReport,
    max_upload_size,
)
from registry.models import Organisation


class ProgressBar:
    """A one-line progress bar, redrawn in place on a terminal."""

    WIDTH = 30

    def __init__(self, stream, *, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.started = time.monotonic()
        self._last = 0.0

    def __call__(self, stats: ImportStats) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.2 and stats.processed_rows < stats.total_rows:
            return
        self._last = now
        total = max(stats.total_rows, stats.processed_rows, 1)
        done = stats.processed_rows / total
        filled = int(self.WIDTH * done)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {done:4.0%} {stats.processed_rows:,}/{total:,}  {now - self.started:5.1f} s"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import the National NGO Registry (Ministry of Justice open data) from its XLSX file "
        "(one category per file) or a CSV file: creates or updates organisations by registry "
        "number and name, or fiscal code."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the registry file (XLSX or CSV)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and count, change nothing"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"rows per database batch (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--encoding", help="the file's encoding (default: detected: UTF-8 or Windows-1250)"
        )
        parser.add_argument(
            "--legal-form",
            choices=Organisation.LegalForm.values,
            default="",
            help=(
                "the file's category (legal form); by default read from the file's name "
                "(asociatii, fundatii, federatii, uniuni, persoane juridice straine)"
            ),
        )
        parser.add_argument(
            "--summary",
            help="where to write the CSV summary of the changes (default: PATH.summary.csv)",
        )
        parser.add_argument(
            "--error-report",
            help="where to write the CSV of rows with errors (default: PATH.errors.csv)",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the messages and of the error report",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            return self._import(options)

    def _import(self, options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        if options["batch_size"] < 1:
            raise CommandError(_("The batch size must be at least 1."))
        size, limit = path.stat().st_size, max_upload_size()
        if size > limit:
            raise CommandError(
                _(
                    "The file is too large (%(size)d MB): at most %(max)d MB. A registry "
                    "file of one category is far smaller; check that it is the right file."
                )
                % {"size": size // (1024 * 1024), "max": limit // (1024 * 1024)}
            )
        report_path = Path(options["error_report"] or f"{path}.errors.csv")
        summary_path = Path(options["summary"] or f"{path}.summary.csv")
        show_progress = not options["no_progress"] and self.stderr.isatty()
        progress = ProgressBar(self.stderr, enabled=show_progress)

        with (
            open(report_path, "w", encoding="utf-8", newline="") as report_file,
            open(summary_path, "w", encoding="utf-8", newline="") as summary_file,
        ):
            report = ErrorReport(report_file)
            summary = SummaryReport(summary_file)
            importer = RegistryImporter(
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                default_legal_form=options["legal_form"],
                encoding=options["encoding"],
                error_report=report,
                progress=progress,
                change_reason=f"Import of the National NGO Registry ({path.name})",
                file_name=path.name,
                summary=summary,
            )
            try:
                with open(path, "rb") as source:
                    stats = importer.run(source)
            except RegistryFileError as exc:
                raise CommandError(str(exc.message)) from exc
            finally:
                progress.finish()
        if not report.count:
            report_path.unlink(missing_ok=True)
        if not summary.count:
            summary_path.unlink(missing_ok=True)

        if stats.file_format == "xlsx":
            read = _("%(rows)d rows read (XLSX)") % {"rows": stats.processed_rows}
        else:
            read = _("%(rows)d rows read (encoding %(encoding)s, delimiter “%(delimiter)s”)") % {
                "rows": stats.processed_rows,
                "encoding": stats.encoding,
                "delimiter": "TAB" if stats.delimiter == "\t" else stats.delimiter,
            }
        self.stdout.write(
            _(
                "%(read)s: %(created)d created, %(updated)d updated, %(unchanged)d "
                "unchanged, %(skipped)d set aside for review, %(errors)d with errors; "
                "%(repeats)d repeated registry numbers, %(conflicts)d profiles with "
                "conflicts, %(missing)d no longer in the file."
            )
            % {
                "read": read,
                "created": stats.created,
                "updated": stats.updated,
                "unchanged": stats.unchanged,
                "skipped": stats.skipped,
                "errors": stats.errors,
                "repeats": stats.repeats,
                "conflicts": stats.conflicts,
                "missing": stats.missing,
            }
        )
        if summary.count:
            self.stdout.write(_("The changes are listed in %(path)s.") % {"path": summary_path})
        if report.count:
            self.stdout.write(
                _("The rows with errors are listed in %(path)s.") % {"path": report_path}
            )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was saved."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import finished.")))
