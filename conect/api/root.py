"""The API's entry point, /api/v1/: where each collection and the documentation live."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from conect.core.site import absolute_url

from .viewsets import ApiViewMixin

ENTRIES = {
    "organisations": "organisation-list",
    "institutions": "institution-list",
    "officials": "official-list",
    "structures": "structure-list",
    "regions": "region-list",
    "counties": "county-list",
    "domains": "domain-list",
    "map": "map-statistics",
    "proposal_calls": "proposal-call-list",
    "proposals": "proposal-list",
    "schema": "schema",
    "docs": "docs",
    "swagger": "swagger",
    # The reference's former address, now the documentation itself.
    "redoc": "docs",
}


class ApiRootView(ApiViewMixin, APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="api_root",
        summary=_("Entry point"),
        description=_("Links to every collection of the API and to its documentation."),
        responses={200: {"type": "object", "additionalProperties": {"type": "string"}}},
    )
    def get(self, request, format=None):
        return Response(
            {key: absolute_url(reverse(f"api-v1:{name}")) for key, name in ENTRIES.items()}
        )
