"""The registry's public API: read-only collections for everyone, and the update of an
organisation's profile by its administrators.

Each collection reads through the same selectors and filters as the web pages, so that
the API shows exactly what the site shows (a pending or rejected organisation, an official
who has not agreed to publication, never appear)."""

from django.db.models import Prefetch
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from conect.api.renderers import CSVRenderer, GeoJSONRenderer
from conect.api.viewsets import ApiViewMixin, ReadOnlyApiViewSet
from conect.core.collation import by_name

from ..map.api import MapStatisticsView
from ..map.selectors import map_statistics
from ..models import County, Domain, Region
from ..selectors.institutions import institution_list_public
from ..selectors.officials import official_list_public
from ..selectors.organisations import domains_in_order, organisation_list_public
from ..selectors.profiles import activity_list_public, organisation_profile_prefetches
from ..selectors.reference import DOMAINS_VERSION_KEY
from ..selectors.structures import seats_with_holders, structure_list_public
from ..services.organisations import organisation_update
from ..stats import STATS_VERSION_KEY
from . import serializers
from .filters import (
    ActivityApiFilter,
    CountyApiFilter,
    InstitutionApiFilter,
    OfficialApiFilter,
    OrganisationApiFilter,
    StructureApiFilter,
)

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description=_(
        "The format of the answer: json (the default) or csv. A list in CSV comes whole "
        "(every page, streamed, without pagination), one row per record. Accept: text/csv "
        "does the same."
    ),
)
CODE_PARAMETER = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description=_("The NUTS code of the area (e.g. RO11 for a region, RO113 for a county)."),
)
SLUG_PARAMETER = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    description=_("The domain's identifier (slug), e.g. education."),
)
GEO_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv", "geojson"],
    description=_(
        "The format of the answer: json (the default), csv, or geojson (a FeatureCollection "
        "with each boundary and its counts; Accept: application/geo+json does the same)."
    ),
)


def described(*parts):
    """An operation's description made of translated parts, joined in the language of
    whoever reads the schema (adding lazy texts together would fix them in the language
    active when this module is imported)."""
    return format_lazy(" ".join(["{}"] * len(parts)), *parts)


PAGINATED_LIST = _(
    "Page-number pagination by default (count, next, previous, results); add "
    "pagination=cursor to walk the whole list by id. The ETag changes when a record of "
    "the list is added, removed or changed."
)


# Columns that lists never show, left unread: a county's and a region's boundary are
# kilobytes of GeoJSON each, for every record of a page.
AREA_BOUNDARIES = ("county__boundary", "county__region__boundary")
ORGANISATION_INTERNALS = (
    "search_name",
    "search_vector",
    "status_reason",
    "status_changed_at",
    "status_changed_by",
    "created_by",
    "claimed_at",
    "verified_at",
    "registry_name_key",
    "claim_proof",
)


