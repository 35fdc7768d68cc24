"""The guide in the public API (/api/v1/), read-only: the current edition's sections,
the editions, the training sessions and the published good practices."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from conect.api.viewsets import ReadOnlyApiViewSet

from .. import selectors
from ..models import Edition, EditionSection, Practice, TrainingSession
from . import serializers


@extend_schema_view(
    list=extend_schema(
        summary=_("List the sections of the participation guide"),
        description=_("Every section of the current edition, in reading order."),
    ),
    retrieve=extend_schema(summary=_("One section of the participation guide")),
)
class GuideSectionViewSet(ReadOnlyApiViewSet):
    queryset = EditionSection.objects.none()  # for the schema; get_queryset reads it
    serializer_class = serializers.GuideSectionSerializer
    filterset_class = None
    filter_backends = []
    csv_name = "guide-sections"

    def get_queryset(self):
        edition = selectors.current_edition()
        if edition is None:
            return EditionSection.objects.none()
        return (
            EditionSection.objects.filter(edition=edition)
            .select_related("edition")
            .order_by("chapter_position", "position", "id")
        )


@extend_schema_view(
    list=extend_schema(summary=_("List the editions of the participation guide")),
    retrieve=extend_schema(summary=_("One edition of the participation guide")),
)
class EditionViewSet(ReadOnlyApiViewSet):
    serializer_class = serializers.EditionSerializer
    filterset_class = None
    filter_backends = []
    csv_name = "guide-editions"
    queryset = Edition.objects.order_by("-number")


@extend_schema_view(
    list=extend_schema(summary=_("List the training sessions on the guide")),
    retrieve=extend_schema(summary=_("One training session")),
)
class TrainingSessionViewSet(ReadOnlyApiViewSet):
    queryset = TrainingSession.objects.none()  # for the schema; get_queryset reads it
    serializer_class = serializers.TrainingSessionSerializer
    filterset_class = None
    filter_backends = []
    csv_name = "training-sessions"

    def get_queryset(self):
        return (
            TrainingSession.objects.select_related("institution")
            .annotate(confirmed=Count("registrations", filter=Q(registrations__status="confirmed")))
            .order_by("-starts_at", "-id")
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List the published good practices"),
        description=_("The library of good practices of public participation."),
    ),
    retrieve=extend_schema(summary=_("One good practice")),
)
class PracticeViewSet(ReadOnlyApiViewSet):
    queryset = Practice.objects.none()  # for the schema; get_queryset reads it
    serializer_class = serializers.PracticeSerializer
    filterset_class = None
    filter_backends = []
    csv_name = "good-practices"

    def get_queryset(self):
        return selectors.practices_public(with_links=True)
