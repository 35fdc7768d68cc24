"""One JSON shape for every error of the API, in the client's language:

    {"error": {"code": "not_found", "message": "…", "details": null}}

`code` is stable and meant for programs; `message` is for people, translated according to
Accept-Language; `details` holds what helps fix the request: for invalid data, each field
with its messages and codes; for 429, `retry_after` in seconds; for 405, the allowed
methods.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, JsonResponse
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from .negotiation import activate_request_language

logger = logging.getLogger("conect.api")


def _message(exc: exceptions.APIException, code: str) -> str:
    """Our own sentence for each kind of error (DRF's are terse and partly untranslated);
    the exception's own text when it carries a specific one."""
    if isinstance(exc, exceptions.ValidationError):
        return gettext("Some of the data you sent is not valid: see the details.")
    if isinstance(exc, exceptions.Throttled):
        seconds = int(exc.wait or 1)
        return ngettext(
            "Too many requests. Try again in %(seconds)d second.",
            "Too many requests. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    if isinstance(exc, exceptions.NotAuthenticated):
        return gettext(
            "Authentication is needed for this: send your personal API token in the "
            "Authorization header (“Authorization: Token <key>”)."
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        return str(exc.detail)
    if isinstance(exc, exceptions.PermissionDenied):
        return gettext("You do not have permission to do this.")
    if isinstance(exc, exceptions.NotFound):
        if code == "not_found":
            return gettext("Nothing was found at this address.")
        return str(exc.detail)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return gettext("This method is not allowed here.")
    if isinstance(exc, exceptions.NotAcceptable):
        return gettext(
            "We cannot answer in the format you asked for. Ask for JSON, CSV or, for "
            "regions and counties, GeoJSON."
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return gettext("The request body must be JSON (Content-Type: application/json).")
    if isinstance(exc, exceptions.ParseError):
        return gettext("The request body could not be read: send valid JSON.")
    return str(exc.detail)


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details}}


def api_exception_handler(exc, context):
    """DRF's exception handler, answering in the shape above."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    if not isinstance(exc, exceptions.APIException):
        request = context.get("request")
        # As Django does for any 500: the test client re-raises it, error reporting sees it.
        got_request_exception.send(sender=None, request=getattr(request, "_request", request))
        logger.exception(
            "API error",
            extra={"path": getattr(request, "path", ""), "view": type(context.get("view"))},
        )
        return Response(
            error_body(
                "server_error",
                gettext(
                    "Something went wrong on our side. The error was recorded; please try "
                    "again later."
                ),
            ),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    details = None
    if isinstance(exc, exceptions.ValidationError):
        # Always "invalid"; each field's messages carry their own codes in `details`.
        code = "invalid"
        full = exc.get_full_details()
        details = full if isinstance(full, dict) else {"non_field_errors": full}
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        wait = int(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        details = {"retry_after": wait}
    if isinstance(exc, exceptions.MethodNotAllowed) and context.get("view") is not None:
        allowed = context["view"].allowed_methods
        details = {"allowed": allowed}
    return Response(
        error_body(code, _message(exc, code), details), status=exc.status_code, headers=headers
    )


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any address under /api/v1/ that names no endpoint: the same JSON error."""
    activate_request_language(request)
    return JsonResponse(
        error_body("not_found", gettext("Nothing was found at this address.")), status=404
    )


def api_csrf_failed(request):
    """A write under /api/ with the session of a signed-in browser but without its CSRF
    token: the same JSON error as any other refusal, saying what to send instead."""
    activate_request_language(request)
    return JsonResponse(
        error_body(
            "csrf_failed",
            gettext(
                "This request came with a browser session but without its CSRF token. "
                "Send your personal API token in the Authorization header instead."
            ),
        ),
        status=403,
    )
