"""The guide's records in the public API (read-only)."""

from django.conf import settings
from rest_framework import serializers

from ..models import Edition, EditionSection, Practice, TrainingSession


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class EditionSerializer(serializers.ModelSerializer):
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = ["id", "number", "published_at", "note_ro", "note_en", "web_url"]

    def get_web_url(self, obj) -> str:
        return _absolute(obj.get_absolute_url())


class GuideSectionSerializer(serializers.ModelSerializer):
    """A section of the current edition (body: sanitised HTML)."""

    edition = serializers.IntegerField(source="edition.number")
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = EditionSection
        fields = [
            "id",
            "key",
            "edition",
            "chapter_key",
            "chapter_title_ro",
            "chapter_title_en",
            "title_ro",
            "title_en",
            "body_ro",
            "body_en",
            "web_url",
        ]

    def get_web_url(self, obj) -> str:
        from django.urls import reverse

        return _absolute(reverse("guide:section", args=[obj.key]))


class TrainingSessionSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name", default=None)
    places_taken = serializers.IntegerField(source="confirmed")
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "topic",
            "audience",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "places_taken",
            "trainers",
            "institution",
            "is_network_event",
            "status",
            "web_url",
        ]

    def get_web_url(self, obj) -> str:
        return _absolute(obj.get_absolute_url())


class PracticeSerializer(serializers.ModelSerializer):
    institution = serializers.SerializerMethodField()
    county = serializers.CharField(source="county.code", default=None)
    domains = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    methods = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    consultations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    proposals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "problem",
            "what_was_done",
            "methods_text",
            "results",
            "contact",
            "institution",
            "county",
            "domains",
            "methods",
            "consultations",
            "proposals",
            "published_at",
            "web_url",
        ]

    def get_institution(self, obj) -> dict:
        return {"id": obj.institution_id, "name": obj.institution.name}

    def get_web_url(self, obj) -> str:
        return _absolute(obj.get_absolute_url())
