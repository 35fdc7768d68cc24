"""Questionnaires in the public API (/api/v1/surveys/), read-only: only those whose
results the author published; a questionnaire's record carries its results."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from conect.api.viewsets import ReadOnlyApiViewSet

from .. import selectors
from . import serializers


@extend_schema_view(
    list=extend_schema(
        summary=_("List questionnaires with published results"),
        description=_("Questionnaires whose author published the results; drafts never appear."),
    ),
    retrieve=extend_schema(
        summary=_("One questionnaire and its results"),
        description=_(
            "Per question: how many answered, and the count and percentage of each value. "
            "In an anonymous questionnaire no group of fewer than 5 answers is shown."
        ),
    ),
)
class SurveyViewSet(ReadOnlyApiViewSet):
    # No filters and no ordering: a short list, newest first.
    filterset_class = None
    filter_backends = []
    csv_name = "surveys"
    csv_columns = [
        ("id", "id"),
        ("title_ro", "title.ro"),
        ("title_en", "title.en"),
        ("status", "status"),
        ("audience", "audience"),
        ("is_anonymous", "is_anonymous"),
        ("deadline", "deadline"),
        ("web_url", "web_url"),
    ]

    def get_queryset(self):
        return selectors.surveys_with_public_results()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SurveyResultsSerializer
        return serializers.SurveySerializer
