"""The columns of the register's file: their keys, the headers that name them, and the
fixed values (legal forms, date formats) the import reads them with."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext_lazy

from ..models import Organisation

DEFAULT_BATCH_SIZE = 1000
SNIFF_BYTES = 256 * 1024
HEADER_SEARCH_ROWS = 15
MAX_UPLOAD_SIZE = 200 * 1024 * 1024
NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length

# Columns the import understands, by the key it uses internally.
NAME = "name"
REGISTRY_NUMBER = "registry_number"
FISCAL_CODE = "fiscal_code"
REGISTRATION_DATE = "registration_date"
COUNTY = "county"
LOCALITY = "locality"
ADDRESS = "address"
LEGAL_FORM = "legal_form"
STATE = "state"
PURPOSE = "purpose"
# Issue 18: the columns of the Ministry's XLSX files that the CSV import did not read.
PUBLIC_UTILITY = "public_utility"
PUBLIC_UTILITY_DATE = "public_utility_date"
COUNTRY = "country"

# Header variants, compared after `normalise_header` (no diacritics, lower case, punctuation
# turned into spaces): "Nr. inreg. Registrul Național" → "nr inreg registrul national".
HEADER_ALIASES: dict[str, set[str]] = {
    NAME: {
        "denumire",
        "denumirea",
        "denumire organizatie",
        "denumirea organizatiei",
        "denumire ong",
        "denumire entitate",
        "nume",
        "nume organizatie",
        "name",
    },
    REGISTRY_NUMBER: {
        "numar inreg reg national",
        "nr inreg reg national",
        "nr inreg registrul national",
        "numar inregistrare registrul national",
        "numar inregistrare rnong",
        "nr inregistrare rnong",
        "nr inreg rnong",
        "numar rnong",
        "nr rnong",
        "rnong",
        "numar registrul national",
        "nr registrul national",
        "numar registru national",
        "nr registru national",
        "numar de inregistrare in registrul national",
        "numar inscriere registrul national",
        "registry number",
    },
    FISCAL_CODE: {
        "cod fiscal",
        "codul fiscal",
        "cif",
        "cui",
        "cif cui",
        "cui cif",
        "cod fiscal cif",
        "cod de inregistrare fiscala",
        "cod inregistrare fiscala",
        "cod unic de inregistrare",
        "cod unic inregistrare",
        "fiscal code",
    },
    REGISTRATION_DATE: {
        "data inregistrarii",
        "data inregistrare",
        "data inreg",
        "data inscrierii",
        "data inscriere",
        "data infiintarii",
        "data inregistrarii in registrul national",
        "data inregistrare rnong",
        "registration date",
    },
    COUNTY: {"judet", "judetul", "judet sediu", "judetul sediului", "county"},
    LOCALITY: {
        "localitate",
        "localitatea",
        "localitate sediu",
        "localitatea sediului",
        "oras",
        "locality",
    },
    ADDRESS: {"adresa", "adresa sediu", "adresa sediului", "sediu", "sediul", "address"},
    LEGAL_FORM: {
        "tip",
        "tipul",
        "tip entitate",
        "tip organizatie",
        "tip persoana juridica",
        "forma juridica",
        "forma de organizare",
        "forma organizare",
        "categorie",
        "categoria",
        "legal form",
    },
    STATE: {"stare", "starea", "starea actuala", "stare actuala", "status", "situatie"},
    PURPOSE: {"scopul initial", "scop initial", "scopul", "scop", "scopul organizatiei"},
    PUBLIC_UTILITY: {"hg utilitate publica", "hg de utilitate publica", "utilitate publica"},
    PUBLIC_UTILITY_DATE: {"data hg utilitate publica", "data hg de utilitate publica"},
    COUNTRY: {"tara", "country"},
}
ALIAS_TO_KEY = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
PURPOSE_AMENDMENT = re.compile(r"^modificari ale scopului( \d+)?$")

COLUMN_LABELS = {
    NAME: gettext_lazy("name"),
    REGISTRY_NUMBER: gettext_lazy("registry number"),
    FISCAL_CODE: gettext_lazy("fiscal code"),
    REGISTRATION_DATE: gettext_lazy("registration date"),
    COUNTY: gettext_lazy("county"),
    LOCALITY: gettext_lazy("locality"),
    ADDRESS: gettext_lazy("address"),
    LEGAL_FORM: gettext_lazy("legal form"),
    STATE: gettext_lazy("state"),
    PURPOSE: gettext_lazy("purpose"),
    PUBLIC_UTILITY: gettext_lazy("public-utility decision"),
    PUBLIC_UTILITY_DATE: gettext_lazy("date of the public-utility decision"),
    COUNTRY: gettext_lazy("country"),
}

LegalForm = Organisation.LegalForm
# Folded prefixes of the legal form, in Romanian and English ("Asociația", "ASOCIATII", ...).
LEGAL_FORM_PREFIXES = (
    ("asocia", LegalForm.ASSOCIATION),
    ("association", LegalForm.ASSOCIATION),
    ("funda", LegalForm.FOUNDATION),
    ("foundation", LegalForm.FOUNDATION),
    ("federa", LegalForm.FEDERATION),
    ("uniun", LegalForm.UNION),
    ("union", LegalForm.UNION),
    ("persoan", LegalForm.FOREIGN),
    ("foreign", LegalForm.FOREIGN),
)
# The part of the national register a number belongs to: "1039/A/2023" is an association.
REGISTRY_PART_FORMS = {
    "A": LegalForm.ASSOCIATION,
    "B": LegalForm.FOUNDATION,
    "C": LegalForm.FEDERATION,
    "D": LegalForm.UNION,
}
REGISTRY_PART = re.compile(r"/\s*([A-D])\s*/", re.IGNORECASE)

# "Starea actuala" is empty for a living organisation; these words mean it is gone.
INACTIVE_STATE_WORDS = ("radiat", "dizolv", "lichid", "desfiint", "inactiv", "dissolved")

DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d")
EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST_DATE = date(1850, 1, 1)

# Fields that the register can give; the rest of a profile is the NGO's own.
IMPORT_FIELDS = (
    "name",
    "legal_form",
    "registry_number",
    "fiscal_code",
    "registration_date",
    "county_id",
    "locality",
    "address",
    "description",
    # Issue 18.
    "registry_state",
    "registration_year",
    "public_utility",
    "public_utility_decision",
    "public_utility_date",
    "registry_country",
    "registry_name_key",
)
# What the Ministry is the source of: the import keeps these up to date even on a profile
# that its administrators look after. The rest is only filled when empty, and a different
# value in the file is reported as a conflict.
MINISTRY_FIELDS = frozenset(
    {
        "legal_form",
        "registry_number",
        "registration_date",
        "registry_state",
        "registration_year",
        "public_utility",
        "public_utility_decision",
        "public_utility_date",
        "registry_country",
        "registry_name_key",
    }
)
FIELD_COLUMN = {
    "name": NAME,
    "legal_form": LEGAL_FORM,
    "registry_number": REGISTRY_NUMBER,
    "fiscal_code": FISCAL_CODE,
    "registration_date": REGISTRATION_DATE,
    "county_id": COUNTY,
    "county": COUNTY,
    "locality": LOCALITY,
    "address": ADDRESS,
    "description": PURPOSE,
    "registry_state": STATE,
    "registration_year": REGISTRY_NUMBER,
    "public_utility": PUBLIC_UTILITY,
    "public_utility_decision": PUBLIC_UTILITY,
    "public_utility_date": PUBLIC_UTILITY_DATE,
    "registry_country": COUNTRY,
    "registry_name_key": NAME,
}

# Issue 18: the Ministry's XLSX files.
# The category of a file, from the folded words of its name ("Registrul ONG - asociatii
# 2026-01-12.xlsx"); the foreign legal persons first, their name also says "asociatii".
CATEGORY_WORDS = (
    ("strain", LegalForm.FOREIGN),
    ("foreign", LegalForm.FOREIGN),
    ("asociati", LegalForm.ASSOCIATION),
    ("association", LegalForm.ASSOCIATION),
    ("fundati", LegalForm.FOUNDATION),
    ("foundation", LegalForm.FOUNDATION),
    ("federati", LegalForm.FEDERATION),
    ("uniuni", LegalForm.UNION),
    ("union", LegalForm.UNION),
)
# A zip whose entries unpack to more than this, or whose packing ratio is above the
# ratio, is refused before openpyxl reads it (the real associations' file: ~25 MB packed,
# ~200 MB unpacked, a ratio near 10).
XLSX_MAX_UNPACKED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_MAX_ENTRIES = 10_000
# Words of a "name" that is the text of a court ruling, not an organisation's name.
RULING_WORDS = frozenset(
    {
        "sentinta",
        "sentinte",
        "incheiere",
        "incheierea",
        "incheierii",
        "decizia",
        "decizie",
        "hotararea",
        "dosar",
        "dosarul",
        "tribunalul",
        "judecatoria",
        "irevocabila",
        "definitiva",
    }
)
