"""Filters shared by the consultations list, its feeds and calendar, and the API, so all
accept the same parameters: ?q=&state=&institution=&domain=&county=&region=&kind=
&opens_after=&opens_before=&closes_after=&closes_before=&ordering="""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from conect.core.collation import by_name
from conect.core.filters import LocalisedOrderingFilter
from registry.filters.organisations import SearchForm
from registry.models import County, Domain, Institution, Region

from . import dates
from .models import Consultation
from .selectors import consultation_search

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A region or county chosen by its NUTS code (documented as a string in the API)."""


class ConsultationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Consultation.State.choices, method="filter_state"
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"),
        queryset=Institution.objects.filter(consultations__isnull=False).distinct(),
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain"),
        queryset=Domain.objects.filter(is_active=True),
        field_name="domains",
        to_field_name="slug",
    )
    region = CodeChoiceFilter(
        label=_("Development region"),
        queryset=Region.objects.only("id", "code", "name").order_by(by_name()),
        to_field_name="code",
        method="filter_region",
        help_text=_("NUTS-2 code of a development region (e.g. RO11)."),
    )
    county = CodeChoiceFilter(
        label=_("County"),
        queryset=County.objects.only("id", "code", "name", "region_id"),
        to_field_name="code",
        method="filter_county",
        help_text=_("NUTS-3 code of a county (e.g. RO113)."),
    )
    national = django_filters.BooleanFilter(
        label=_("National consultations only"),
        method="filter_national",
        widget=forms.CheckboxInput,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of act"), choices=Consultation.Kind.choices)
    opens_after = django_filters.DateFilter(
        label=_("Opened on or after"), field_name="opens_on", lookup_expr="gte", widget=DATE_INPUT
    )
    opens_before = django_filters.DateFilter(
        label=_("Opened on or before"), field_name="opens_on", lookup_expr="lte", widget=DATE_INPUT
    )
    closes_after = django_filters.DateFilter(
        label=_("Closes on or after"), field_name="closes_on", lookup_expr="gte", widget=DATE_INPUT
    )
    closes_before = django_filters.DateFilter(
        label=_("Closes on or before"), field_name="closes_on", lookup_expr="lte", widget=DATE_INPUT
    )
    ordering = LocalisedOrderingFilter(
        label=_("Sort by"),
        fields=(("opens_on", "opened"), ("closes_on", "closes"), ("title", "title")),
        field_labels={
            "opened": _("opening date"),
            "closes": _("closing date"),
            "title": _("title"),
        },
    )

    class Meta:
        model = Consultation
        form = SearchForm
        fields = ["q", "state", "institution", "domain", "region", "county", "kind"]

    def filter_text(self, queryset, name, value):
        return consultation_search(queryset, value)

    def filter_state(self, queryset, name, value):
        """The state by the clock (Consultation.current_state): "open" leaves out the
        windows whose last day has passed, "closed" counts them in."""
        today = dates.local_today()
        if value == Consultation.State.OPEN:
            return queryset.filter(state=value, closes_on__gte=today)
        if value == Consultation.State.CLOSED:
            return queryset.filter(
                Q(state=value) | Q(state=Consultation.State.OPEN, closes_on__lt=today)
            )
        return queryset.filter(state=value)

    def filter_national(self, queryset, name, value):
        return queryset.filter(is_national=True) if value else queryset

    def filter_region(self, queryset, name, value):
        """Consultations naming the region or one of its counties."""
        return queryset.filter(Q(regions=value) | Q(counties__region=value)).distinct()

    def filter_county(self, queryset, name, value):
        """Consultations naming the county or its region."""
        return queryset.filter(Q(counties=value) | Q(regions=value.region_id)).distinct()
