"""Filters shared by the registry's web pages and the API, so both accept the same
parameters: ?q=&region=&county=&domain=&legal_form=&status=&ordering="""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conect.core.collation import collated_ordering
from conect.core.filters import LocalisedOrderingFilter

from ..models import Organisation
from ..search import order_by_relevance
from .common import (
    CodeChoiceFilter,
    SearchFilter,
    SearchForm,
    counties,
    county_filter,
    domain_filter,
    region_filter,
)

# Without ?ordering=, organisations come by name; the folded name sorts "Ș" with "S".
DEFAULT_ORGANISATION_ORDERING = ("search_name", "id")


class OrganisationOrderingFilter(LocalisedOrderingFilter):
    """Ordering that always ends with the id, so that a page never repeats a record of
    the page before, and sorts by name when nothing is asked."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs.order_by(*DEFAULT_ORGANISATION_ORDERING)
        ordering = [self.get_ordering_value(param) for param in value]
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return qs.order_by(*collated_ordering(ordering))


class OrganisationFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Search"), vector=True)
    region = region_filter(field_name="county__region", empty_label=_("All regions"))
    county = county_filter(field_name="county", empty_label=_("All counties"))
    domain = domain_filter(field_name="domains", empty_label=_("All domains"))
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"),
        choices=Organisation.LegalForm.choices,
        empty_label=_("All legal forms"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Organisation.PUBLIC_STATUSES],
        empty_label=_("Verified and imported"),
    )
    # Issue 18: dissolved, in liquidation and struck-off organisations stay in the registry
    # but not in the lists of active ones, unless asked for.
    registry_state = django_filters.ChoiceFilter(
        label=_("State in the National NGO Registry"),
        choices=[("all", _("All states")), *Organisation.RegistryState.choices],
        empty_label=_("Active only"),
        method="filter_registry_state",
    )
    public_utility = django_filters.ChoiceFilter(
        label=_("Recognised of public utility"),
        choices=[("true", _("Yes")), ("false", _("No"))],
        empty_label=_("Any"),
        method="filter_public_utility",
    )
    # Richer profiles (issue 18).
    works_in = CodeChoiceFilter(
        label=_("Works in the county"),
        queryset=counties(),
        to_field_name="code",
        method="filter_works_in",
        empty_label=_("Any county"),
        help_text=_("Organisations that work there, regionally or nationally too."),
    )
    activity_area = django_filters.ChoiceFilter(
        label=_("Area of activity"),
        choices=Organisation.ActivityArea.choices,
        empty_label=_("Any area of activity"),
    )
    social_services = django_filters.BooleanFilter(
        label=_("Provides accredited social services"),
        method="filter_social_services",
        widget=forms.CheckboxInput,
    )
    ordering = OrganisationOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("search_name", "name"),
            ("created_at", "created"),
            ("registration_date", "registered"),
        ),
        field_labels={
            "search_name": pgettext_lazy("legal entity", "name"),
            "created_at": _("date added"),
            "registration_date": _("registration date"),
        },
        # A search lists the best matches first; without a text, by name.
        empty_label=_("best match"),
    )

    class Meta:
        model = Organisation
        form = SearchForm
        fields = [
            "q",
            "region",
            "county",
            "domain",
            "legal_form",
            "status",
            "registry_state",
            "public_utility",
            "works_in",
            "activity_area",
            "social_services",
        ]

    def filter_registry_state(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(registry_state=value)

    def filter_public_utility(self, queryset, name, value: str):
        # `value: str` tells the API's schema that the parameter is "true" or "false".
        return queryset.filter(public_utility=value == "true")

    def filter_works_in(self, queryset, name, county):
        """Those that name the county, its region, or work nationally (one subquery each,
        no duplicate rows)."""
        if county is None:
            return queryset
        through = Organisation.activity_counties.through
        regions = Organisation.activity_regions.through
        return queryset.filter(
            Q(pk__in=through.objects.filter(county=county).values("organisation_id"))
            | Q(pk__in=regions.objects.filter(region_id=county.region_id).values("organisation_id"))
            | Q(activity_area=Organisation.ActivityArea.NATIONAL)
        )

    def filter_social_services(self, queryset, name, value):
        return queryset.filter(provides_social_services=True) if value else queryset

    def filter_queryset(self, queryset):
        """A text search that asks for no order lists the best matches first. Without a
        state asked for, only active organisations are listed."""
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("registry_state"):
            queryset = queryset.filter(registry_state=Organisation.RegistryState.ACTIVE)
        if not self.form.cleaned_data.get("ordering"):
            queryset = order_by_relevance(queryset, self.form.cleaned_data.get("q") or "")
        return queryset
