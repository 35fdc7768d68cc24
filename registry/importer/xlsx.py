"""Issue 18: the Ministry of Justice's XLSX files, read as a stream.

The file is checked before openpyxl opens it: an encrypted workbook (a password turns the
.xlsx into an OLE container), a file that is not a zip, or a zip whose directory promises
more than `XLSX_MAX_UNPACKED` bytes or packs more than `XLSX_MAX_RATIO` to one (a zip
bomb) is refused with a message, before anything is unpacked. openpyxl then reads the
first sheet in read-only mode: one row at a time, whatever the size of the file."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

from django.utils.translation import gettext_lazy

from .columns import XLSX_MAX_ENTRIES, XLSX_MAX_RATIO, XLSX_MAX_UNPACKED
from .report import RegistryFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_xlsx(sample: bytes) -> bool:
    return sample.startswith(ZIP_MAGIC)


def is_ole(sample: bytes) -> bool:
    return sample.startswith(OLE_MAGIC)


def encrypted_error() -> RegistryFileError:
    return RegistryFileError(
        gettext_lazy(
            "This file is protected by a password, or is an old Excel 97-2003 (.xls) "
            "workbook: open it in Excel or LibreOffice, remove the password and save it "
            "as .xlsx (or as CSV UTF-8), then upload it again."
        )
    )


def corrupt_error() -> RegistryFileError:
    return RegistryFileError(
        gettext_lazy(
            "This Excel file cannot be read: it is damaged or was not fully downloaded. "
            "Download it again from the Ministry of Justice's site and upload it again."
        )
    )


def check_container(binary) -> None:
    """Refuse an XLSX file whose zip directory is broken or promises too much."""
    binary.seek(0)
    try:
        with zipfile.ZipFile(binary) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise corrupt_error() from exc
    finally:
        binary.seek(0)
    packed = sum(entry.compress_size for entry in entries)
    unpacked = sum(entry.file_size for entry in entries)
    if (
        len(entries) > XLSX_MAX_ENTRIES
        or unpacked > XLSX_MAX_UNPACKED
        or unpacked > XLSX_MAX_RATIO * max(packed, 1)
    ):
        raise RegistryFileError(
            gettext_lazy(
                "This file unpacks to far more data than a registry file holds (%(size)d "
                "MB): it was refused without being opened. Upload the file as the Ministry "
                "publishes it."
            )
            % {"size": unpacked // (1024 * 1024)}
        )
    if "xl/workbook.xml" not in names:
        raise RegistryFileError(
            gettext_lazy(
                "This zip file is not an Excel workbook (.xlsx): upload the registry as the "
                "Ministry publishes it (XLSX) or as a CSV file."
            )
        )


def cell_text(value) -> str:
    """A cell as the text the import reads (the CSV's cells are text too)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class XlsxRows:
    """The rows of the first sheet of a workbook: `header` (row 1), `total_rows` (from the
    sheet's dimension, an estimate) and `rows()`, (row number, cells as text)."""

    def __init__(self, binary):
        from openpyxl import load_workbook

        check_container(binary)
        try:
            self.workbook = load_workbook(binary, read_only=True, data_only=True)
            if not self.workbook.worksheets:
                raise corrupt_error()
            self.sheet = self.workbook.worksheets[0]
            first = next(self.sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        except RegistryFileError:
            raise
        except Exception as exc:  # openpyxl raises many kinds on a broken workbook
            raise corrupt_error() from exc
        self.header = [cell_text(value).strip() for value in (first or ())]
        while self.header and not self.header[-1]:
            self.header.pop()
        try:
            self.total_rows = max(0, (self.sheet.max_row or 1) - 1)
        except Exception:  # a sheet without a dimension
            self.total_rows = 0

    def rows(self):
        width = len(self.header)
        try:
            for number, values in enumerate(
                self.sheet.iter_rows(min_row=2, values_only=True), start=2
            ):
                cells = [cell_text(value) for value in values]
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                elif len(cells) > width and not any(c.strip() for c in cells[width:]):
                    del cells[width:]
                yield number, cells
        except RegistryFileError:
            raise
        except Exception as exc:
            raise corrupt_error() from exc

    def close(self):
        self.workbook.close()
