"""The OpenAPI schema and its two readers, served from local files (drf-spectacular-
sidecar), under the site's Content-Security-Policy.

- Redoc (/api/v1/docs/, the documentation; /api/v1/redoc/ redirects there): Redoc styles
  itself with injected <style> elements and runs its search in a worker made from a
  blob, so this page alone allows inline styles and blob workers (scripts stay 'self').
  Its theme (SPECTACULAR_SETTINGS["REDOC_UI_SETTINGS"]) darkens the colours that axe
  found too light.
- Swagger UI (/api/v1/docs/swagger/), for trying requests: our template has no inline
  style or script; its start-up script is served by the same view (`?script`) as a
  same-origin file.

The pages follow the site's language (cookie, account, browser) and ask for the schema in
that language.
"""

import json

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from drf_spectacular.plumbing import set_query_parameters
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.negotiation import DefaultContentNegotiation

from .negotiation import ApiContentNegotiation

SCHEMA_URL_NAME = "api-v1:schema"


class _InPageLanguage:
    content_negotiation_class = DefaultContentNegotiation
    url_name = SCHEMA_URL_NAME

    def _get_schema_url(self, request):
        url = super()._get_schema_url(request)
        if request.GET.get("lang"):
            return url
        return set_query_parameters(url=url, lang=get_language())


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, in YAML (default) or JSON (?format=json), in the language of
    Accept-Language or of ?lang=ro|en."""

    content_negotiation_class = ApiContentNegotiation


class ApiSwaggerView(_InPageLanguage, SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


@method_decorator(
    csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}),
    name="dispatch",
)
class ApiRedocView(_InPageLanguage, SpectacularRedocView):
    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # The page starts ReDoc from its <redoc> element (no inline script), which takes
        # the theme as a JSON attribute.
        response = super().get(request, *args, **kwargs)
        response.data["theme"] = json.dumps(spectacular_settings.REDOC_UI_SETTINGS.get("theme", {}))
        return response
