"""Filters of the proposals' API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from conect.api.filters import IdFilter as _IdFilter
from conect.api.filters import SinceFilter
from consultations.api.filters import ORDERING_HELP, StableOrderingFilter
from registry.filters.common import county_filter

from ..models import Proposal, ProposalCall


class IdFilter(_IdFilter):
    """An id (a number with a fraction is refused)."""


class ProposalCallApiFilter(django_filters.FilterSet):
    institution = IdFilter(field_name="institution", help_text=_("The institution's id."))
    structure = IdFilter(field_name="structure", help_text=_("The advisory structure's id."))
    state = django_filters.ChoiceFilter(choices=ProposalCall.State.choices[1:])

    class Meta:
        model = ProposalCall
        fields = ["institution", "structure", "state"]


class ProposalApiFilter(django_filters.FilterSet):
    call = IdFilter(field_name="call", help_text=_("The call's id."))
    state = django_filters.ChoiceFilter(
        choices=[
            (value, label)
            for value, label in Proposal.State.choices
            if value in Proposal.VOTED_STATES
        ]
    )
    decision = django_filters.ChoiceFilter(choices=Proposal.Decision.choices)
    county = county_filter(help_text=_("NUTS-3 code of a county (e.g. RO113)."))
    updated_since = SinceFilter(
        field_name="updated_at",
        help_text=_("Only proposals changed at or after this moment (ISO 8601)."),
    )
    ordering = StableOrderingFilter(
        fields=(("id", "id"), ("yes_count", "yes"), ("created_at", "created")),
        help_text=ORDERING_HELP,
    )

    class Meta:
        model = Proposal
        fields = ["call", "state", "decision", "county"]
