"""Filters of institutions, officials and advisory structures, shared by the web pages
and the API so that both accept the same parameters:
?q=&region=&county=&domain=&kind=&level=&status=&institution=&ordering="""

import django_filters
from django.utils.translation import gettext_lazy as _

from .filters import ReferenceChoiceFilter, RegistryFilterSet, SearchFilter
from .models import AdvisoryStructure, Institution, RelationshipOfficial
from .selectors.officials import (
    officials_covering_county,
    officials_covering_domain,
    officials_covering_region,
)

# Regions, counties and domains are checked against the reference data held in memory
# (registry.filters.ReferenceChoiceFilter): no query to list or check them; filters and
# filter methods get the record itself, and read only its pk (the web lists bake their
# SQL once per shape of the search: RegistryFilterSet.baked_rows).


def _region_filter(**extra):
    return ReferenceChoiceFilter(kind="region", label=_("Development region"), **extra)


def _county_filter(**extra):
    return ReferenceChoiceFilter(kind="county", label=_("County"), **extra)


def _domain_filter(**extra):
    return ReferenceChoiceFilter(kind="domain", label=_("Domain of activity"), **extra)


def _institution_filter(**extra):
    return django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=Institution.objects.only("name"), **extra
    )


class InstitutionFilter(RegistryFilterSet):
    q = SearchFilter(label=_("Search"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Institution.Kind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Institution.Level.choices)
    region = _region_filter(field_name="county_id", through_counties=True)
    county = _county_filter(field_name="county")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("created_at", "created")),
        field_labels={"name": _("name"), "created": _("date added")},
    )

    class Meta:
        model = Institution
        fields = ["q", "kind", "level", "region", "county"]


class OfficialFilter(RegistryFilterSet):
    """Published officials. County, region and domain find the officials who cover them,
    including those who cover the whole country or every domain."""

    q = SearchFilter(label=_("Search"))
    domain = _domain_filter(method="filter_domain")
    region = _region_filter(method="filter_region")
    county = _county_filter(method="filter_county")
    institution = _institution_filter()
    ordering = django_filters.OrderingFilter(
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
        model = RelationshipOfficial
        fields = ["q", "domain", "region", "county", "institution"]

    def filter_domain(self, queryset, name, value):
        return officials_covering_domain(queryset, value)

    def filter_region(self, queryset, name, value):
        return officials_covering_region(queryset, value)

    def filter_county(self, queryset, name, value):
        return officials_covering_county(queryset, value)


class StructureFilter(RegistryFilterSet):
    q = SearchFilter(label=_("Search"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AdvisoryStructure.Kind.choices)
    level = django_filters.ChoiceFilter(
        label=_("Territorial level"),
        choices=AdvisoryStructure.TerritorialLevel.choices,
        field_name="territorial_level",
    )
    domain = _domain_filter(field_name="domains")
    region = _region_filter(field_name="region")
    county = _county_filter(field_name="county")
    institution = _institution_filter()
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AdvisoryStructure.Status.choices
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("created_at", "created")),
        field_labels={"name": _("name"), "created": _("date added")},
    )

    class Meta:
        model = AdvisoryStructure
        fields = ["q", "kind", "level", "domain", "region", "county", "institution", "status"]
