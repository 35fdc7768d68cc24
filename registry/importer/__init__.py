"""Import of the National NGO Registry (Registrul Național ONG, Ministry of Justice open data).

The Ministry publishes one XLSX file per category (associations, foundations, federations,
unions, foreign legal persons); `xlsx` reads it as a stream with openpyxl's read-only mode,
after checking the zip (issue 18). CSV files are read as before. A row is matched on its
registry number and its folded name (a number is shared by several rows of the register);
a claimed profile takes only what the Ministry is the source of, and a different value of
its own is reported as a conflict; every change is listed in the summary report.

The file is read as a stream, in batches (1,000 rows by default): each batch costs one query
to find the organisations it already knows (by registry number or fiscal code), one bulk
insert, one bulk update, their history rows and the search vectors, whatever its size. Memory
stays bounded: only the registry numbers and fiscal codes already seen in the file are kept,
to catch duplicates.

The rule that protects what NGOs wrote themselves (docs/import.md explains it):
- a new organisation is created with the status "imported";
- an organisation that is still "imported" takes every non-empty value of the file;
- any other organisation (pending, verified, rejected, suspended) only has its EMPTY fields
  filled; its name, status and everything its admins wrote stay as they are;
- an empty cell never erases anything.

Each broken row goes to the error report (row number, column, value, reason) and the rest
of the file goes on. Run it twice and the second run changes nothing.

The package, by step:
- `columns`: the columns the import understands and the headers that name them;
- `reading`: the file's encoding, delimiter and header row;
- `values`: a row's values read and normalised (texts, numbers, dates, legal forms, counties);
- `engine`: `RegistryImporter`, which validates the rows, matches them in batches against the
  organisations already known and writes them in bulk;
- `writing`: new organisations written with PostgreSQL's COPY;
- `report`: the counts and the per-row error report;
- `jobs`: an upload in the interface, queued and run by a Celery task.
"""

from .columns import DEFAULT_BATCH_SIZE
from .engine import RegistryImporter
from .jobs import (
    import_job_create,
    import_job_list,
    import_job_rows,
    import_job_run,
    max_upload_size,
    validate_registry_upload,
)
from .report import ErrorReport, ImportStats, RegistryFileError, SummaryReport
from .writing import copy_organisations, copy_rows, organisation_defaults

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ErrorReport",
    "ImportStats",
    "RegistryFileError",
    "RegistryImporter",
    "SummaryReport",
    "copy_organisations",
    "copy_rows",
    "import_job_create",
    "import_job_list",
    "import_job_rows",
    "import_job_run",
    "max_upload_size",
    "organisation_defaults",
    "validate_registry_upload",
]
