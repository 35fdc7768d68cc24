"""What the public API shows of registry records.

Only public fields: an organisation's public contact data (never its members, the reason
for its status or who changed it), a relationship official's professional data once they
agreed to publication (never their account, language or links). Every record carries its
stable `id`, its API `url` and its `web_url`; related records are small objects with
their own `url`, so a client can follow links without building addresses.

Reference records (regions, counties, domains) are the same few dozen objects on every
page: each is turned into JSON once per request (in the serializer's context) and reused.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from conect.core.site import absolute_url

from ..models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    Organisation,
    OrganisationActivity,
    OrganisationAffiliation,
    Region,
    RelationshipOfficial,
    Seat,
)

API = "api-v1"


def link(context: dict, view_name: str, value) -> str | None:
    """The absolute address of `view_name` for one record (None when not routed)."""
    if value is None:
        return None
    try:
        path = reverse(view_name, args=[value])
    except NoReverseMatch:
        return None
    return absolute_url(path)


def list_link(context: dict, view_name: str, **params) -> str:
    """The absolute address of a list, filtered by `params`."""
    url = absolute_url(reverse(view_name))
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{url}?{query}" if query else url


def _cached(context: dict, kind: str, pk, build):
    cache = context.setdefault("_refs", {})
    key = (kind, pk)
    if key not in cache:
        cache[key] = build()
    return cache[key]


# --- Small objects that point to a record ------------------------------------------
# Plain functions (a serializer instance per nested object would cost more than the
# object itself); the serializers below describe the same shapes for the schema.


def region_ref(context: dict, region) -> dict:
    return _cached(
        context,
        "region",
        region.pk,
        lambda: {
            "code": region.code,
            "name": region.name,
            "url": link(context, f"{API}:region-detail", region.code),
        },
    )


def county_ref(context: dict, county) -> dict:
    return _cached(
        context,
        "county",
        county.pk,
        lambda: {
            "code": county.code,
            "name": county.name,
            "url": link(context, f"{API}:county-detail", county.code),
        },
    )


def domain_ref(context: dict, domain) -> dict:
    return _cached(
        context,
        "domain",
        domain.pk,
        lambda: {
            "slug": domain.slug,
            "name": domain.name,
            "url": link(context, f"{API}:domain-detail", domain.slug),
        },
    )


def institution_ref(context: dict, institution) -> dict:
    return _cached(
        context,
        "institution",
        institution.pk,
        lambda: {
            "id": institution.pk,
            "name": institution.name,
            "url": link(context, f"{API}:institution-detail", institution.pk),
        },
    )


def organisation_ref(context: dict, organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "url": link(context, f"{API}:organisation-detail", organisation.pk),
    }


def official_ref(context: dict, official) -> dict:
    return {
        "id": official.pk,
        "name": official.name,
        "position": official.position,
        "url": link(context, f"{API}:official-detail", official.pk),
    }


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("NUTS-2 code, e.g. RO11."))
    name = serializers.CharField()
    url = serializers.URLField()

    def to_representation(self, region):
        return region_ref(self.context, region)


class CountyRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("NUTS-3 code, e.g. RO113."))
    name = serializers.CharField()
    url = serializers.URLField()

    def to_representation(self, county):
        return county_ref(self.context, county)


class DomainRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text=_("Stable identifier of the domain."))
    name = serializers.CharField(help_text=_("Name in the language of the answer."))
    url = serializers.URLField()

    def to_representation(self, domain):
        return domain_ref(self.context, domain)


class InstitutionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField()

    def to_representation(self, institution):
        return institution_ref(self.context, institution)


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField()

    def to_representation(self, organisation):
        return organisation_ref(self.context, organisation)


class OfficialRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.CharField()
    url = serializers.URLField()

    def to_representation(self, official):
        return official_ref(self.context, official)


# --- Fields ------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """The absolute address of this record under `view_name` (None when not routed)."""

    def __init__(self, view_name: str, attr: str = "pk", **kwargs):
        self.view_name, self.attr = view_name, attr
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return link(self.context, self.view_name, getattr(obj, self.attr))


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class WebLinkField(LinkField):
    """The record's page on the CONECT web site."""


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """A choice in words (`source` names the choice field), in the answer's language.

    DRF's idiom, `CharField(source="get_kind_display")`, inspects the method's signature
    on every record; this field reads the model field's choices once per serializer (it
    lives for one request, so one language) and looks each value up."""

    def __init__(self, source: str, **kwargs):
        kwargs.update(source=source, read_only=True)
        super().__init__(**kwargs)
        self._labels = None

    def to_representation(self, value):
        if self._labels is None:
            model = self.parent.Meta.model
            field = model._meta.get_field(self.source)
            self._labels = {key: str(label) for key, label in field.flatchoices}
        return self._labels.get(value, value)


