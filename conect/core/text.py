"""Text helpers shared by search, import and display."""

import unicodedata

import nh3

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
