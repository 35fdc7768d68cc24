"""What the public API shows of consultations: their public fields, documents and
counts; published recommendations with the name shown on the site; syntheses. A
disposition appears only once the synthesis that contains it is published."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conect.core.exports import plain_text
from conect.core.site import absolute_url

from ..models import Consultation, Document, DocumentVersion, Recommendation

API = "api-v1"


def _absolute(context, path: str) -> str:
    return absolute_url(path)


class VersionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = ["number", "url", "content_type", "size", "sha256", "uploaded_at", "change_note"]

    def get_url(self, obj) -> str:
        return _absolute(self.context, obj.file.url)


class DocumentSerializer(serializers.ModelSerializer):
    versions = VersionSerializer(many=True)

    class Meta:
        model = Document
        fields = ["id", "kind", "title", "versions"]


class ConsultationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    institution = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    counties = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True)
    recommendations_count = serializers.IntegerField(source="published_count")
    synthesis_url = serializers.SerializerMethodField()
    state = serializers.ChoiceField(
        source="current_state",
        choices=Consultation.State.choices,
        read_only=True,
        help_text=_(
            "The state by the clock: an open consultation whose last day has passed is closed."
        ),
    )

    class Meta:
        model = Consultation
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "summary",
            "kind",
            "state",
            "institution",
            "domains",
            "is_national",
            "regions",
            "counties",
            "opens_on",
            "closes_on",
            "planned_adoption_on",
            "planned_endorsement_on",
            "announcement_channels",
            "is_urgent",
            "urgency_justification",
            "moderation",
            "published_at",
            "closed_at",
            "synthesis_published_at",
            "synthesis_days_late",
            "synthesis_url",
            "adopted_on",
            "adopted_act_url",
            "withdrawn_reason",
            "recommendations_count",
            "documents",
            "updated_at",
        ]

    def get_url(self, obj) -> str:
        return _absolute(self.context, reverse(f"{API}:consultation-detail", args=[obj.pk]))

    def get_web_url(self, obj) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_institution(self, obj):
        return {"id": obj.institution_id, "name": obj.institution.name}

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_domains(self, obj):
        return [{"slug": d.slug, "name": d.name} for d in obj.domains.all()]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_counties(self, obj):
        return [{"code": c.code, "name": c.name} for c in obj.counties.all()]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_regions(self, obj):
        return [{"code": r.code, "name": r.name} for r in obj.regions.all()]

    def get_synthesis_url(self, obj) -> str | None:
        if obj.synthesis_published_at is None:
            return None
        return _absolute(self.context, reverse(f"{API}:synthesis-detail", args=[obj.pk]))


class RecommendationSerializer(serializers.ModelSerializer):
    consultation = serializers.IntegerField(source="consultation_id")
    web_url = serializers.SerializerMethodField()
    author = serializers.CharField(source="public_author")
    organisation = serializers.SerializerMethodField()
    article = serializers.SerializerMethodField()
    text_plain = serializers.SerializerMethodField()
    attachment_url = serializers.SerializerMethodField()
    disposition = serializers.SerializerMethodField()
    justification = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "consultation",
            "web_url",
            "author",
            "organisation",
            "article",
            "text",
            "text_plain",
            "attachment_url",
            "created_at",
            "edited_at",
            "channel",
            "received_on",
            "disposition",
            "justification",
        ]

    def get_web_url(self, obj) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "required": ["id", "name"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
    )
    def get_organisation(self, obj):
        if not obj.organisation_id:
            return None
        return {"id": obj.organisation_id, "name": obj.organisation.name}

    def get_article(self, obj) -> str | None:
        return obj.article.label if obj.article_id else None

    def get_text_plain(self, obj) -> str:
        return plain_text(obj.text)

    def get_attachment_url(self, obj) -> str | None:
        if not obj.attachment:
            return None
        path = reverse("consultations:recommendation-attachment", args=[obj.pk])
        return _absolute(self.context, path)

    def _published(self, obj) -> bool:
        return obj.consultation.synthesis_published_at is not None

    def get_disposition(self, obj) -> str | None:
        return (obj.disposition or None) if self._published(obj) else None

    def get_justification(self, obj) -> str | None:
        return (obj.justification or None) if self._published(obj) else None


class SynthesisSerializer(serializers.ModelSerializer):
    consultation = serializers.IntegerField(source="pk")
    consultation_url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()
    recommendations_url = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "consultation",
            "consultation_url",
            "title",
            "web_url",
            "pdf_url",
            "csv_url",
            "recommendations_url",
            "synthesis_summary",
            "synthesis_published_at",
            "synthesis_days_late",
            "counts",
        ]

    def get_consultation_url(self, obj) -> str:
        return _absolute(self.context, reverse(f"{API}:consultation-detail", args=[obj.pk]))

    def get_web_url(self, obj) -> str:
        return _absolute(self.context, reverse("consultations:synthesis", args=[obj.pk]))

    def get_pdf_url(self, obj) -> str:
        return _absolute(self.context, reverse("consultations:synthesis-pdf", args=[obj.pk]))

    def get_csv_url(self, obj) -> str:
        return _absolute(self.context, reverse("consultations:synthesis-csv", args=[obj.pk]))

    def get_recommendations_url(self, obj) -> str:
        path = reverse(f"{API}:recommendation-list") + f"?consultation={obj.pk}"
        return _absolute(self.context, path)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_counts(self, obj):
        return {
            value: getattr(obj, f"count_{value}")
            for value in [*Recommendation.Disposition.values, "total", "hidden"]
        }


# --- Working beside e-consultare (cedge): the consultation package ----------------------


class PackageSerializer(serializers.Serializer):
    """The consultation package's JSON, as documented in docs/e-consultare-package.md
    (the same as consultation.json in the zip)."""

    format = serializers.CharField(help_text=_('Always "conect-consultation-package".'))
    version = serializers.IntegerField(help_text=_("The version of the format: 1."))
    exported_at = serializers.DateTimeField()
    source = serializers.JSONField(
        help_text=_("Where the package comes from: site, id and url of the consultation.")
    )
    consultation = serializers.JSONField(
        help_text=_(
            "Title, summary (HTML), kind of act, state by the clock, institution, territory "
            "(domain slugs, region and county codes), urgency, moderation, adopted act, "
            "reason for a withdrawal."
        )
    )
    dates = serializers.JSONField(
        help_text=_(
            "opens_on, closes_on, planned_adoption_on, synthesis_due_on, adopted_on (dates); "
            "published_at, closed_at, synthesis_published_at (moments, ISO 8601)."
        )
    )
    articles = serializers.JSONField(help_text=_("The draft's text by articles: label, text."))
    documents = serializers.JSONField(
        help_text=_(
            "Each document (kind, title) with its versions: number, file (its path in the "
            "zip), url, original_name, content_type, size, sha256, published_at, change_note."
        )
    )
    synthesis = serializers.JSONField(
        allow_null=True,
        help_text=_(
            "Null until the synthesis is published; then published_at, days_late, summary "
            "and every public recommendation with its disposition and justification."
        ),
    )
