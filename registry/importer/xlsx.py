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


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _TEXT = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}t"
_SHEET_DATA = f"{_MAIN}sheetData"


def _column_index(reference: str, cache: dict) -> int:
    """0-based column of a cell reference ("C12" → 2)."""
    letters = reference.rstrip("0123456789")
    index = cache.get(letters)
    if index is None:
        index = 0
        for letter in letters:
            index = index * 26 + ord(letter) - 64
        index -= 1
        cache[letters] = index
    return index


class SheetRows:
    """The rows of a worksheet of a read-only openpyxl workbook, as (row number, cells as
    text), streamed from the sheet's XML.

    openpyxl's own read-only rows build a typed value per cell through its descriptors:
    for the 2 million cells of the associations' file that is most of the import's time.
    This reads the same stream with the workbook that openpyxl opened (its shared strings,
    its date styles, its epoch) and only turns into text what the import reads."""

    def __init__(self, workbook, sheet):
        self.sheet = sheet
        self.shared = sheet._shared_strings
        self.date_styles = workbook._date_formats
        self.epoch = workbook.epoch

    def _text(self, cell) -> str:
        kind = cell.get("t")
        if kind == "inlineStr":
            return "".join(t.text or "" for t in cell.iter(_TEXT))
        value = cell.find(_VALUE)
        if value is None or value.text is None:
            return ""
        text = value.text
        if kind == "s":
            return cell_text(self.shared[int(text)])
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return "1" if text == "1" else ""
        if kind == "d":
            return cell_text(_iso_date(text))
        style = cell.get("s")
        if style is not None and int(style) in self.date_styles:
            from openpyxl.utils.datetime import from_excel

            return cell_text(from_excel(float(text), self.epoch))
        if text.endswith(".0"):
            text = text[:-2]
        return text

    def __iter__(self):
        from xml.etree.ElementTree import iterparse

        columns: dict[str, int] = {}
        number = 0
        sheet_data = None
        with self.sheet._get_source() as source:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    if element.tag == _SHEET_DATA:
                        sheet_data = element
                    continue
                if element.tag != _ROW:
                    continue
                number = int(element.get("r") or number + 1)
                cells: list[str] = []
                position = 0
                for cell in element.iter(_CELL):
                    reference = cell.get("r")
                    if reference:
                        position = _column_index(reference, columns)
                    if position > len(cells):
                        cells.extend([""] * (position - len(cells)))
                    cells.append(self._text(cell))
                    position += 1
                if sheet_data is not None:
                    sheet_data.clear()  # the rows read so far: flat memory
                else:
                    element.clear()
                yield number, cells


def _iso_date(text: str):
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def _shared_strings(source) -> list[str]:
    """The shared strings table as plain text: each <si>'s <t>, or its runs' <t> (its
    phonetic hints left out), as openpyxl's `read_string_table` reads it without building
    an object per string (a third of the import's time for the associations' file)."""
    from xml.etree.ElementTree import iterparse

    item, run, text = f"{_MAIN}si", f"{_MAIN}r", _TEXT
    strings: list[str] = []
    for _event, element in iterparse(source):
        if element.tag != item:
            continue
        plain = element.find(text)
        if plain is not None:
            value = plain.text or ""
        else:
            value = "".join(
                (piece.text or "") for r in element.iterfind(run) for piece in r.iterfind(text)
            )
        strings.append(value.replace("x005F_", ""))
        element.clear()
    return strings


def _load_workbook(binary):
    """openpyxl's `load_workbook(read_only=True, data_only=True)`, with the shared strings
    read as plain text."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class Reader(ExcelReader):
        def read_strings(self):
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _shared_strings(source)

    reader = Reader(binary, read_only=True, data_only=True)
    reader.read()
    return reader.wb


class XlsxRows:
    """The rows of the first sheet of a workbook: `header` (row 1), `total_rows` (from the
    sheet's dimension, an estimate) and `rows()`, (row number, cells as text)."""

    def __init__(self, binary):
        check_container(binary)
        try:
            self.workbook = _load_workbook(binary)
            if not self.workbook.worksheets:
                raise corrupt_error()
            self.sheet = self.workbook.worksheets[0]
            self._stream = iter(SheetRows(self.workbook, self.sheet))
            first = next(self._stream, None)
        except RegistryFileError:
            raise
        except Exception as exc:  # openpyxl and the XML parser raise many kinds
            raise corrupt_error() from exc
        self._pending = None
        if first is not None and first[0] != 1:
            self._pending, first = first, None  # no row 1: no header
        self.header = [cell.strip() for cell in (first[1] if first else ())]
        while self.header and not self.header[-1]:
            self.header.pop()
        try:
            self.total_rows = max(0, (self.sheet.max_row or 1) - 1)
        except Exception:  # a sheet without a dimension
            self.total_rows = 0

    def rows(self):
        width = len(self.header)
        try:
            if self._pending is not None:
                yield self._fit(*self._pending, width)
            for number, cells in self._stream:
                yield self._fit(number, cells, width)
        except RegistryFileError:
            raise
        except Exception as exc:
            raise corrupt_error() from exc

    @staticmethod
    def _fit(number, cells, width):
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        elif len(cells) > width and not any(c.strip() for c in cells[width:]):
            del cells[width:]
        return number, cells

    def close(self):
        self.workbook.close()