class IsAuthenticatedForWrites(permissions.BasePermission):
    """Reading is open to everyone; writing needs an authenticated user (401 otherwise)
    who holds the view's named permission on the record (403 otherwise)."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.has_perm(view.write_permission, obj)


# --- Organisations -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List organisations"),
        description=described(
            _(
                "Verified NGOs and the records imported from the National NGO Registry; an "
                "organisation pending verification, rejected or suspended never appears."
            ),
            _(
                "Those that the National NGO Registry lists as dissolved, in liquidation or "
                "struck off are left out unless `registry_state` asks for them (`all` for "
                "every state)."
            ),
            PAGINATED_LIST,
        ),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(
        summary=_("One organisation"),
        description=_("A public organisation; 404 for any other."),
        parameters=[FORMAT_PARAMETER],
    ),
    partial_update=extend_schema(
        summary=_("Update an organisation's profile"),
        description=_(
            "For the organisation's administrators (and the General Secretariat's "
            "coordinators), with a personal API token: the same checks and the same effect "
            "as the profile form on the web site. Send only the fields you change; other "
            "fields cannot be changed here."
        ),
        request=serializers.OrganisationUpdateSerializer,
        responses={200: serializers.OrganisationSerializer},
    ),
)
class OrganisationViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationApiFilter
    permission_classes = [IsAuthenticatedForWrites]
    write_permission = "registry.change_organisation"
    http_method_names = ["get", "head", "options", "patch"]
    fingerprint_field = "updated_at"
    # Domains renamed; organisations deleted (the statistics' version).
    fingerprint_versions = (DOMAINS_VERSION_KEY, STATS_VERSION_KEY)
    cache_pages = True
    csv_name = "organisations"
    csv_columns = [
        ("id", "id"),
        ("name", "name"),
        ("legal_form", "legal_form"),
        ("fiscal_code", "fiscal_code"),
        ("registry_number", "registry_number"),
        ("registration_date", "registration_date"),
        ("status", "status"),
        ("county_code", "county.code"),
        ("county", "county.name"),
        ("region_code", "region.code"),
        ("region", "region.name"),
        ("locality", "locality"),
        ("address", "address"),
        ("latitude", "latitude"),
        ("longitude", "longitude"),
        ("website", "website"),
        ("email", "email"),
        ("phone", "phone"),
        ("domains", "domains.slug"),
        ("description", "description"),
        ("url", "url"),
        ("web_url", "web_url"),
        ("created_at", "created_at"),
        ("updated_at", "updated_at"),
        ("registry_state", "registry_state"),
        ("registration_year", "registration_year"),
        ("public_utility", "public_utility"),
        ("public_utility_decision", "public_utility_decision"),
        ("public_utility_date", "public_utility_date"),
        ("country", "country"),
        # Richer profile (issue 18).
        ("activity_area", "activity_area"),
        ("activity_counties", "activity_counties.code"),
        ("activity_regions", "activity_regions.code"),
        ("provides_social_services", "provides_social_services"),
        ("donation_url", "donation_url"),
        ("contact_name", "contact_name"),
        ("contact_email", "contact_email"),
        ("contact_phone", "contact_phone"),
    ]

    def get_queryset(self):
        # The selector's visibility rule, the county and region joined, the domains in
        # one query per page; the columns the API never shows (search columns, internal
        # notes, boundaries) are left in the database.
        return (
            organisation_list_public()
            .select_related("county__region")
            .defer(*ORGANISATION_INTERNALS, *AREA_BOUNDARIES)
            .prefetch_related(domains_in_order(), *organisation_profile_prefetches())
            .order_by("id")
        )

    def partial_update(self, request, *args, **kwargs):
        organisation = self.get_object()
        writable = serializers.OrganisationUpdateSerializer().fields
        if not isinstance(request.data, dict):
            raise ValidationError(
                {"non_field_errors": [gettext("Send a JSON object with the fields to change.")]}
            )
        refused = sorted(set(request.data) - set(writable))
        if refused:
            raise ValidationError(
                {
                    name: [gettext("This field cannot be changed through the API.")]
                    for name in refused
                },
                code="read_only",
            )
        context = {**self.get_serializer_context(), "organisation": organisation}
        update = serializers.OrganisationUpdateSerializer(
            data=request.data, partial=True, context=context
        )
        update.is_valid(raise_exception=True)
        if update.validated_data:
            organisation_update(
                organisation=organisation, actor=request.user, **update.validated_data
            )
        organisation = self.get_queryset().get(pk=organisation.pk)
        return Response(self.get_serializer(organisation).data)


# --- Institutions, officials, advisory structures ----------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List public institutions"),
        description=described(
            _(
                "Ministries, agencies, prefectures, county councils, city halls and other "
                "public institutions, with how many published officials and active advisory "
                "structures each has."
            ),
            PAGINATED_LIST,
        ),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary=_("One public institution"), parameters=[FORMAT_PARAMETER]),
)
class InstitutionViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.InstitutionSerializer
    filterset_class = InstitutionApiFilter
    fingerprint_field = "updated_at"
    csv_name = "institutions"
    csv_columns = [
        ("id", "id"),
        ("name", "name"),
        ("kind", "kind"),
        ("level", "level"),
        ("county_code", "county.code"),
        ("county", "county.name"),
        ("region_code", "region.code"),
        ("parent_id", "parent.id"),
        ("parent", "parent.name"),
        ("website", "website"),
        ("email", "email"),
        ("officials_count", "officials_count"),
        ("structures_count", "structures_count"),
        ("url", "url"),
        ("web_url", "web_url"),
        ("created_at", "created_at"),
        ("updated_at", "updated_at"),
    ]

    def get_queryset(self):
        return institution_list_public().defer("search_name", *AREA_BOUNDARIES).order_by("id")


@extend_schema_view(
    list=extend_schema(
        summary=_("List relationship officials"),
        description=described(
            _(
                "The people public institutions name for their relationship with civil "
                "society, once they agreed to the publication of their professional contact "
                "data. The county, region and domain filters also find the officials who "
                "cover the whole country or every domain."
            ),
            PAGINATED_LIST,
        ),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(
        summary=_("One relationship official"),
        description=_("A published official; 404 for any other."),
        parameters=[FORMAT_PARAMETER],
    ),
)
class OfficialViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.OfficialSerializer
    filterset_class = OfficialApiFilter
    fingerprint_field = "updated_at"
    csv_name = "officials"
    csv_columns = [
        ("id", "id"),
        ("name", "name"),
        ("position", "position"),
        ("email", "email"),
        ("phone", "phone"),
        ("institution_id", "institution.id"),
        ("institution", "institution.name"),
        ("domains", "domains.slug"),
        ("counties", "counties.code"),
        ("published_at", "published_at"),
        ("url", "url"),
        ("web_url", "web_url"),
        ("updated_at", "updated_at"),
    ]

    def get_queryset(self):
        return (
            official_list_public()
            .defer("consent_token", "removal_token", "search_name", "institution__county__boundary")
            .order_by("id")
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List advisory structures"),
        description=described(
            _(
                "Consultative councils, committees, working groups and social dialogue "
                "committees, each with its seats and their holders."
            ),
            PAGINATED_LIST,
        ),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary=_("One advisory structure"), parameters=[FORMAT_PARAMETER]),
)
class StructureViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.StructureSerializer
    filterset_class = StructureApiFilter
    # Seats change without touching the structure: the ETag hashes the body instead.
    fingerprint_field = None
    csv_name = "structures"
    csv_columns = [
        ("id", "id"),
        ("name", "name"),
        ("kind", "kind"),
        ("legal_basis", "legal_basis"),
        ("territorial_level", "territorial_level"),
        ("region_code", "region.code"),
        ("county_code", "county.code"),
        ("institution_id", "institution.id"),
        ("institution", "institution.name"),
        ("domains", "domains.slug"),
        ("status", "status"),
        ("current_seats", "current_seats"),
        ("has_open_call", "has_open_call"),
        ("seat_organisations", "seats.organisation.name"),
        ("seat_officials", "seats.official.name"),
        ("url", "url"),
        ("web_url", "web_url"),
        ("updated_at", "updated_at"),
    ]

    def get_queryset(self):
        return (
            structure_list_public()
            .defer("search_name", "region__boundary", "county__boundary")
            .prefetch_related(Prefetch("seats", queryset=seats_with_holders(), to_attr="seat_list"))
            .order_by("id")
        )


# --- Reference geography and domains -----------------------------------------------


def _counts_by_area() -> dict:
    """The national map's counts (cached) by region and county code."""
    stats = map_statistics()
    return {
        "regions": {row["code"]: row["counts"] for row in stats["regions"]},
        "counties": {row["code"]: row["counts"] for row in stats["counties"]},
    }


