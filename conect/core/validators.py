"""Checks shared by every app for what people type: web addresses and the length of texts.

The model fields in `conect.core.fields` use them, so the web forms, the admin, the API
serializers and the services' `full_clean()` all apply the same rules."""

import html
import re
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

# Length limits of the texts people write, in characters.
REASON_MAX_LENGTH = 2_000  # a reason, a note, a report
DESCRIPTION_MAX_LENGTH = 5_000  # a description, a motivation, a justification, a summary
RECOMMENDATION_MAX_LENGTH = 10_000  # a recommendation, a synthesis introduction
DOCUMENT_MAX_LENGTH = 100_000  # minutes of a meeting, an article of a draft act
DRAFT_MAX_LENGTH = 1_000_000  # the whole text of a draft act, pasted to be split
# A formatted text may hold this many times its limit in HTML (tags, escapes, links).
HTML_MARKUP_ALLOWANCE = 4


@deconstructible
class VisibleTextLengthValidator(MaxLengthValidator):
    """At most `limit_value` characters of text a reader sees: HTML tags are not counted
    and an escaped character (&amp;) counts as one, as the person typed it."""

    def clean(self, x):
        return len(html.unescape(strip_tags(x)))


@deconstructible
class MarkupLengthValidator(MaxLengthValidator):
    """The bound on a formatted text's HTML, tags included."""

    message = _("This text has too much formatting: shorten it or remove some of its formatting.")


ALLOWED_SCHEMES = ("http", "https")

# Characters kept as they are in a path, a query or a fragment: RFC 3986's unreserved
# characters, the sub-delimiters but the apostrophe, ":", "@", "/", "?" and "%" (an
# escape already made). Everything else, the quote, "<", ">", spaces and the backtick
# among them, is percent-encoded, so an address cannot close the attribute it is put in.
_UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
_SAFE = frozenset(_UNRESERVED + "!$&()*+,;=:@/?%")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URI_CHARACTERS = _SAFE | frozenset("#[]")
# "mailto:", "javascript:"..., but not "example.ro:8080".
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:(?![0-9])")

# Django's own message, already translated.
INVALID_URL_MESSAGE = URLValidator.message


def _quote(part: str) -> str:
    part = _STRAY_PERCENT.sub("%25", part)
    return "".join(
        char if char in _SAFE else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        for char in part
    )


def normalize_url(value: str) -> str:
    """The address as a URI that is safe to put anywhere: surrounding spaces removed,
    https:// added when no scheme is given, the scheme and host in lower case (the host
    in its ASCII form), and every character that must be quoted in the path, the query
    and the fragment percent-encoded. Idempotent. An address that cannot be understood
    is returned stripped, for `validate_url` to refuse."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.startswith("//"):
        value = f"https:{value}"
    elif not _SCHEME.match(value):
        value = f"https://{value}"
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = parts.port
        host = host.encode("idna").decode("ascii") if host else ""
    except (ValueError, UnicodeError):
        return value
    if not host or parts.username is not None or parts.password is not None:
        return value
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            _quote(parts.path),
            _quote(parts.query),
            _quote(parts.fragment),
        )
    )


_url_validator = URLValidator(schemes=ALLOWED_SCHEMES, message=INVALID_URL_MESSAGE)


def validate_url(value: str) -> None:
    """A web page's address: http or https, a real host, no user name or password in it,
    nothing left unquoted (run it on the value `normalize_url` returns)."""
    if not value:
        return
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValidationError(INVALID_URL_MESSAGE, code="invalid") from None
    if (
        parts.scheme not in ALLOWED_SCHEMES
        or not parts.hostname
        or parts.username is not None
        or _STRAY_PERCENT.search(value)
        or not _URI_CHARACTERS.issuperset(value)
    ):
        raise ValidationError(INVALID_URL_MESSAGE, code="invalid")
    _url_validator(value)
