"""Filters of institutions, officials and advisory structures, shared by the web pages
and the API so that both accept the same parameters:
?q=&region=&county=&domain=&kind=&level=&status=&institution=&ordering="""

import django_filters
from django.utils.translation import gettext_lazy as _

from conect.core.filters import LocalisedOrderingFilter

from ..models import AdvisoryStructure, Institution, RelationshipOfficial
from ..selectors.officials import (
    officials_covering_county,
    officials_covering_domain,
    officials_covering_region,
)
from .common import SearchFilter, SearchForm, county_filter, domain_filter, region_filter


def _institution_filter(**extra):
    return django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=Institution.objects.only("name"), **extra
    )


class InstitutionFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Search"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Institution.Kind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Institution.Level.choices)
    region = region_filter(field_name="county__region")
    county = county_filter(field_name="county")
    ordering = LocalisedOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("created_at", "created")),
        field_labels={"name": _("name"), "created": _("date added")},
    )

    class Meta:
        form = SearchForm
        model = Institution
        fields = ["q", "kind", "level", "region", "county"]


class OfficialFilter(django_filters.FilterSet):
    """Published officials. County, region and domain find the officials who cover them,
    including those who cover the whole country or every domain."""

    q = SearchFilter(label=_("Search"))
    domain = domain_filter(method="filter_domain")
    region = region_filter(method="filter_region")
    county = county_filter(method="filter_county")
    institution = _institution_filter()
    ordering = LocalisedOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("institution__name", "institution"),
            ("consented_at", "published"),
        ),
        field_labels={
            "name": _("name"),
            "institution": _("institution"),
            "published": _("date published"),
        },
    )

    class Meta:
        form = SearchForm
        model = RelationshipOfficial
        fields = ["q", "domain", "region", "county", "institution"]

    def filter_domain(self, queryset, name, value):
        return officials_covering_domain(queryset, value)

    def filter_region(self, queryset, name, value):
        return officials_covering_region(queryset, value)

    def filter_county(self, queryset, name, value):
        return officials_covering_county(queryset, value)


class StructureFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Search"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AdvisoryStructure.Kind.choices)
    level = django_filters.ChoiceFilter(
        label=_("Territorial level"),
        choices=AdvisoryStructure.TerritorialLevel.choices,
        field_name="territorial_level",
    )
    domain = domain_filter(field_name="domains")
    region = region_filter(field_name="region")
    county = county_filter(field_name="county")
    institution = _institution_filter()
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AdvisoryStructure.Status.choices
    )
    ordering = LocalisedOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("created_at", "created")),
        field_labels={"name": _("name"), "created": _("date added")},
    )

    class Meta:
        form = SearchForm
        model = AdvisoryStructure
        fields = ["q", "kind", "level", "domain", "region", "county", "institution", "status"]
