"""Reading the values of a row: texts, numbers, dates, legal forms and counties."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.core.text import fix_diacritics, fold

from ..models import Organisation
from ..validators import normalize_fiscal_code, validate_fiscal_code
from .columns import (
    CATEGORY_WORDS,
    DATE_FORMATS,
    EARLIEST_DATE,
    EXCEL_EPOCH,
    INACTIVE_STATE_WORDS,
    LEGAL_FORM_PREFIXES,
    REGISTRY_PART,
    REGISTRY_PART_FORMS,
    RULING_WORDS,
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
        self.names: dict[int, str] = {}
        for county in counties:
            self.names[county.pk] = county.name
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


# --- Issue 18: the Ministry's XLSX files ---------------------------------------------

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_YEAR = re.compile(r"(?:^|/)\s*((?:18|19|20)\d{2})\s*$")
_STREET_WORDS = frozenset(
    {
        "str",
        "strada",
        "nr",
        "numar",
        "bl",
        "bloc",
        "sc",
        "scara",
        "ap",
        "et",
        "etaj",
        "bd",
        "bdul",
        "bulevardul",
        "calea",
        "sos",
        "soseaua",
        "aleea",
        "piata",
        "cod",
        "postal",
    }
)
_ROMANIA = frozenset({"romania", "ro", "rom"})
_DIGIT = re.compile(r"\d")
_PLAIN_PLACE = re.compile(r"[^\d,.;:/]{1,60}")


def registry_name_key(name: str) -> str:
    """The name folded to the letters and digits that matter: "ASOCIAŢIA „X”" and
    "Asociatia X" are the same key."""
    return " ".join(_NOT_ALNUM.sub(" ", fold(name)).split())[:300]


def set_aside_key(text: str) -> str:
    """The key of a row set aside for review: its text folded, hashed (the text of a court
    ruling can be longer than an index allows)."""
    return hashlib.sha256(registry_name_key(text).encode()).hexdigest()


def registration_year(number: str, *, today: date | None = None) -> int | None:
    """The year at the end of a registry number: 1039/A/2004 → 2004."""
    match = _YEAR.search(number or "")
    if not match:
        return None
    year = int(match.group(1))
    return year if EARLIEST_DATE.year <= year <= (today or timezone.localdate()).year else None


def parse_registry_state(value: str) -> str:
    """ "Starea actuala": blank for an active entity, else radiata, in lichidare, dizolvata."""
    State = Organisation.RegistryState
    if not value or not value.strip():
        return State.ACTIVE
    folded = fold(clean_text(value))
    if not folded:
        return State.ACTIVE
    if "lichid" in folded:
        return State.IN_LIQUIDATION
    if "radiat" in folded or "desfiint" in folded:
        return State.STRUCK_OFF
    if "dizolv" in folded or "dissolved" in folded:
        return State.DISSOLVED
    if folded in {"activ", "activa", "active", "functiune", "in functiune"}:
        return State.ACTIVE
    raise ValidationError(
        _("Unknown state: expected blank (active), radiata, in lichidare or dizolvata.")
    )


_RULING_HINT = re.compile(r"sentin|ncheier|decizi|dosar|tribunal|judec|hot[aă]r")


def is_court_ruling(name: str) -> bool:
    """A "name" that is the text of a court ruling (a few hundred rows of the register):
    it cites a ruling (sentință, încheiere, decizie, dosar, tribunal) and a number."""
    lower = name.lower()
    if not _DIGIT.search(lower) or not _RULING_HINT.search(lower):
        return False  # most names: no fold needed
    folded = fold(name)
    words = set(_NOT_ALNUM.sub(" ", folded).split())
    if len(words & {"sentinta", "sentinte", "incheiere", "incheierea", "incheierii"}) and (
        re.search(r"\d", folded)
    ):
        return True
    return len(words & RULING_WORDS) >= 2 and bool(re.search(r"\d+\s*/\s*\d{2,4}", folded))


def split_locality(locality: str, address: str) -> tuple[str, str]:
    """`Localitate` sometimes holds the whole address ("Cluj-Napoca, str. Avram Iancu nr.
    5"): the address moves to its column when that is empty, and the locality keeps its
    first part when that is a place name."""
    if not locality or _PLAIN_PLACE.fullmatch(locality):
        return locality, address  # a place name: no digit, no punctuation of an address
    words = set(_NOT_ALNUM.sub(" ", fold(locality)).split())
    if not (words & _STREET_WORDS) and len(locality) <= 60:
        return locality, address
    first = locality.split(",", 1)[0].strip()
    first_words = set(_NOT_ALNUM.sub(" ", fold(first)).split())
    place = first if first != locality and not (first_words & _STREET_WORDS) else ""
    if re.search(r"\d", place):
        place = ""
    return place, address or locality


_ROMANIA_SEEN: dict[str, bool] = {}


def is_romania(country: str) -> bool:
    if country not in _ROMANIA_SEEN:  # a file has a handful of spellings
        if len(_ROMANIA_SEEN) > 1000:
            _ROMANIA_SEEN.clear()
        folded = " ".join(_NOT_ALNUM.sub(" ", fold(country)).split())
        _ROMANIA_SEEN[country] = folded in _ROMANIA
    return _ROMANIA_SEEN[country]


def category_from_name(file_name: str) -> str | None:
    """The legal form of a Ministry file, from the words of its name."""
    folded = fold(file_name or "")
    for word, form in CATEGORY_WORDS:
        if word in folded:
            return form
    return None


_NAME_DATE = re.compile(r"(\d{4})[-_.](\d{2})[-_.](\d{2})|(\d{2})[-_.](\d{2})[-_.](\d{4})")


def extract_date_from_name(file_name: str) -> date | None:
    """The date of the extract, which the Ministry writes only in the file's name."""
    match = _NAME_DATE.search(file_name or "")
    if not match:
        return None
    if match.group(1):
        year, month, day = match.group(1), match.group(2), match.group(3)
    else:
        day, month, year = match.group(4), match.group(5), match.group(6)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
