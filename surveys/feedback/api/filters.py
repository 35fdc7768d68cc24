"""Filters of the feedback's API: the services of one institution, county, region or
channel (the same codes as the registry's filters)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from conect.api.filters import IdFilter
from registry.filters.common import county_filter, region_filter

from ..models import Channel, Service


class FeedbackServiceApiFilter(django_filters.FilterSet):
    institution = IdFilter(field_name="institution", help_text=_("The institution's id."))
    county = county_filter(
        field_name="county",
        help_text=_("NUTS-3 code of the county where the service is provided (e.g. RO113)."),
    )
    region = region_filter(
        field_name="county__region",
        help_text=_("NUTS-2 code of the development region where the service is provided."),
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices)

    class Meta:
        model = Service
        fields = ["institution", "county", "region", "channel"]
