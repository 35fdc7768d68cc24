"""The API's filters: the web pages' own filter sets (same parameters, same meaning),
plus `updated_since` for incremental synchronisation, more orderings (`id`, `updated`)
and a tie-break on id so that pages never overlap."""

import django_filters
from django.utils.translation import gettext_lazy as _

from conect.api.filters import IdFilter, SinceFilter, StrictBooleanFilter
from conect.core.collation import collated_ordering
from conect.core.filters import LocalisedOrderingFilter

from ..filters.activities import ActivityFilter
from ..filters.institutions import InstitutionFilter, OfficialFilter, StructureFilter
from ..filters.organisations import OrganisationFilter
from ..models import County, Region

UPDATED_SINCE_HELP = _(
    "Only records changed at or after this moment (ISO 8601, e.g. 2025-03-01T00:00:00Z; "
    "without a time zone, Romania's time). For incremental synchronisation: keep the time "
    "you started your previous download and send it here."
)
ORDERING_HELP = _(
    "Sort by one or more fields, separated by commas; a minus sign sorts in descending "
    "order (e.g. -updated). Records with equal values are ordered by id. Not available "
    "with cursor pagination, which always orders by id."
)


class StableOrderingFilter(LocalisedOrderingFilter):
    """Ordering that always ends with the id, so that equal values keep one order and a
    record never shows on two pages."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("id")
        return qs.order_by(*collated_ordering(ordering))


ORDERING_LABELS = {
    "id": _("identifier"),
    "name": _("name"),
    "created": _("date added"),
    "registered": _("registration date"),
    "updated": _("date of the last change"),
    "institution": _("institution"),
    "published": _("date published"),
    "start": _("start date"),
    "title": _("title"),
}


def _ordering(*fields):
    names = ["id", *(name for _field, name in fields)]
    return StableOrderingFilter(
        label=_("Sort by"),
        fields=(("id", "id"), *fields),
        field_labels={name: ORDERING_LABELS[name] for name in names},
        help_text=ORDERING_HELP,
    )


def _updated_since():
    return SinceFilter(field_name="updated_at", help_text=UPDATED_SINCE_HELP)


class OrganisationApiFilter(OrganisationFilter):
    updated_since = _updated_since()
    social_services = StrictBooleanFilter(
        method="filter_social_services",
        help_text=_("true: only the organisations that provide accredited social services."),
    )
    ordering = _ordering(
        ("name", "name"),
        ("created_at", "created"),
        ("registration_date", "registered"),
        ("updated_at", "updated"),
    )

    class Meta(OrganisationFilter.Meta):
        fields = [*OrganisationFilter.Meta.fields, "updated_since"]


class InstitutionApiFilter(InstitutionFilter):
    updated_since = _updated_since()
    ordering = _ordering(("name", "name"), ("created_at", "created"), ("updated_at", "updated"))

    class Meta(InstitutionFilter.Meta):
        fields = [*InstitutionFilter.Meta.fields, "updated_since"]


def _institution():
    # By id, like the API's other references: an unknown id finds nothing (the web
    # list's choice of institution would refuse it).
    return IdFilter(field_name="institution_id", help_text=_("The institution's id."))


class OfficialApiFilter(OfficialFilter):
    updated_since = _updated_since()
    institution = _institution()
    ordering = _ordering(
        ("name", "name"),
        ("institution__name", "institution"),
        ("consented_at", "published"),
        ("updated_at", "updated"),
    )

    class Meta(OfficialFilter.Meta):
        fields = [*OfficialFilter.Meta.fields, "updated_since"]

    # The same methods as the web filter's, typed so that the schema documents the
    # parameters as the codes and slugs they take.
    def filter_domain(self, queryset, name, value: str):
        return super().filter_domain(queryset, name, value)

    def filter_region(self, queryset, name, value: str):
        return super().filter_region(queryset, name, value)

    def filter_county(self, queryset, name, value: str):
        return super().filter_county(queryset, name, value)


class StructureApiFilter(StructureFilter):
    updated_since = _updated_since()
    institution = _institution()
    ordering = _ordering(("name", "name"), ("created_at", "created"), ("updated_at", "updated"))

    class Meta(StructureFilter.Meta):
        fields = [*StructureFilter.Meta.fields, "updated_since"]


class CountyApiFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Development region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        help_text=_("NUTS-2 code of the development region, e.g. RO11."),
    )

    class Meta:
        model = County
        fields = ["region"]


class ActivityApiFilter(ActivityFilter):
    """The web lists' filters of projects, events and calls for volunteers, plus the
    organisation and `updated_since`."""

    organisation = IdFilter(field_name="organisation_id", help_text=_("The organisation's id."))
    updated_since = _updated_since()
    current = StrictBooleanFilter(
        method="filter_current",
        help_text=_("true: only those under way or to come (not ended before today)."),
    )
    ordering = _ordering(("starts_on", "start"), ("title", "title"), ("updated_at", "updated"))

    class Meta(ActivityFilter.Meta):
        fields = [*ActivityFilter.Meta.fields, "organisation", "updated_since"]