def _domains(context, domains):
    return [domain_ref(context, d) for d in domains]


@extend_schema_field(DomainRefSerializer(many=True))
class DomainsField(serializers.Field):
    """The record's domains (prefetched by the view)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return _domains(self.context, obj.domains.all())


@extend_schema_field(CountyRefSerializer(many=True))
class CountiesField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, manager):
        return [county_ref(self.context, c) for c in manager.all()]


@extend_schema_field(RegionRefSerializer(many=True))
class RegionsField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, manager):
        return [region_ref(self.context, r) for r in manager.all()]


@extend_schema_field(RegionRefSerializer(allow_null=True))
class RegionOfCountyField(serializers.Field):
    """The development region of the record's county."""

    def __init__(self, **kwargs):
        kwargs.update(source="county", read_only=True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance.county.region if instance.county_id else None

    def to_representation(self, region):
        return region_ref(self.context, region)


# --- Reference data ----------------------------------------------------------------


class CountsSerializer(serializers.Serializer):
    organisations = serializers.IntegerField(help_text=_("Verified NGOs."))
    organisations_all = serializers.IntegerField(
        help_text=_("Every public NGO record: verified and imported from the national registry.")
    )
    officials = serializers.IntegerField(help_text=_("Published relationship officials."))
    structures = serializers.IntegerField(help_text=_("Active advisory structures."))


class RegionSerializer(serializers.ModelSerializer):
    url = LinkField(f"{API}:region-detail", attr="code")
    counts = serializers.SerializerMethodField(
        help_text=_("How many records the national map counts in this region.")
    )
    counties = serializers.SerializerMethodField(help_text=_("The counties of this region."))

    class Meta:
        model = Region
        fields = ["id", "code", "name", "url", "counts", "counties"]

    @extend_schema_field(CountsSerializer)
    def get_counts(self, region):
        return self.context["counts"]["regions"].get(region.code)

    @extend_schema_field(OpenApiTypes.URI)
    def get_counties(self, region):
        return list_link(self.context, f"{API}:county-list", region=region.code)


class CountySerializer(serializers.ModelSerializer):
    url = LinkField(f"{API}:county-detail", attr="code")
    region = RegionRefSerializer()
    counts = serializers.SerializerMethodField(
        help_text=_("How many records the national map counts in this county.")
    )
    population = serializers.IntegerField(
        help_text=_("Resident population at the 2021 census (INS).")
    )

    class Meta:
        model = County
        fields = [
            "id",
            "code",
            "name",
            "url",
            "vehicle_code",
            "siruta",
            "population",
            "region",
            "counts",
        ]

    @extend_schema_field(CountsSerializer)
    def get_counts(self, county):
        return self.context["counts"]["counties"].get(county.code)


class DomainSerializer(serializers.ModelSerializer):
    url = LinkField(f"{API}:domain-detail", attr="slug")
    name = serializers.CharField(read_only=True, help_text=_("Name in the language of the answer."))
    organisations = serializers.SerializerMethodField(
        help_text=_("The organisations active in this domain.")
    )

    class Meta:
        model = Domain
        fields = ["id", "slug", "name", "name_ro", "name_en", "is_active", "url", "organisations"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_organisations(self, domain):
        return list_link(self.context, f"{API}:organisation-list", domain=domain.slug)


# --- Organisations -----------------------------------------------------------------


@extend_schema_field(
    {"oneOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]}
)
class OptionalUriField(serializers.CharField):
    """A web address, or "" when there is none."""


@extend_schema_field(
    {"oneOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}]}
)
class OptionalEmailField(serializers.CharField):
    """An e-mail address, or "" when there is none."""


class AffiliationSerializer(serializers.Serializer):
    """A federation, coalition or network the organisation belongs to."""

    kind = serializers.ChoiceField(choices=OrganisationAffiliation.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    name = serializers.CharField(source="display_name")
    organisation = serializers.SerializerMethodField(
        help_text=_("The federation or coalition's record, when it is in the registry.")
    )
    website = OptionalUriField()

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_organisation(self, affiliation):
        return organisation_ref(self.context, affiliation.parent) if affiliation.parent_id else None


class BranchSerializer(serializers.Serializer):
    name = serializers.CharField()
    county = CountyRefSerializer()
    locality = serializers.CharField()
    address = serializers.CharField()
    email = OptionalEmailField()
    phone = serializers.CharField()


class OrganisationSerializer(serializers.ModelSerializer):
    url = LinkField(f"{API}:organisation-detail")
    website = OptionalUriField(
        read_only=True, label=Organisation._meta.get_field("website").verbose_name
    )
    email = OptionalEmailField(
        read_only=True, label=Organisation._meta.get_field("email").verbose_name
    )
    web_url = WebLinkField("registry:organisation-detail")
    legal_form_label = ChoiceLabelField("legal_form", help_text=_("The legal form, in words."))
    status_label = ChoiceLabelField("status", help_text=_("The status, in words."))
    county = CountyRefSerializer(read_only=True, allow_null=True)
    region = RegionOfCountyField()
    domains = DomainsField()
    logo = serializers.SerializerMethodField(help_text=_("Address of the logo, if any."))
    # Issue 18: what the National NGO Registry says.
    registry_state_label = ChoiceLabelField(
        "registry_state", help_text=_("The state in the National NGO Registry, in words.")
    )
    country = serializers.CharField(
        source="registry_country",
        read_only=True,
        help_text=_("The country of a foreign legal person; empty for Romania."),
    )
    # Richer profile (issue 18).
    activity_area = serializers.ChoiceField(
        choices=Organisation.ActivityArea.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Local, county, regional or national; empty when not given."),
    )
    activity_area_label = ChoiceLabelField(
        "activity_area", help_text=_("The area of activity, in words.")
    )
    activity_counties = CountiesField(help_text=_("The counties where the organisation works."))
    activity_regions = RegionsField(
        help_text=_("The development regions where the organisation works.")
    )
    facebook_url = OptionalUriField(read_only=True)
    instagram_url = OptionalUriField(read_only=True)
    linkedin_url = OptionalUriField(read_only=True)
    youtube_url = OptionalUriField(read_only=True)
    x_url = OptionalUriField(read_only=True)
    donation_url = OptionalUriField(read_only=True)
    contact_email = OptionalEmailField(read_only=True)
    affiliations = AffiliationSerializer(
        many=True,
        read_only=True,
        help_text=_("The federations, coalitions and networks it belongs to."),
    )
    branches = BranchSerializer(many=True, read_only=True)
    activities = serializers.SerializerMethodField(
        help_text=_("Its projects, events and calls for volunteers in the API.")
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "legal_form",
            "legal_form_label",
            "fiscal_code",
            "registry_number",
            "registration_date",
            "status",
            "status_label",
            "county",
            "region",
            "locality",
            "address",
            "latitude",
            "longitude",
            "website",
            "email",
            "phone",
            "description",
            "domains",
            "logo",
            "created_at",
            "updated_at",
            # Issue 18.
            "registry_state",
            "registry_state_label",
            "registration_year",
            "public_utility",
            "public_utility_decision",
            "public_utility_date",
            "country",
            # Richer profile (issue 18).
            "activity_area",
            "activity_area_label",
            "activity_counties",
            "activity_regions",
            "provides_social_services",
            "social_services_accreditation",
            "facebook_url",
            "instagram_url",
            "linkedin_url",
            "youtube_url",
            "x_url",
            "donation_url",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "affiliations",
            "branches",
            "activities",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            name="OrganisationActivityLinks",
            fields={
                "projects": serializers.URLField(),
                "events": serializers.URLField(),
                "volunteering": serializers.URLField(),
            },
        )
    )
    def get_activities(self, organisation):
        return {
            name: list_link(self.context, f"{API}:{basename}-list", organisation=organisation.pk)
            for name, basename in (
                ("projects", "project"),
                ("events", "event"),
                ("volunteering", "volunteering"),
            )
        }

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_logo(self, organisation):
        if not organisation.logo:
            return None
        return absolute_url(organisation.logo.url)


class OrganisationUpdateSerializer(serializers.Serializer):
    """The fields of an organisation's public profile that its administrators edit, as on
    the web form (a PATCH sends only those it changes). The service applies the same
    rules as the form: once the organisation is verified, its identity (name, legal form,
    fiscal code, registry number, registration date) is changed only by a coordinator;
    the logo is changed on the web site."""

    name = serializers.CharField(max_length=300, required=False)
    legal_form = serializers.ChoiceField(choices=Organisation.LegalForm.choices, required=False)
    fiscal_code = serializers.CharField(
        max_length=14, required=False, help_text=_("The CUI/CIF, with or without the RO prefix.")
    )
    registry_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    registration_date = serializers.DateField(required=False, allow_null=True)
    county = serializers.SlugRelatedField(
        slug_field="code",
        queryset=County.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("NUTS-3 code of the county, e.g. RO113."),
    )
    locality = serializers.CharField(max_length=120, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    website = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("For example https://www.example.ro (https:// is added when missing)."),
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Paragraphs, bold, italics, lists and links are kept; any other formatting or "
            "script is removed."
        ),
    )
    domains = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Domain.objects.all(),
        many=True,
        required=False,
        help_text=_(
            "Identifiers (slugs) of the domains of activity; replaces the list. A retired "
            "domain may only be kept, not added."
        ),
    )

    def validate_domains(self, domains):
        organisation = self.context.get("organisation")
        held = set(organisation.domains.values_list("pk", flat=True)) if organisation else set()
        retired = [d.slug for d in domains if not d.is_active and d.pk not in held]
        if retired:
            raise serializers.ValidationError(
                _("These domains are no longer offered: %(slugs)s.") % {"slugs": ", ".join(retired)}
            )
        return domains


# --- Institutions and officials ----------------------------------------------------


class InstitutionSerializer(serializers.ModelSerializer):
    url = LinkField(f"{API}:institution-detail")
    web_url = WebLinkField("registry:institution-detail")
    kind_label = ChoiceLabelField("kind")
    level_label = ChoiceLabelField("level")
    county = CountyRefSerializer(read_only=True, allow_null=True)
    region = RegionOfCountyField()
    parent = InstitutionRefSerializer(read_only=True, allow_null=True)
    officials_count = serializers.IntegerField(
        read_only=True, help_text=_("Published relationship officials.")
    )
    structures_count = serializers.IntegerField(
        read_only=True, help_text=_("Active advisory structures it owns.")
    )
    officials = serializers.SerializerMethodField(
        help_text=_("The institution's published relationship officials.")
    )
    structures = serializers.SerializerMethodField(
        help_text=_("The advisory structures the institution owns.")
    )

    class Meta:
        model = Institution
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "kind",
            "kind_label",
            "level",
            "level_label",
            "county",
            "region",
            "parent",
            "website",
            "email",
            "is_general_secretariat",
            "officials_count",
            "structures_count",
            "officials",
            "structures",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_officials(self, institution):
        return list_link(self.context, f"{API}:official-list", institution=institution.pk)

    @extend_schema_field(OpenApiTypes.URI)
    def get_structures(self, institution):
        return list_link(self.context, f"{API}:structure-list", institution=institution.pk)


class OfficialSerializer(serializers.ModelSerializer):
    url = LinkField(f"{API}:official-detail")
    web_url = WebLinkField("registry:official-detail")
    institution = InstitutionRefSerializer(read_only=True)
    domains = DomainsField(help_text=_("The domains the official covers; none means every domain."))
    counties = CountiesField(
        help_text=_("The counties the official covers; none means the whole country.")
    )
    published_at = serializers.DateTimeField(
        source="consented_at",
        read_only=True,
        help_text=_("When the official agreed to the publication of these data."),
    )

    class Meta:
        model = RelationshipOfficial
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "position",
            "email",
            "phone",
            "institution",
            "domains",
            "counties",
            "published_at",
            "updated_at",
        ]


# --- Advisory structures -----------------------------------------------------------


class SeatSerializer(serializers.ModelSerializer):
    """A seat and its holder. A holder that is not public (an organisation pending
    verification, an official who has not agreed to publication) is left out: the seat
    shows, its holder is null."""

    role_label = ChoiceLabelField("role")
    holder_type = serializers.SerializerMethodField(
        help_text=_("Whether an organisation or an official holds the seat.")
    )
    organisation = serializers.SerializerMethodField()
    official = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField(help_text=_("The mandate runs today."))

    class Meta:
        model = Seat
        fields = [
            "id",
            "role",
            "role_label",
            "mandate_start",
            "mandate_end",
            "is_current",
            "holder_type",
            "organisation",
            "official",
        ]

    @extend_schema_field({"type": "string", "enum": ["organisation", "official"]})
    def get_holder_type(self, seat):
        return "organisation" if seat.organisation_id else "official"

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_organisation(self, seat):
        organisation = seat.organisation
        if organisation is None or not organisation.is_public:
            return None
        return organisation_ref(self.context, organisation)

    @extend_schema_field(OfficialRefSerializer(allow_null=True))
    def get_official(self, seat):
        official = seat.official
        if official is None or not official.is_published:
            return None
        return official_ref(self.context, official)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_current(self, seat):
        today = self.context.setdefault("_today", timezone.localdate())
        return seat.is_current(today)


class StructureSerializer(serializers.ModelSerializer):
    url = LinkField(f"{API}:structure-detail")
    web_url = WebLinkField("registry:structure-detail")
    kind_label = ChoiceLabelField("kind")
    territorial_level_label = ChoiceLabelField("territorial_level")
    status_label = ChoiceLabelField("status")
    institution = InstitutionRefSerializer(read_only=True)
    region = RegionRefSerializer(read_only=True, allow_null=True)
    county = CountyRefSerializer(read_only=True, allow_null=True)
    domains = DomainsField()
    current_seats = serializers.IntegerField(
        read_only=True, help_text=_("Seats whose mandate runs today.")
    )
    has_open_call = serializers.BooleanField(
        read_only=True, help_text=_("A call for members accepts applications today.")
    )
    seats = SeatSerializer(source="seat_list", many=True, read_only=True)

    class Meta:
        model = AdvisoryStructure
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "kind",
            "kind_label",
            "legal_basis",
            "territorial_level",
            "territorial_level_label",
            "region",
            "county",
            "institution",
            "domains",
            "description",
            "status",
            "status_label",
            "current_seats",
            "has_open_call",
            "seats",
            "created_at",
            "updated_at",
        ]


