"""The feedback's aggregates in the API (/api/v1/feedback/...): the services with their
12-month index, and the monthly indices of the country, a region, a county, an
institution or a service. Single answers are never published (nor their comments or
e-mail addresses): only sums of at least 10 answers."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from conect.api.viewsets import ApiViewMixin, ReadOnlyApiViewSet
from registry.models import County, Institution, Region

from .. import selectors
from ..models import Service
from . import serializers
from .filters import FeedbackServiceApiFilter


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List public services with their satisfaction index"),
        description=gettext_lazy(
            "Services that accept feedback, each with its index over the last 12 months "
            "(shown from 10 answers); filter them by institution, county, region or channel."
        ),
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("A public service with its satisfaction index"),
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description=gettext_lazy("The service's short code, as in its address /s/<code>/."),
            )
        ],
    ),
)
class FeedbackServiceViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.ServiceSerializer
    filterset_class = FeedbackServiceApiFilter
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9]+"
    csv_name = "feedback-services"
    csv_columns = [
        ("code", "code"),
        ("name", "name"),
        ("channel", "channel"),
        ("institution_id", "institution.id"),
        ("institution", "institution.name"),
        ("county", "county"),
        ("answers", "index.answers"),
        ("satisfied_share", "index.satisfied_share"),
        ("satisfaction", "index.averages.satisfaction"),
        ("access", "index.averages.access"),
        ("clarity", "index.averages.clarity"),
        ("courtesy", "index.averages.courtesy"),
        ("timeliness", "index.averages.timeliness"),
        ("solved_share", "index.solved_share"),
        ("web_url", "web_url"),
    ]

    def get_queryset(self):
        return selectors.active_services()


SCOPES = ("service", "institution", "county", "region")


class FeedbackIndexView(ApiViewMixin, APIView):
    """The satisfaction index by month over the last 12 months: of the country (with
    every region and county) when no scope is given, else of one service (its code), one
    institution (its id), one county or one region (their codes)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="feedback_index",
        summary=gettext_lazy("Satisfaction index by month"),
        parameters=[
            OpenApiParameter("service", str, description=gettext_lazy("Code of a service.")),
            OpenApiParameter("institution", int, description=gettext_lazy("Id of an institution.")),
            OpenApiParameter("county", str, description=gettext_lazy("Code of a county.")),
            OpenApiParameter("region", str, description=gettext_lazy("Code of a region.")),
        ],
        responses={200: serializers.NationalIndexSerializer},
    )
    def get(self, request):
        scope = next((name for name in SCOPES if request.query_params.get(name)), None)
        if scope is None:
            data = selectors.national_feedback()
            return Response(serializers.NationalIndexSerializer(data).data)
        value = request.query_params[scope].strip()
        if scope == "service":
            service = Service.objects.filter(code=value, is_active=True).first()
            if service is None:
                raise NotFound(_("There is no such service."))
            series = selectors.service_index(service)
        elif scope == "institution":
            institution = Institution.objects.filter(pk=value).first() if value.isdigit() else None
            if institution is None:
                raise NotFound(_("There is no such institution."))
            series = selectors.institution_feedback(institution)["series"]
        elif scope == "county":
            county = County.objects.filter(code=value).first()
            if county is None:
                raise NotFound(_("There is no such county."))
            series = selectors.area_feedback(county=county)["series"]
        else:
            region = Region.objects.filter(code=value).first()
            if region is None:
                raise NotFound(_("There is no such region."))
            series = selectors.area_feedback(region=region)["series"]
        return Response({"series": serializers.SeriesSerializer(series).data})
