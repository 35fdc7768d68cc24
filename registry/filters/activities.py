"""Filters of the public lists of projects, events and calls for volunteers, shared by the
web pages and the API: ?q=&domain=&region=&county=&from=&to=&current=&ordering="""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conect.core.text import fold

from ..models import OrganisationActivity
from ..selectors.profiles import not_ended
from .common import SearchForm, county_filter, domain_filter, region_filter


class ActivityOrderingFilter(django_filters.OrderingFilter):
    """Ordering that ends with the id, so that a page never repeats a row of the page
    before; the newest first when nothing is asked."""

    descending_fmt = _("%s (descending)")

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs.order_by("-starts_on", "-id")
        ordering = [self.get_ordering_value(param) for param in value]
        ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return qs.order_by(*ordering)


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    domain = domain_filter(field_name="domain", empty_label=_("All domains"))
    region = region_filter(field_name="county__region", empty_label=_("All regions"))
    county = county_filter(field_name="county", empty_label=_("All counties"))
    date_from = django_filters.DateFilter(
        label=_("Under way on or after"),
        method="filter_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Starting on or before"),
        field_name="starts_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    current = django_filters.BooleanFilter(
        label=_("Only those under way or to come"),
        method="filter_current",
        widget=forms.CheckboxInput,
    )
    ordering = ActivityOrderingFilter(
        label=_("Sort by"),
        fields=(("starts_on", "start"), ("title", "title")),
        field_labels={"starts_on": _("start date"), "title": _("title")},
        empty_label=_("newest first"),
    )

    class Meta:
        model = OrganisationActivity
        form = SearchForm
        fields = ["q", "domain", "region", "county", "date_from", "date_to", "current"]

    def filter_text(self, queryset, name, value):
        """Every word, diacritics and case ignored, in the title, place or description."""
        for word in fold(value or "").split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_from(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(ends_on__gte=value)
            | Q(ends_on__isnull=True, starts_on__gte=value)
            | Q(ends_on__isnull=True, kind=OrganisationActivity.Kind.PROJECT)
        )

    def filter_current(self, queryset, name, value):
        return not_ended(queryset) if value else queryset
