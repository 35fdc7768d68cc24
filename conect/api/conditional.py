"""Conditional requests: every successful GET answer carries an ETag, and a client that
sends it back in If-None-Match gets 304 Not Modified, with no body, when nothing changed.

- Large lists (organisations, institutions, officials) compute their ETag before reading
  the page, from a fingerprint: how many records match the filters, and the latest
  `updated_at` of the whole table, together with the address, the language and the
  format. A listed record that changes raises the table's latest `updated_at`; one that
  appears or disappears changes the count (or raises the latest `updated_at`, as a
  status change does). An unchanged list is answered 304 after two small queries: the
  count (which the page then reuses) and the latest change, read from its index. (The
  latest change among the filtered records only would cost a scan of them all.)
- Everything else (single records, small lists, cursor pages) gets the SHA-256 of the
  body it is about to send, which is exact whatever changed.
- A single record also carries Last-Modified (its `updated_at`) and honours
  If-Modified-Since.
"""

import hashlib
from datetime import datetime

from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.utils import translation
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date, parse_http_date_safe


def fingerprint(
    queryset: QuerySet, field: str = "updated_at", *, count_key: str | None = None
) -> dict:
    """{"count": records matching, "last_modified": latest `field` of the whole table}.
    The count is the ORM's count() (COUNT(*)), as the paginator's: PostgreSQL answers it
    from an index alone, where COUNT(id) made it read all the table's rows.

    With `count_key` (the list's address and the cache versions of what can remove a
    record from it without a write to the table, such as a deletion), the count is kept
    in the shared cache under that key and the latest change: on 100,000 organisations
    it is most of an unchanged page's time."""
    table = queryset.model._base_manager.all()
    last = table.aggregate(last=Max(field))["last"]
    if count_key is None:
        count = queryset.order_by().count()
    else:
        stamp = last.isoformat() if isinstance(last, datetime) else ""
        digest = hashlib.sha256(f"{count_key}\n{stamp}".encode()).hexdigest()[:40]
        count = cache.get_or_set(
            f"api:count:{digest}", lambda: queryset.order_by().count(), COUNT_TIMEOUT
        )
    return {"count": count, "last_modified": last}


# How long a list's count is kept under its latest change (a change replaces it at once).
COUNT_TIMEOUT = 60 * 5


def _media_type(request) -> str:
    return getattr(request, "accepted_media_type", "") or ""


def fingerprint_etag(request, data: dict) -> str:
    last = data.get("last_modified")
    parts = [
        "v1",
        request.get_full_path(),
        translation.get_language() or "",
        _media_type(request),
        str(data.get("count")),
        last.isoformat() if isinstance(last, datetime) else "",
        ",".join(str(v) for v in data.get("versions", ())),
    ]
    return quote_etag(hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40])


def not_modified(request, *, etag: str | None = None, last_modified: datetime | None = None):
    """A 304 answer when the client's copy is current, else None."""
    django_request = getattr(request, "_request", request)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(django_request, etag=etag, last_modified=timestamp)
    if response is not None and etag:
        response["ETag"] = etag
    return response


def set_last_modified(response, last_modified: datetime | None) -> None:
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())


def add_content_etag(request, response) -> None:
    """After rendering, give a 200 answer without an ETag the hash of its body, and turn
    it into 304 when the client already holds that body."""
    django_request = getattr(request, "_request", request)

    def callback(rendered):
        if rendered.status_code != 200 or django_request.method not in ("GET", "HEAD"):
            return None
        if not rendered.has_header("ETag"):
            digest = hashlib.sha256(rendered.content).hexdigest()[:40]
            rendered["ETag"] = quote_etag(digest)
        last_modified = parse_http_date_safe(rendered.get("Last-Modified", ""))
        return get_conditional_response(
            django_request,
            etag=rendered["ETag"],
            last_modified=last_modified,
            response=rendered,
        )

    response.add_post_render_callback(callback)