class GeographyViewSet(ReadOnlyApiViewSet):
    """Regions and counties: small fixed lists (no pagination), by NUTS code, in JSON,
    CSV or GeoJSON with their boundaries and counts."""

    pagination_class = None
    renderer_classes = [JSONRenderer, CSVRenderer, GeoJSONRenderer]
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+"

    def is_geojson(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == GeoJSONRenderer.format

    def get_queryset(self):
        queryset = self.queryset_base()
        return queryset if self.is_geojson() else queryset.defer("boundary")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["counts"] = _counts_by_area()
        return context

    def _feature(self, obj, properties):
        return {
            "type": "Feature",
            "id": obj.code,
            "geometry": obj.boundary,
            "properties": properties,
        }

    def list(self, request, *args, **kwargs):
        if not self.is_geojson():
            return super().list(request, *args, **kwargs)
        objects = list(self.filter_queryset(self.get_queryset()))
        data = self.get_serializer(objects, many=True).data
        features = [self._feature(obj, props) for obj, props in zip(objects, data, strict=True)]
        return Response({"type": "FeatureCollection", "features": features})

    def retrieve(self, request, *args, **kwargs):
        if not self.is_geojson():
            return super().retrieve(request, *args, **kwargs)
        obj = self.get_object()
        return Response(self._feature(obj, self.get_serializer(obj).data))


def _geojson_schema(many: bool) -> dict:
    feature = {
        "type": "object",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "string", "description": str(_("The NUTS code."))},
            "geometry": {
                "type": "object",
                "additionalProperties": True,
                "description": str(_("The boundary: a GeoJSON Polygon or MultiPolygon.")),
            },
            "properties": {
                "type": "object",
                "additionalProperties": True,
                "description": str(_("The fields of the JSON answer.")),
            },
        },
    }
    if not many:
        return feature
    return {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": feature},
        },
    }


