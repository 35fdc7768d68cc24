"""Filters shared by the registry's web pages and the API, so both accept the same
parameters: ?q=&region=&county=&domain=&legal_form=&status=&ordering="""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import County, Domain, Organisation, Region
from .selectors.organisations import organisation_search


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    region = django_filters.ModelChoiceFilter(
        label=_("Development region"),
        queryset=Region.objects.all(),
        field_name="county__region",
        to_field_name="code",
    )
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=County.objects.all(), to_field_name="code"
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain of activity"),
        queryset=Domain.objects.filter(is_active=True),
        field_name="domains",
        to_field_name="slug",
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), choices=Organisation.LegalForm.choices
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Organisation.PUBLIC_STATUSES],
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("created_at", "created"), ("registration_date", "registered")),
        field_labels={
            "name": _("name"),
            "created": _("date added"),
            "registered": _("registration date"),
        },
    )

    class Meta:
        model = Organisation
        fields = ["q", "region", "county", "domain", "legal_form", "status"]

    def filter_text(self, queryset, name, value):
        return organisation_search(queryset, value)
