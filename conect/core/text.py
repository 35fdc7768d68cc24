"""Text helpers shared by search, import and display."""

import unicodedata

import nh3
from django.utils.text import capfirst
from django.utils.translation import get_language

# Cedilla forms that older Romanian data still uses, mapped to the correct comma-below forms.
_CEDILLA_TO_COMMA = str.maketrans({"ş": "ș", "Ş": "Ș", "ţ": "ț", "Ţ": "Ț"})

SAFE_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "blockquote"}
SAFE_ATTRIBUTES = {"a": {"href", "title"}}


def fix_diacritics(text: str) -> str:
    """Replace cedilla ş/ţ with the comma-below ș/ț used in correct Romanian."""
    return (text or "").translate(_CEDILLA_TO_COMMA)


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so that "Asociația" and "asociatia" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def sanitize_html(text: str) -> str:
    """Keep safe formatting only; scripts, styles and event handlers are removed."""
    return nh3.clean(
        text or "",
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def choice_labels(choices_class) -> dict:
    """A TextChoices' labels as {value: translated label with a capital letter}, worked
    out once per language and process (the labels live in the code and its catalogues):
    for lists that name a status or a kind on every row."""
    key = (choices_class, get_language())
    found = _CHOICE_LABELS.get(key)
    if found is None:
        found = _CHOICE_LABELS[key] = {
            value: str(capfirst(label)) for value, label in choices_class.choices
        }
    return found


_CHOICE_LABELS: dict = {}


class ChoiceDisplay:
    """A model mixin: get_FOO_display() from the field's labels as a dict made once per
    field and language. Django's own builds that dict on every call, hashing each lazily
    translated label (a record's page that names a dozen roles and statuses spent a tenth
    of its time there). The same answers: the label as text, or the value itself when it
    is not one of the choices."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        key = (field, get_language())
        labels = _FIELD_LABELS.get(key)
        if labels is None:
            labels = _FIELD_LABELS[key] = {
                choice: str(label) for choice, label in field.flatchoices
            }
        try:
            return labels.get(value, value)
        except TypeError:  # an unhashable value: never one of the choices
            return value


_FIELD_LABELS: dict = {}


# Django date format characters that strftime writes the same way, whatever the language
# (numbers only: names of days and months are left to Django, which translates them).
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}
_strftime_of: dict[str, str | None] = {}


def format_datetime(value, format_string: str) -> str:
    """django.utils.dateformat.format(value, format_string), for a format made only of
    zero-padded numbers and punctuation ("d.m.Y H:i") written by strftime: a tenth of the
    time, for tables of dates. Any other format goes to Django. `value` is already in the
    time zone to show (timezone.localtime)."""
    pattern = _strftime_of.get(format_string, "")
    if pattern == "":
        pattern = _strftime_of[format_string] = _as_strftime(format_string)
    if pattern is None:
        from django.utils import dateformat

        return dateformat.format(value, format_string)
    return value.strftime(pattern)


def _as_strftime(format_string: str) -> str | None:
    parts = []
    for char in format_string:
        if char in _STRFTIME:
            parts.append(_STRFTIME[char])
        elif char.isalpha() or char in "\\%":
            return None  # a letter Django reads (or an escape): Django's to write
        else:
            parts.append(char)
    return "".join(parts)