# --- Projects, events and calls for volunteers (issue 18) --------------------------


class ActivitySerializer(serializers.ModelSerializer):
    """A project, event or call for volunteers, in the language it was written in
    (`language`): never translated."""

    url = serializers.SerializerMethodField()
    web_url = WebLinkField("registry:activity-detail")
    kind_label = ChoiceLabelField("kind")
    organisation = OrganisationRefSerializer(read_only=True)
    domain = DomainRefSerializer(read_only=True, allow_null=True)
    county = CountyRefSerializer(read_only=True, allow_null=True)
    link = OptionalUriField(read_only=True)

    class Meta:
        model = OrganisationActivity
        fields = [
            "id",
            "url",
            "web_url",
            "kind",
            "kind_label",
            "title",
            "description",
            "language",
            "starts_on",
            "ends_on",
            "organisation",
            "domain",
            "county",
            "locality",
            "is_online",
            "link",
            "volunteers_needed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, activity):
        return link(self.context, f"{API}:{ACTIVITY_ROUTES[activity.kind]}-detail", activity.pk)


# What the API reads of an activity (the organisation's name for its reference).
ACTIVITY_API_FIELDS = (
    *(
        name
        for name in ActivitySerializer.Meta.fields
        if name not in ("url", "web_url", "kind_label", "organisation", "domain", "county")
    ),
    "organisation__name",
    "domain__slug",
    "domain__name_ro",
    "domain__name_en",
    "county__code",
    "county__name",
)

# The API's collection of each kind of activity.
ACTIVITY_ROUTES = {
    OrganisationActivity.Kind.PROJECT: "project",
    OrganisationActivity.Kind.EVENT: "event",
    OrganisationActivity.Kind.VOLUNTEERING: "volunteering",
}
