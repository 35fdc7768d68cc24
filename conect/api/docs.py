"""The OpenAPI schema and its two readers, served from local files (drf-spectacular-
sidecar), under the site's Content-Security-Policy.

- Swagger UI (/api/v1/docs/): our template has no inline style or script; its start-up
  script is served by the same view (`?script`) as a same-origin file.
- Redoc (/api/v1/redoc/): Redoc styles itself with injected <style> elements and runs its
  search in a worker made from a blob, so this page alone allows inline styles and blob
  workers (scripts stay 'self').

The pages follow the site's language (cookie, account, browser) and ask for the schema in
that language.
"""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from drf_spectacular.plumbing import set_query_parameters
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
