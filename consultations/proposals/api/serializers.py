"""What the public API shows of calls for proposals and proposals: their public fields,
the vote totals and the decision with its follow-up. Never who voted."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Evaluation, ImplementationStep, Proposal, ProposalCall

API = "api-v1"


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ProposalCallSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    institution = serializers.SerializerMethodField()
    structure = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    counties = serializers.SerializerMethodField()

    class Meta:
        model = ProposalCall
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "description",
            "state",
            "institution",
            "structure",
            "domains",
            "is_national",
            "counties",
            "is_permanent",
            "submissions_open_on",
            "submissions_close_on",
            "vote_days",
            "threshold",
            "count_net_votes",
            "answer_days",
            "answer_by",
            "published_at",
            "updated_at",
        ]

    def get_url(self, obj) -> str:
        return _absolute(self.context, reverse(f"{API}:proposal-call-detail", args=[obj.pk]))

    def get_web_url(self, obj) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_institution(self, obj):
        return {"id": obj.institution_id, "name": obj.institution.name}

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_structure(self, obj):
        return {"id": obj.structure_id, "name": obj.structure.name}

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_domains(self, obj):
        return [{"slug": d.slug, "name": d.name} for d in obj.domains.all()]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_counties(self, obj):
        return [{"code": c.code, "name": c.name} for c in obj.counties.all()]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImplementationStep
        fields = ["description", "owner", "starts_on", "due_on", "status", "done_on", "note"]


class EvaluationSerializer(serializers.ModelSerializer):
    evaluator = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = ["rating", "comment", "evaluator", "created_at"]

    def get_evaluator(self, obj) -> str:
        return obj.organisation.name if obj.organisation_id else obj.evaluator.name


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal with its totals; the votes themselves (who voted) are never shown."""

    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    call = serializers.IntegerField(source="call_id")
    author = serializers.CharField(source="public_author")
    domain = serializers.SerializerMethodField()
    county = serializers.SerializerMethodField()
    threshold = serializers.IntegerField(source="call.threshold")
    reached_threshold = serializers.SerializerMethodField()
    implementation_steps = StepSerializer(many=True)
    evaluations = EvaluationSerializer(many=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "web_url",
            "call",
            "title",
            "problem",
            "body",
            "expected_effect",
            "author",
            "domain",
            "county",
            "state",
            "yes_count",
            "no_count",
            "threshold",
            "reached_threshold",
            "voting_opens_at",
            "voting_closes_at",
            "referred_at",
            "answer_due_on",
            "decision",
            "decision_reasons",
            "decision_minutes",
            "decided_at",
            "implemented_at",
            "implementation_steps",
            "evaluations",
            "updated_at",
        ]

    def get_url(self, obj) -> str:
        return _absolute(self.context, reverse(f"{API}:proposal-detail", args=[obj.pk]))

    def get_web_url(self, obj) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_domain(self, obj):
        return {"slug": obj.domain.slug, "name": obj.domain.name} if obj.domain_id else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_county(self, obj):
        return {"code": obj.county.code, "name": obj.county.name} if obj.county_id else None

    def get_reached_threshold(self, obj) -> bool:
        return obj.referred_at is not None
