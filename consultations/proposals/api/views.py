"""Calls for proposals and proposals in the public API (/api/v1/), read-only. Proposals
come with their totals and decisions; who voted is never in the API."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from conect.api.viewsets import ReadOnlyApiViewSet

from ..models import Evaluation, ProposalCall
from ..selectors import proposals_public
from . import serializers
from .filters import ProposalApiFilter, ProposalCallApiFilter


@extend_schema_view(
    list=extend_schema(
        summary=_("List public calls for proposals"),
        description=_(
            "Calls for citizens' proposals opened by institutions: topic, area, dates, the "
            "threshold of the vote and the advisory structure that examines the proposals "
            "that reach it. Drafts never appear."
        ),
    ),
    retrieve=extend_schema(summary=_("One public call for proposals")),
)
class ProposalCallViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.ProposalCallSerializer
    filterset_class = ProposalCallApiFilter
    fingerprint_field = "updated_at"
    csv_name = "proposal-calls"
    csv_columns = [
        ("id", "id"),
        ("title", "title"),
        ("state", "state"),
        ("institution", "institution.name"),
        ("structure", "structure.name"),
        ("threshold", "threshold"),
        ("web_url", "web_url"),
    ]

    def get_queryset(self):
        return (
            ProposalCall.objects.filter(state__in=ProposalCall.PUBLIC_STATES)
            .select_related("institution", "structure")
            .prefetch_related("domains", "counties")
            .order_by("-submissions_open_on", "-id")
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List public proposals"),
        description=_(
            "Citizens' proposals from the opening of their vote: the yes and no totals, "
            "whether they reached the threshold, the decision of the advisory structure "
            "with its reasons, the implementation steps and the evaluation group's ratings. "
            "Who voted is never shown."
        ),
    ),
    retrieve=extend_schema(summary=_("One public proposal")),
)
class ProposalViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.ProposalSerializer
    filterset_class = ProposalApiFilter
    fingerprint_field = None  # totals and steps change it
    csv_name = "proposals"
    csv_columns = [
        ("id", "id"),
        ("call", "call"),
        ("title", "title"),
        ("state", "state"),
        ("yes_count", "yes_count"),
        ("no_count", "no_count"),
        ("threshold", "threshold"),
        ("decision", "decision"),
        ("web_url", "web_url"),
    ]

    def get_queryset(self):
        return (
            proposals_public()
            .defer(None)
            .select_related("call", "author", "organisation", "domain", "county")
            .prefetch_related(
                "implementation_steps",
                Prefetch(
                    "evaluations",
                    queryset=Evaluation.objects.select_related("evaluator", "organisation"),
                ),
            )
            .order_by("-yes_count", "-id")
        )