def _geo_responses(serializer_class, many: bool) -> dict:
    return {
        (200, "application/json"): serializer_class(many=many),
        (200, "text/csv"): OpenApiResponse(
            response=OpenApiTypes.STR,
            description=_("CSV, one row per area.") if many else _("CSV, one row."),
        ),
        (200, "application/geo+json"): OpenApiResponse(
            response=_geojson_schema(many),
            description=_(
                "GeoJSON: each area's boundary as geometry and the fields of the JSON "
                "answer as properties."
            ),
        ),
    }


@extend_schema_view(
    list=extend_schema(
        summary=_("List development regions"),
        description=_(
            "Romania's 8 development regions (NUTS-2) with the map's counts; not paginated."
        ),
        parameters=[GEO_FORMAT_PARAMETER],
        responses=_geo_responses(serializers.RegionSerializer, many=True),
    ),
    retrieve=extend_schema(
        summary=_("One development region"),
        parameters=[CODE_PARAMETER, GEO_FORMAT_PARAMETER],
        responses=_geo_responses(serializers.RegionSerializer, many=False),
    ),
)
class RegionViewSet(GeographyViewSet):
    serializer_class = serializers.RegionSerializer
    csv_name = "regions"
    csv_columns = [
        ("id", "id"),
        ("code", "code"),
        ("name", "name"),
        ("organisations", "counts.organisations"),
        ("organisations_all", "counts.organisations_all"),
        ("officials", "counts.officials"),
        ("structures", "counts.structures"),
        ("url", "url"),
    ]

    def queryset_base(self):
        return Region.objects.order_by("code")


@extend_schema_view(
    list=extend_schema(
        summary=_("List counties"),
        description=_(
            "Romania's 41 counties and the Municipality of Bucharest (NUTS-3) with the "
            "map's counts; not paginated."
        ),
        parameters=[GEO_FORMAT_PARAMETER],
        responses=_geo_responses(serializers.CountySerializer, many=True),
    ),
    retrieve=extend_schema(
        summary=_("One county"),
        parameters=[CODE_PARAMETER, GEO_FORMAT_PARAMETER],
        responses=_geo_responses(serializers.CountySerializer, many=False),
    ),
)
class CountyViewSet(GeographyViewSet):
    serializer_class = serializers.CountySerializer
    filterset_class = CountyApiFilter
    csv_name = "counties"
    csv_columns = [
        ("id", "id"),
        ("code", "code"),
        ("name", "name"),
        ("vehicle_code", "vehicle_code"),
        ("siruta", "siruta"),
        ("population", "population"),
        ("region_code", "region.code"),
        ("organisations", "counts.organisations"),
        ("organisations_all", "counts.organisations_all"),
        ("officials", "counts.officials"),
        ("structures", "counts.structures"),
        ("url", "url"),
    ]

    def queryset_base(self):
        return County.objects.select_related("region").defer("region__boundary").order_by(by_name())


