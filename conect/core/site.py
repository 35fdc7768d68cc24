"""The site's public address: every absolute address the site writes (Atom feeds,
iCalendar files, e-mails, the API's links, the synthesis PDF) is built here, from the
one setting SITE_URL, never from the host a request happened to name."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def site_url() -> str:
    """SITE_URL without its final slash, e.g. "https://conect.gov.ro"."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """The absolute address of a path on the site ("/consultations/1/" becomes
    "https://conect.gov.ro/consultations/1/"). An address that is already absolute (a
    file on another storage) is returned as it is."""
    if urlsplit(path).scheme or path.startswith("//"):
        return path
    return site_url() + ("" if path.startswith("/") else "/") + path


def on_site(url: str | None) -> str | None:
    """An address built from a request (request.build_absolute_uri()) moved onto the
    site's own scheme and host, keeping its path, query and fragment."""
    if url is None:
        return None
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))
