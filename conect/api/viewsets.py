"""Base classes of every API view: the JSON error shape whatever format was asked, rate
limit headers, `Vary`, ETags with 304 answers, CSV streaming of whole lists and the
choice between page-number and cursor pagination."""

from django.conf import settings
from django.core.cache import cache
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from conect.core.versions import version

from . import conditional
from .pagination import MODE_PAGE, check_page_parameters, pagination_mode
from .renderers import CSVRenderer, csv_stream

CSV_BATCH = 1000


class ApiViewMixin:
    """For every API view (APIView or viewset)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        is_error = isinstance(response, Response) and response.exception
        if is_error and response.accepted_renderer.format != "json":
            # Errors are always JSON, even when CSV or GeoJSON was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        limit = getattr(request._request, "api_rate_limit", None)
        if limit is not None:
            response["RateLimit-Limit"] = str(limit[0])
            response["RateLimit-Remaining"] = str(limit[1])
            response["RateLimit-Reset"] = str(limit[2])
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        if request.method in ("GET", "HEAD"):
            patch_cache_control(response, no_cache=True)
            if isinstance(response, Response) and not response.exception:
                conditional.add_content_etag(request, response)
        return response


class ReadOnlyApiViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only collection with filters, both paginations, CSV and conditional GETs.

    `fingerprint_field` names the timestamp whose maximum (with the count) makes a list's
    ETag before the page is read, and which gives a single record its Last-Modified;
    leave it None where related records (seats...) change what is shown without touching
    it: the body's hash is used then, and no Last-Modified is sent.
    `csv_columns`: [(header, dotted path in the JSON record)]; `csv_name`: file name.

    `cache_pages`: keep a JSON page's data in the shared cache under its ETag (for
    `API_PAGE_CACHE_SECONDS`), and the list's count under its latest change, so that a
    page asked again before anything changed costs one query (the latest change) and no
    serialising. Only for lists whose fingerprint follows everything a record shows and
    every way one leaves the list: `fingerprint_versions` names the cache versions of
    what changes them without a write to the table (the domains' names, deletions)."""

    fingerprint_field: str | None = None
    fingerprint_versions: tuple[str, ...] = ()
    cache_pages = False
    csv_columns: list[tuple[str, str]] = []
    csv_name = "export"

    def get_csv_columns(self):
        return self.csv_columns

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        is_csv = request.accepted_renderer.format == CSVRenderer.format
        etag, known_count = None, None
        # Large (paginated) lists stream their CSV; small ones render it at once.
        stream = is_csv and self.paginator is not None
        paginated = self.paginator is not None and not is_csv
        if self.fingerprint_field and (not paginated or pagination_mode(request) == MODE_PAGE):
            versions = [version(key) for key in self.fingerprint_versions]
            count_key = None
            if self.cache_pages:
                count_key = f"{request.get_full_path()}\n{versions}"
            data = conditional.fingerprint(queryset, self.fingerprint_field, count_key=count_key)
            data["versions"] = versions
            etag = conditional.fingerprint_etag(request, data)
            unchanged = conditional.not_modified(request, etag=etag)
            if unchanged is not None:
                return unchanged
            known_count = data["count"]
        if stream:
            # The whole list, whatever the page: the parameters are still checked, so
            # that a mistyped one is refused as it is with JSON.
            pagination_mode(request)
            check_page_parameters(request)
            response = self.stream_csv(queryset)
        elif etag and self.cache_pages and request.accepted_renderer.format == "json":
            key = f"api:page:{etag}"
            data = cache.get(key)
            if data is None:
                data = self.serialise_list(queryset, request, paginated, known_count)
                cache.set(key, data, settings.API_PAGE_CACHE_SECONDS)
            response = Response(data)
        else:
            response = Response(self.serialise_list(queryset, request, paginated, known_count))
        if etag:
            response["ETag"] = etag
        return response

    def serialise_list(self, queryset, request, paginated, known_count):
        """The answer's data: the whole list, or the page the client asked for."""
        if not paginated:
            return self.get_serializer(queryset, many=True).data
        page = self.paginator.paginate_queryset(
            queryset, request, view=self, known_count=known_count
        )
        return self.paginator.get_paginated_response(self.get_serializer(page, many=True).data).data

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        if self.fingerprint_field:
            conditional.set_last_modified(response, getattr(instance, self.fingerprint_field))
        return response

    def stream_csv(self, queryset):
        """The whole list as CSV, read and written a thousand records at a time, so that
        memory stays flat whatever the size of the list."""
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        language = translation.get_language()

        def serialise(batch):
            return serializer_class(batch, many=True, context=context).data

        def batches():
            # Streaming runs after the view has returned: keep the request's language.
            with translation.override(language):
                batch = []
                for obj in queryset.iterator(chunk_size=CSV_BATCH):
                    batch.append(obj)
                    if len(batch) == CSV_BATCH:
                        yield serialise(batch)
                        batch = []
                if batch:
                    yield serialise(batch)

        response = StreamingHttpResponse(
            csv_stream(batches(), self.get_csv_columns()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.csv_name}.csv"'
        return response
