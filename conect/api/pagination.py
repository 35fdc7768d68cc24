"""Two ways through a list, chosen by the client.

- Page numbers, for browsing: ``?page=3&page_size=50`` (at most 100 a page). The answer
  carries the total ``count``. Deep pages get slower, as every offset does.
- Cursor, for pulling everything: ``?pagination=cursor`` for the first page, then follow
  ``next`` (which carries ``?cursor=…``) until it is null. Records come ordered by id and
  each page costs the same however deep it is, so a client can walk the whole registry.
  Pages hold up to 1,000 records; ``count`` is null (count the records as you go).

Both answer ``{"count", "next", "previous", "results"}``.
"""

from base64 import b64decode
from urllib import parse

from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, Cursor, CursorPagination
from rest_framework.pagination import PageNumberPagination as DrfPageNumberPagination
from rest_framework.response import Response

from conect.core.site import on_site

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
CURSOR_PAGE_SIZE = 100
MAX_CURSOR_PAGE_SIZE = 1000

MODE_PAGE = "page"
MODE_CURSOR = "cursor"

PAGINATION_DESCRIPTION = _(
    "How to go through the list: `page` (the default) numbers the pages and gives the "
    "total count; `cursor` orders the records by id and gives `next` links that stay fast "
    "however deep you go (use it to download everything)."
)
PAGE_DESCRIPTION = _("The page number, from 1 (page-number pagination).")
PAGE_SIZE_DESCRIPTION = _(
    "How many records a page holds: 50 by default, at most 100 with page numbers and at "
    "most 1,000 with a cursor (100 by default)."
)
CURSOR_DESCRIPTION = _(
    "The position in a cursor walk. Do not build it: take the `next` or `previous` link "
    "of the previous answer."
)
COUNT_DESCRIPTION = _(
    "How many records match, in all pages (page-number pagination); null with a cursor."
)
NEXT_DESCRIPTION = _("The link to the next page, or null on the last one.")
PREVIOUS_DESCRIPTION = _("The link to the previous page, or null on the first one.")


def pagination_mode(request) -> str:
    """`cursor` when the client asks for it (or sends a cursor), else `page`."""
    params = request.query_params
    wanted = params.get("pagination")
    if wanted not in (None, "", MODE_PAGE, MODE_CURSOR):
        raise ValidationError(
            {
                "pagination": [
                    gettext("Choose “page” or “cursor” (you sent “%(value)s”).")
                    % {"value": wanted[:50]}
                ]
            },
            code="invalid",
        )
    if wanted == MODE_CURSOR or (wanted != MODE_PAGE and "cursor" in params):
        return MODE_CURSOR
    return MODE_PAGE


def check_page_parameters(request) -> None:
    """`page_size` (and `page`, when sent) must be whole numbers from 1: DRF would quietly
    use the default instead, and the client would not learn that it asked wrongly. A page
    size above the maximum is lowered to it, as documented; a page number past the end
    is a 404."""
    errors = {}
    for name in ("page_size", "page"):
        raw = request.query_params.get(name)
        if raw is None:
            continue
        if name == "page" and raw.strip().lstrip("-").isdigit():
            continue  # a number out of range: the paginator's 404
        if not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            errors[name] = [
                gettext("Give a whole number from 1 (you sent “%(value)s”).") % {"value": raw[:50]}
            ]
    if errors:
        raise ValidationError(errors, code="invalid")


class _KnownCountPaginator(DjangoPaginator):
    """Django's paginator, told the count when the view already has it (the view
    computed it with the ETag), so that the count is not queried twice."""

    def __init__(self, *args, known_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.__dict__["count"] = known_count


class PageNumberPagination(DrfPageNumberPagination):
    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    page_query_description = PAGE_DESCRIPTION
    page_size_query_description = PAGE_SIZE_DESCRIPTION
    template = None

    def paginate_queryset(self, queryset, request, view=None, known_count=None):
        self.request = request
        page_size = self.get_page_size(request)
        paginator = _KnownCountPaginator(queryset, page_size, known_count=known_count)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(
                gettext("This page does not exist: %(detail)s") % {"detail": exc},
                code="invalid_page",
            ) from exc
        return list(self.page)


class IdCursorPagination(CursorPagination):
    """Cursor pagination on the primary key: each page is `WHERE id > last ORDER BY id
    LIMIT n`, as fast on the last page as on the first."""

    ordering = ("id",)
    page_size = CURSOR_PAGE_SIZE
    max_page_size = MAX_CURSOR_PAGE_SIZE
    page_size_query_param = "page_size"
    cursor_query_description = CURSOR_DESCRIPTION
    page_size_query_description = PAGE_SIZE_DESCRIPTION
    template = None

    def get_ordering(self, request, queryset, view):
        return self.ordering

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None or encoded == "":
            return None
        try:
            querystring = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(querystring, keep_blank_values=True, strict_parsing=True)
            offset = int(tokens.get("o", ["0"])[0])
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
            if position is not None:
                position = str(int(position))
            if not 0 <= offset <= self.offset_cutoff:
                raise ValueError
        except (TypeError, ValueError, UnicodeError) as exc:
            # A cursor is the address of a page: one the API did not give names no page,
            # as a page number past the end does (404, not a malformed request).
            raise NotFound(
                gettext(
                    "This cursor is not valid. Use the next and previous links exactly as "
                    "the API gave them."
                ),
                code="invalid_cursor",
            ) from exc
        return Cursor(offset=offset, reverse=reverse, position=position)


class ApiPagination(BasePagination):
    """Page numbers by default, a cursor on request (see the module's docstring)."""

    def __init__(self):
        self.mode = MODE_PAGE
        self.pages = PageNumberPagination()
        self.cursor = IdCursorPagination()

    @property
    def current(self):
        return self.cursor if self.mode == MODE_CURSOR else self.pages

    def paginate_queryset(self, queryset, request, view=None, known_count=None):
        self.mode = pagination_mode(request)
        check_page_parameters(request)
        if self.mode == MODE_CURSOR:
            # A cursor that names no page is that (404) before anything else.
            self.cursor.decode_cursor(request)
            ordering = request.query_params.get("ordering")
            if ordering not in (None, "", "id"):
                raise ValidationError(
                    {
                        "ordering": [
                            gettext(
                                "With a cursor the records always come ordered by id: leave "
                                "out the ordering, or use page numbers."
                            )
                        ]
                    },
                    code="ordering_with_cursor",
                )
            return self.cursor.paginate_queryset(queryset, request, view)
        return self.pages.paginate_queryset(queryset, request, view, known_count=known_count)

    def get_paginated_response(self, data):
        count = self.pages.page.paginator.count if self.mode == MODE_PAGE else None
        return Response(
            {
                "count": count,
                "next": on_site(self.current.get_next_link()),
                "previous": on_site(self.current.get_previous_link()),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "example": 1234,
                    "description": force_str(COUNT_DESCRIPTION),
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": force_str(NEXT_DESCRIPTION),
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": force_str(PREVIOUS_DESCRIPTION),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "pagination",
                "required": False,
                "in": "query",
                "description": force_str(PAGINATION_DESCRIPTION),
                "schema": {"type": "string", "enum": [MODE_PAGE, MODE_CURSOR]},
            },
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": force_str(PAGE_DESCRIPTION),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": force_str(PAGE_SIZE_DESCRIPTION),
                # No maximum: a larger size is lowered to the mode's maximum, not refused.
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": force_str(CURSOR_DESCRIPTION),
                "schema": {"type": "string"},
            },
        ]
