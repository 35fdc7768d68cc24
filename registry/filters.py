"""Filters shared by the registry's web pages and the API, so both accept the same
parameters: ?q=&region=&county=&domain=&legal_form=&status=&ordering="""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import County, Domain, Organisation, Region
from .selectors.organisations import organisation_search

# Without ?ordering=, organisations come by name; the folded name sorts "Ș" with "S".
DEFAULT_ORGANISATION_ORDERING = ("search_name", "id")


class OrganisationOrderingFilter(django_filters.OrderingFilter):
    """Ordering that always ends with the id, so that a page never repeats a record of
    the page before, and sorts by name when nothing is asked."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs.order_by(*DEFAULT_ORGANISATION_ORDERING)
        ordering = [self.get_ordering_value(param) for param in value]
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return qs.order_by(*ordering)


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    region = django_filters.ModelChoiceFilter(
        label=_("Development region"),
        queryset=Region.objects.defer("boundary"),
        field_name="county__region",
        to_field_name="code",
        empty_label=_("All regions"),
    )
    county = django_filters.ModelChoiceFilter(
        label=_("County"),
        queryset=County.objects.defer("boundary"),
        to_field_name="code",
        empty_label=_("All counties"),
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain of activity"),
        queryset=Domain.objects.filter(is_active=True),
        field_name="domains",
        to_field_name="slug",
        empty_label=_("All domains"),
    )
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
    ordering = OrganisationOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("search_name", "name"),
            ("created_at", "created"),
            ("registration_date", "registered"),
        ),
        field_labels={
            "search_name": _("name"),
            "created_at": _("date added"),
            "registration_date": _("registration date"),
        },
        empty_label=None,
    )

    class Meta:
        model = Organisation
        fields = ["q", "region", "county", "domain", "legal_form", "status"]

    def filter_text(self, queryset, name, value):
        return organisation_search(queryset, value)
