"""The map statistics in the public API (/api/v1/map/): the same numbers as /map/data.json,
answered from the same cache."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors


# A serializer field belongs to one parent: each use gets a new instance.
def _per_layer():
    return serializers.DictField(
        child=serializers.IntegerField(), help_text=gettext_lazy("One number per layer.")
    )


def _per_layer_rate():
    return serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text=gettext_lazy("Per 100,000 inhabitants, one number per layer."),
    )


def _links():
    return serializers.DictField(
        child=serializers.CharField(),
        help_text=gettext_lazy("The registry list of this area, one link per layer."),
    )


MapStatisticsSchema = inline_serializer(
    name="MapStatistics",
    fields={
        "version": serializers.IntegerField(
            help_text=gettext_lazy("Changes whenever the registry changes.")
        ),
        "domain": serializers.CharField(allow_null=True),
        "layers": serializers.ListField(child=serializers.CharField()),
        "population": serializers.IntegerField(),
        "regions": inline_serializer(
            name="MapRegion",
            many=True,
            fields={
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "population": serializers.IntegerField(),
                "county_codes": serializers.ListField(child=serializers.CharField()),
                "counts": _per_layer(),
                "per_100k": _per_layer_rate(),
                "region_wide": _per_layer(),
                "links": _links(),
            },
        ),
        "counties": inline_serializer(
            name="MapCounty",
            many=True,
            fields={
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "region": serializers.CharField(),
                "population": serializers.IntegerField(),
                "counts": _per_layer(),
                "per_100k": _per_layer_rate(),
                "links": _links(),
            },
        ),
        "national": _per_layer(),
        "unknown": _per_layer(),
        "total": _per_layer(),
        "total_per_100k": _per_layer_rate(),
        "total_links": _links(),
        "attribution": serializers.CharField(),
    },
)


class MapStatisticsView(APIView):
    """Counts of verified NGOs, all NGOs in the registry, relationship officials and
    advisory structures by development region and county, absolute and per 100,000
    inhabitants. Records with no county are under `unknown` (or `national`)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="map_statistics",
        summary=gettext_lazy("Map statistics by region and county"),
        parameters=[
            OpenApiParameter(
                "domain",
                str,
                description=gettext_lazy(
                    "Identifier (slug) of a domain of activity: count only its records."
                ),
            )
        ],
        responses={200: MapStatisticsSchema},
    )
    def get(self, request):
        slug = request.query_params.get("domain", "").strip() or None
        try:
            data = selectors.map_statistics(slug)
        except selectors.UnknownDomain:
            raise ValidationError(
                {"domain": [_("There is no domain of activity “%(domain)s”.") % {"domain": slug}]}
            ) from None
        return Response(data)
