"""Filters of institutions, officials and advisory structures, shared by the web pages
and the API so that both accept the same parameters:
?q=&region=&county=&domain=&kind=&level=&status=&institution=&ordering="""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import AdvisoryStructure, County, Domain, Institution, Region, RelationshipOfficial
from .selectors.institutions import institution_search
from .selectors.officials import (
    official_search,
    officials_covering_county,
    officials_covering_domain,
    officials_covering_region,
)
from .selectors.structures import structure_search


def _region_filter(**extra):
    return django_filters.ModelChoiceFilter(
        label=_("Development region"),
        queryset=Region.objects.only("code", "name"),
        to_field_name="code",
        **extra,
    )


def _county_filter(**extra):
    return django_filters.ModelChoiceFilter(
        label=_("County"),
        queryset=County.objects.only("code", "name"),
        to_field_name="code",
        **extra,
    )


def _domain_filter(**extra):
    return django_filters.ModelChoiceFilter(
        label=_("Domain of activity"),
        queryset=Domain.objects.filter(is_active=True).only("slug", "name_ro", "name_en"),
        to_field_name="slug",
        **extra,
    )


def _institution_filter(**extra):
    return django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=Institution.objects.only("name"), **extra
    )


class InstitutionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Institution.Kind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Institution.Level.choices)
    region = _region_filter(field_name="county__region")
    county = _county_filter()
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("created_at", "created")),
        field_labels={"name": _("name"), "created": _("date added")},
    )

    class Meta:
        model = Institution
        fields = ["q", "kind", "level", "region", "county"]

    def filter_text(self, queryset, name, value):
        return institution_search(queryset, value)


class OfficialFilter(django_filters.FilterSet):
    """Published officials. County, region and domain find the officials who cover them,
    including those who cover the whole country or every domain."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
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

    def filter_text(self, queryset, name, value):
        return official_search(queryset, value)

    def filter_domain(self, queryset, name, value):
        return officials_covering_domain(queryset, value)

    def filter_region(self, queryset, name, value):
        return officials_covering_region(queryset, value)

    def filter_county(self, queryset, name, value):
        return officials_covering_county(queryset, value)


class StructureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AdvisoryStructure.Kind.choices)
    level = django_filters.ChoiceFilter(
        label=_("Territorial level"),
        choices=AdvisoryStructure.TerritorialLevel.choices,
        field_name="territorial_level",
    )
    domain = _domain_filter(field_name="domains")
    region = _region_filter()
    county = _county_filter()
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

    def filter_text(self, queryset, name, value):
        return structure_search(queryset, value)
