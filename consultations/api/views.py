"""Consultations in the public API (/api/v1/), read-only: consultations (with the web
list's filters), published recommendations and published syntheses."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from conect.api.viewsets import ReadOnlyApiViewSet
from registry.models import County, Region

from ..models import Article, Consultation, Document, DocumentVersion, Recommendation
from ..package import consultation_package
from ..selectors import _published_count_subquery, recommendations_public
from . import serializers
from .filters import ConsultationApiFilter, RecommendationApiFilter


@extend_schema_view(
    list=extend_schema(
        summary=_("List public consultations"),
        description=_(
            "Consultations on draft decisions, from announcement to adoption, with the "
            "same filters as the web list (q, state, institution, domain, region, county, "
            "kind, dates). Drafts never appear."
        ),
    ),
    retrieve=extend_schema(summary=_("One public consultation")),
)
class ConsultationViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.ConsultationSerializer
    filterset_class = ConsultationApiFilter
    fingerprint_field = None  # counts of recommendations change without touching it
    csv_name = "consultations"
    csv_columns = [
        ("id", "id"),
        ("title", "title"),
        ("kind", "kind"),
        ("state", "state"),
        ("institution_id", "institution.id"),
        ("institution", "institution.name"),
        ("domains", "domains.slug"),
        ("is_national", "is_national"),
        ("counties", "counties.code"),
        ("regions", "regions.code"),
        ("opens_on", "opens_on"),
        ("closes_on", "closes_on"),
        ("planned_adoption_on", "planned_adoption_on"),
        ("is_urgent", "is_urgent"),
        ("recommendations_count", "recommendations_count"),
        ("synthesis_published_at", "synthesis_published_at"),
        ("adopted_on", "adopted_on"),
        ("adopted_act_url", "adopted_act_url"),
        ("web_url", "web_url"),
    ]

    def get_queryset(self):
        return (
            Consultation.objects.filter(state__in=Consultation.PUBLIC_STATES)
            .select_related("institution")
            .prefetch_related(
                "domains",
                Prefetch("counties", queryset=County.objects.only("id", "code", "name")),
                Prefetch("regions", queryset=Region.objects.only("id", "code", "name")),
                Prefetch(
                    "documents",
                    queryset=Document.objects.prefetch_related(
                        Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
                    ),
                ),
            )
            .annotate(published_count=_published_count_subquery())
            .order_by("-opens_on", "-id")
        )

    @extend_schema(
        summary=_("The consultation's package (for e-consultare)"),
        description=_(
            "The consultation, its documents, its dates and its synthesis, machine-readable: "
            "the consultation.json of the package that the page offers as a zip with the "
            "documents' files. Its format: docs/e-consultare-package.md."
        ),
        responses=serializers.PackageSerializer,
        parameters=[],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="package",
        filterset_class=None,
        renderer_classes=[JSONRenderer],
    )
    def package(self, request, pk=None):
        """The package of a public consultation, read with its documents, articles and
        territory (8 queries with its synthesis)."""
        queryset = (
            Consultation.objects.filter(state__in=Consultation.PUBLIC_STATES)
            .select_related("institution")
            .prefetch_related(
                "domains",
                "regions",
                "counties",
                Prefetch("articles", queryset=Article.objects.order_by("position")),
                Prefetch(
                    "documents",
                    queryset=Document.objects.prefetch_related(
                        Prefetch("versions", queryset=DocumentVersion.objects.order_by("number"))
                    ),
                ),
            )
        )
        consultation = get_object_or_404(queryset, pk=pk if str(pk).isdigit() else 0)
        self.check_object_permissions(request, consultation)
        return Response(serializers.PackageSerializer(consultation_package(consultation)).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("List published recommendations"),
        description=_(
            "Recommendations published on public consultations, with the name shown on the "
            "site (a person who asked not to be named is not). Dispositions and "
            "justifications appear once the synthesis is published. Filter by consultation."
        ),
    ),
    retrieve=extend_schema(summary=_("One published recommendation")),
)
class RecommendationViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.RecommendationSerializer
    filterset_class = RecommendationApiFilter
    csv_name = "recommendations"
    csv_columns = [
        ("id", "id"),
        ("consultation", "consultation"),
        ("article", "article"),
        ("author", "author"),
        ("organisation", "organisation.name"),
        ("text", "text_plain"),
        ("created_at", "created_at"),
        ("channel", "channel"),
        ("received_on", "received_on"),
        ("disposition", "disposition"),
        ("justification", "justification"),
    ]

    def get_queryset(self):
        return recommendations_public().select_related("consultation")


@extend_schema_view(
    list=extend_schema(
        summary=_("List published syntheses"),
        description=_(
            "For each consultation whose synthesis is published: when, how late, its "
            "introduction and the count of recommendations per disposition. The "
            "recommendations themselves are in recommendations_url."
        ),
    ),
    retrieve=extend_schema(summary=_("The synthesis of one consultation (by its id)")),
)
class SynthesisViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.SynthesisSerializer
    filterset_class = None
    filter_backends = []
    csv_name = "syntheses"

    def get_queryset(self):
        published = Q(recommendations__status=Recommendation.Status.PUBLISHED)
        counts = {
            f"count_{value}": Count(
                "recommendations", filter=published & Q(recommendations__disposition=value)
            )
            for value in Recommendation.Disposition.values
        }
        return (
            Consultation.objects.filter(
                state__in=Consultation.PUBLIC_STATES, synthesis_published_at__isnull=False
            )
            .annotate(
                count_total=Count("recommendations", filter=published),
                count_hidden=Count(
                    "recommendations",
                    filter=Q(recommendations__status=Recommendation.Status.HIDDEN),
                ),
                **counts,
            )
            .order_by("-synthesis_published_at", "-id")
        )
