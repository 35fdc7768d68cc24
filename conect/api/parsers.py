"""The API's JSON parser: DRF's, answering 400 to a body nested too deeply for Python's
decoder (a thousand brackets), which would otherwise raise RecursionError and a 500."""

from django.utils.translation import gettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(gettext("The request body is nested too deeply to be read.")) from exc
