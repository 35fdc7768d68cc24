"""Content negotiation that also negotiates the language.

An API client states its language with Accept-Language, and the API answers in it (field
labels, error messages, names of domains), even when the request comes with the session
of a user whose preferred language differs: the header is the client's explicit choice.
Without the header, the language chosen by the middleware stands (the user's preference,
the language cookie, or Romanian).
"""

from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.negotiation import DefaultContentNegotiation


def activate_request_language(request) -> None:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:200]):
        if code == "*":
            continue
        try:
            language = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return


class ApiContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        activate_request_language(request)
        return super().select_renderer(request, renderers, format_suffix)
