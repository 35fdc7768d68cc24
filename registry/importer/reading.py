"""Reading the file: its encoding, delimiter and header row."""

from __future__ import annotations

import codecs
import csv
import io
import re

from django.utils.translation import gettext_lazy

from conect.core.text import fold

from .columns import (
    ALIAS_TO_KEY,
    FISCAL_CODE,
    HEADER_SEARCH_ROWS,
    NAME,
    PURPOSE,
    PURPOSE_AMENDMENT,
    REGISTRATION_DATE,
    REGISTRY_NUMBER,
    SNIFF_BYTES,
)
from .report import RegistryFileError


def normalise_header(text: str) -> str:
    folded = fold((text or "").replace("\ufeff", ""))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def column_key(header: str) -> str | None:
    """The internal key of a header, or None for a column the import does not use."""
    normal = normalise_header(header)
    if not normal:
        return None
    if normal in ALIAS_TO_KEY:
        return ALIAS_TO_KEY[normal]
    if PURPOSE_AMENDMENT.match(normal):
        return PURPOSE
    words = set(normal.split())
    if normal.startswith("data "):
        if words & {"inregistrarii", "inregistrare", "inreg", "inscrierii", "infiintarii"}:
            return REGISTRATION_DATE
        return None
    if "rnong" in words or (words & {"registrul", "registru", "reg"} and "national" in words):
        return REGISTRY_NUMBER
    if words & {"cif", "cui"} or ("cod" in words and "fiscal" in words):
        return FISCAL_CODE
    return None


def map_header(cells: list[str]) -> dict[int, str]:
    """Position → internal key for each column the import uses."""
    mapping = {}
    for index, cell in enumerate(cells):
        key = column_key(cell)
        if key is None:
            continue
        if key != PURPOSE and key in mapping.values():
            continue  # the first of two columns with the same meaning wins
        mapping[index] = key
    return mapping


def _is_header(mapping: dict[int, str]) -> bool:
    keys = set(mapping.values())
    return NAME in keys and bool(keys & {REGISTRY_NUMBER, FISCAL_CODE})


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1250.

    Windows-1250 and ISO-8859-2 place ă â î ş ţ (and ISO-8859-16's ș ț) on the same bytes,
    so one covers the files exported by Romanian spreadsheets of both families."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if utf16 := _utf16_without_bom(sample):
        return utf16
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return "cp1250"
    return "utf-8"


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 saved without a BOM: text in the Latin alphabet has a zero byte in every
    other position (the high byte of each character)."""
    head = sample[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.6 * len(zeros) and other.count(0) <= 0.1 * len(other):
            try:
                sample[: len(sample) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                continue
            return encoding
    return None


def count_lines(binary) -> int:
    """The number of lines of the file (for the progress bar), read by chunks; rewinds it."""
    binary.seek(0)
    lines, last = 0, b""
    while chunk := binary.read(1024 * 1024):
        lines += chunk.count(b"\n")
        last = chunk
    if last and not last.endswith(b"\n"):
        lines += 1
    binary.seek(0)
    return lines


def open_text(binary, encoding: str):
    """The file from its start as text; undecodable bytes become U+FFFD."""
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")


def _find_layout(text_sample: str) -> tuple[str, int, list[str]]:
    """The delimiter and the header row (0-based record index) that best explain the file."""
    best = None
    for delimiter in (";", ",", "\t", "|"):
        reader = csv.reader(io.StringIO(text_sample), delimiter=delimiter)
        try:
            for index, cells in enumerate(reader):
                if index >= HEADER_SEARCH_ROWS:
                    break
                mapping = map_header(cells)
                if _is_header(mapping):
                    score = len(mapping)
                    if best is None or score > best[0]:
                        best = (score, delimiter, index, cells)
                    break
        except csv.Error:
            continue
    if best is None:
        raise RegistryFileError(
            gettext_lazy(
                "No header row was found: the file needs at least the columns of the name "
                "(Denumire) and of the registry number (Numar inreg Reg National) or the "
                "fiscal code (Cod fiscal). See the list of accepted columns."
            )
        )
    return best[1], best[2], best[3]


def inspect_file(binary, *, encoding: str | None = None) -> tuple[str, str, int, list[str]]:
    """Encoding, delimiter, header position and header cells of a registry file.

    Raises RegistryFileError with a message for the user when it is not a usable CSV."""
    binary.seek(0)
    sample = binary.read(SNIFF_BYTES)
    binary.seek(0)
    if not sample.strip():
        raise RegistryFileError(gettext_lazy("The file is empty."))
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        from .xlsx import encrypted_error

        raise encrypted_error()
    if sample.startswith(b"PK\x03\x04"):
        raise RegistryFileError(
            gettext_lazy(
                "This is a spreadsheet (Excel) file, not a CSV file: open it and save it "
                "as CSV (UTF-8), then upload it again."
            )
        )
    encoding = encoding or detect_encoding(sample)
    if b"\x00" in sample and not encoding.startswith("utf-16"):
        raise RegistryFileError(
            gettext_lazy("This is not a text (CSV) file: it contains binary data.")
        )
    try:
        text = sample.decode(encoding, errors="replace")
    except LookupError as exc:
        raise RegistryFileError(
            gettext_lazy("Unknown encoding: %(encoding)s.") % {"encoding": encoding}
        ) from exc
    if len(sample) == SNIFF_BYTES:
        text = text.rsplit("\n", 1)[0]  # do not judge the header on a line cut in two
    delimiter, header_index, header = _find_layout(text.lstrip("\ufeff"))
    return encoding, delimiter, header_index, header


# --- Issue 18: one way to read the rows of a CSV or an XLSX file ----------------------


class CsvRows:
    """The rows of a CSV file: header, encoding, delimiter, an estimate of the rows and
    `rows()`, (row number as a spreadsheet shows it, cells)."""

    file_format = "csv"

    def __init__(self, binary, *, encoding: str | None = None):
        self.encoding, self.delimiter, self.header_index, self.header = inspect_file(
            binary, encoding=encoding
        )
        self.total_rows = max(0, count_lines(binary) - self.header_index - 1)
        self._text = open_text(binary, self.encoding)

    def rows(self):
        reader = csv.reader(self._text, delimiter=self.delimiter)
        for index, cells in enumerate(reader):
            if index > self.header_index:
                yield index + 1, cells

    def close(self):
        self._text.detach()


class XlsxFileRows:
    file_format = "xlsx"
    encoding = ""
    delimiter = ""
    header_index = 0

    def __init__(self, binary):
        from .xlsx import XlsxRows

        self._rows = XlsxRows(binary)
        self.header = self._rows.header
        self.total_rows = self._rows.total_rows
        if not _is_header(map_header(self.header)):
            self._rows.close()
            raise RegistryFileError(
                gettext_lazy(
                    "This workbook is not the National NGO Registry: row 1 of its first "
                    "sheet must hold the Ministry's column names, at least Denumire and "
                    "Numar inreg Reg National. Found: %(found)s."
                )
                % {"found": ", ".join(h for h in self.header[:8] if h) or "—"}
            )

    def rows(self):
        return self._rows.rows()

    def close(self):
        self._rows.close()


def open_rows(binary, *, encoding: str | None = None):
    """The rows of a registry file, CSV or XLSX (told by its content, not its name).

    Raises RegistryFileError with a message for the user when the file cannot be read."""
    from .xlsx import is_xlsx

    binary.seek(0)
    sample = binary.read(8)
    binary.seek(0)
    if is_xlsx(sample):
        return XlsxFileRows(binary)
    return CsvRows(binary, encoding=encoding)