@extend_schema_view(
    list=extend_schema(
        summary=_("List domains of activity"),
        description=_("Every domain of activity, active or retired; not paginated."),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(
        summary=_("One domain of activity"), parameters=[SLUG_PARAMETER, FORMAT_PARAMETER]
    ),
)
class DomainViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.DomainSerializer
    pagination_class = None
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    csv_name = "domains"
    csv_columns = [
        ("id", "id"),
        ("slug", "slug"),
        ("name_ro", "name_ro"),
        ("name_en", "name_en"),
        ("is_active", "is_active"),
        ("url", "url"),
    ]

    def get_queryset(self):
        return Domain.objects.order_by("slug")


# --- The map ------------------------------------------------------------


class MapStatisticsApiView(ApiViewMixin, MapStatisticsView):
    """The map helper's statistics view with the API's shared behaviour (ETag, errors in
    JSON, rate-limit headers)."""

    renderer_classes = [JSONRenderer]


# --- Projects, events and calls for volunteers (issue 18) --------------------------


class ActivityViewSet(ReadOnlyApiViewSet):
    """The projects, events or calls for volunteers (`kind`) of public organisations,
    each in the language it was written in."""

    kind: str = ""
    serializer_class = serializers.ActivitySerializer
    filterset_class = ActivityApiFilter
    fingerprint_field = "updated_at"
    csv_columns = [
        ("id", "id"),
        ("title", "title"),
        ("language", "language"),
        ("starts_on", "starts_on"),
        ("ends_on", "ends_on"),
        ("organisation_id", "organisation.id"),
        ("organisation", "organisation.name"),
        ("domain", "domain.slug"),
        ("county_code", "county.code"),
        ("county", "county.name"),
        ("locality", "locality"),
        ("is_online", "is_online"),
        ("link", "link"),
        ("description", "description"),
        ("web_url", "web_url"),
        ("updated_at", "updated_at"),
    ]

    def get_queryset(self):
        return activity_list_public(self.kind).only(*serializers.ACTIVITY_API_FIELDS).order_by("id")


def _activity_schema(name: str, plural: str, description):
    return extend_schema_view(
        list=extend_schema(
            summary=plural,
            description=described(description, PAGINATED_LIST),
            parameters=[FORMAT_PARAMETER],
        ),
        retrieve=extend_schema(
            summary=name,
            description=_("One record of a public organisation; 404 for any other."),
            parameters=[FORMAT_PARAMETER],
        ),
    )


@_activity_schema(
    _("One project"),
    _("List projects"),
    _("Projects of verified and imported organisations, with their dates, place and domain."),
)
class ProjectViewSet(ActivityViewSet):
    kind = "project"
    csv_name = "projects"
    csv_columns = [*ActivityViewSet.csv_columns]


@_activity_schema(
    _("One event"),
    _("List events"),
    _("Events of verified and imported organisations, with their dates, place and domain."),
)
class EventViewSet(ActivityViewSet):
    kind = "event"
    csv_name = "events"


@_activity_schema(
    _("One call for volunteers"),
    _("List calls for volunteers"),
    _(
        "Calls for volunteers of verified and imported organisations, with the dates "
        "applications are open, the place, the domain and the number of volunteers needed."
    ),
)
class VolunteeringViewSet(ActivityViewSet):
    kind = "volunteering"
    csv_name = "volunteering"
    csv_columns = [*ActivityViewSet.csv_columns, ("volunteers_needed", "volunteers_needed")]
