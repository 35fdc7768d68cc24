"""Text helpers shared by search, import and display."""

import html
import re
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


_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_URL = re.compile(r"(?<![\"'=])\bhttps?://[^\s<]+[^\s<.,;:!?)\]'\"]")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def _inline(line: str) -> str:
    """One escaped line with **bold**, _italic_ and bare web addresses as links."""
    line = html.escape(line, quote=False)
    line = _BOLD.sub(r"<strong>\1</strong>", line)
    line = _ITALIC.sub(r"<em>\1</em>", line)
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', line)


def _block(lines: list[str]) -> list[str]:
    """One block of lines as paragraphs and lists."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    kind = ""
    for line in [*lines, None]:
        bullet = _BULLET.match(line) if line is not None else None
        numbered = _NUMBERED.match(line) if line is not None and not bullet else None
        this_kind = "ul" if bullet else "ol" if numbered else ""
        if items and this_kind != kind:
            out.append(f"<{kind}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{kind}>")
            items = []
        if paragraph and (this_kind or line is None):
            out.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph = []
        kind = this_kind
        if line is None:
            break
        if this_kind:
            items.append(_inline((bullet or numbered).group(1)))
        else:
            paragraph.append(_inline(line.strip()))
    return out


def simple_markup(text: str) -> str:
    """Sanitised HTML from plain text with the light formatting the forms promise: a
    blank line between paragraphs, lines starting with "-" (or "1.") as a list,
    **bold**, _italic_, and web addresses as links. Nothing else becomes markup."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        blocks.extend(_block([line for line in block.split("\n") if line.strip()]))
    return sanitize_html("\n\n".join(blocks))
