"""What the public API shows of questionnaires: those whose results the author
published, with their questions and the numbers of the results page."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Survey


class SurveySerializer(serializers.ModelSerializer):
    title = serializers.JSONField(help_text="The title in each language given (ro, en, hu).")
    # Plain strings in the schema: "status" is already the name of other enumerations.
    status = serializers.CharField(help_text="draft, open or closed.")
    audience = serializers.CharField(help_text="public, signed_in or roster.")
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "status",
            "audience",
            "is_anonymous",
            "deadline",
            "opened_at",
            "closed_at",
            "web_url",
        ]

    def get_web_url(self, obj) -> str:
        request = self.context.get("request")
        path = reverse("surveys:results", args=[obj.pk])
        return request.build_absolute_uri(path) if request is not None else path


class SurveyResultsSerializer(SurveySerializer):
    results = serializers.SerializerMethodField()

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "results"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_results(self, obj) -> dict:
        """{"total", "hidden", "questions": [{"id", "kind", "text", "answered", "values"
        (value, label, count, percent), "matrix" (row, cells), "ranks", "stats"}]}."""
        questions = selectors.questions_of(obj)
        result = selectors.results(obj, questions)
        items = []
        for item in result["items"]:
            question = item["question"]
            if item.get("section"):
                continue
            items.append(
                {
                    "id": question.pk,
                    "kind": question.kind,
                    "text": question.text,
                    "answered": item["answered"],
                    "values": [
                        {"label": row["label"], "count": row["count"], "percent": row["percent"]}
                        for row in item["rows"]
                    ],
                    "matrix": [
                        {"row": row["label"], "cells": row["cells"]} for row in item["matrix"]
                    ],
                    "columns": item.get("columns", []),
                    "ranks": item.get("ranks", []),
                    "stats": item["stats"],
                }
            )
        return {"total": result["total"], "hidden": result["hidden"], "questions": items}
