"""Reading the values of a row: texts, numbers, dates, legal forms and counties."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.core.text import fix_diacritics, fold

from ..validators import normalize_fiscal_code, validate_fiscal_code
from .columns import (
    DATE_FORMATS,
    EARLIEST_DATE,
    EXCEL_EPOCH,
    INACTIVE_STATE_WORDS,
    LEGAL_FORM_PREFIXES,
    REGISTRY_PART,
    REGISTRY_PART_FORMS,
)


def clean_text(value: str) -> str:
    """One line, single spaces, comma-below ș ț (the register still has cedilla ş ţ)."""
    value = (value or "").replace("_x000D_", " ")
    return fix_diacritics(" ".join(value.split()))


def clean_multiline(value: str) -> str:
    value = (value or "").replace("_x000D_", "\n").replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in value.split("\n")]
    return fix_diacritics("\n".join(line for line in lines if line))


def parse_registry_number(value: str) -> str:
    value = clean_text(value).upper()
    return re.sub(r"\s*/\s*", "/", value)


def parse_fiscal_code(value: str) -> str:
    value = clean_text(value)
    if re.fullmatch(r"\d+\.0+", value):  # a number that went through a spreadsheet
        value = value.split(".", 1)[0]
    code = normalize_fiscal_code(value)
    validate_fiscal_code(code)
    return code


_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def parse_date(value: str, *, today: date | None = None) -> date:
    text = clean_text(value)
    text = re.split(r"[ T]", text, maxsplit=1)[0]
    parsed = None
    if match := _DAY_FIRST.fullmatch(text):  # the common case, without strptime's cost
        day, month, year = (int(part) for part in match.groups())
        try:
            parsed = date(year, month, day)
        except ValueError:
            parsed = None
    elif re.fullmatch(r"\d{4,5}(\.0+)?", text):
        serial = int(float(text))
        if 1 <= serial <= 80000:
            parsed = EXCEL_EPOCH + timedelta(days=serial)
    else:
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValidationError(
            _("This is not a date: write it as DD.MM.YYYY (for example 25.03.2004).")
        )
    if parsed > (today or timezone.localdate()) or parsed < EARLIEST_DATE:
        raise ValidationError(_("This date is not possible for a registration."))
    return parsed


def parse_legal_form(value: str) -> str:
    folded = fold(value)
    for prefix, form in LEGAL_FORM_PREFIXES:
        if folded.startswith(prefix):
            return form
    raise ValidationError(
        _("Unknown legal form: expected an association, a foundation, a federation or a union.")
    )


def legal_form_from_name(name: str) -> str | None:
    folded = fold(name[:24]).lstrip("\"'„ ")
    for prefix, form in LEGAL_FORM_PREFIXES:
        if folded.startswith(prefix):
            return form
    return None


def legal_form_from_registry_number(number: str) -> str | None:
    match = REGISTRY_PART.search(number or "")
    return REGISTRY_PART_FORMS.get(match.group(1).upper()) if match else None


def is_inactive_state(value: str) -> bool:
    folded = fold(value)
    return any(word in folded for word in INACTIVE_STATE_WORDS)


class CountyIndex:
    """Finds a county from the ways the register writes it: "Cluj", "JUD. CLUJ", "CJ",
    "Bistrita-Nasaud", "Municipiul București", "Mun. Bucuresti", "Sector 3"..."""

    PREFIXES = re.compile(r"^(judetul|judet|jud|municipiul|municipiu|mun)\b\s*")
    SECTOR = re.compile(r"^(bucuresti\s*)?sector(ul)?\s*[1-6]$")

    def __init__(self, counties):
        self.by_key = {}
        self.bucharest = None
        self._found: dict[str, int | None] = {}
        for county in counties:
            self.by_key[self._key(county.name)] = county.pk
            self.by_key[county.vehicle_code.lower()] = county.pk
            self.by_key[county.code.lower()] = county.pk
            if county.vehicle_code == "B":
                self.bucharest = county.pk

    @classmethod
    def _key(cls, text: str) -> str:
        folded = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())
        folded = cls.PREFIXES.sub("", folded)
        return folded.replace(" ", "")

    def find(self, value: str) -> int | None:
        # A file repeats the same few hundred spellings: remember each answer.
        if value not in self._found:
            if len(self._found) > 10_000:
                self._found.clear()
            self._found[value] = self._find(value)
        return self._found[value]

    def _find(self, value: str) -> int | None:
        folded = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(value)).split())
        if self.bucharest and (
            self.SECTOR.match(folded) or folded.replace(" ", "").startswith("bucuresti")
        ):
            return self.bucharest
        key = self._key(value)
        if key.startswith("municipiulbucuresti") or key.startswith("bucuresti"):
            return self.bucharest
        return self.by_key.get(key)
