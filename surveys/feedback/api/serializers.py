"""The feedback's aggregates in the public API: indices, never single answers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import selectors
from ..models import Service


class AveragesSerializer(serializers.Serializer):
    satisfaction = serializers.FloatField(allow_null=True)
    access = serializers.FloatField(allow_null=True)
    clarity = serializers.FloatField(allow_null=True)
    courtesy = serializers.FloatField(allow_null=True)
    timeliness = serializers.FloatField(allow_null=True)


class IndexSerializer(serializers.Serializer):
    answers = serializers.IntegerField(help_text=_("Answers behind the index."))
    shown = serializers.BooleanField(
        help_text=_("False below 10 answers: then no share and no average is given.")
    )
    satisfied_share = serializers.FloatField(
        required=False, help_text=_("Satisfied or very satisfied answers, in %.")
    )
    averages = AveragesSerializer(
        required=False, help_text=_("Average of each indicator, from 1 to 5.")
    )
    solved_share = serializers.FloatField(
        required=False, allow_null=True, help_text=_("Answers whose matter was solved, in %.")
    )


class MonthIndexSerializer(IndexSerializer):
    month = serializers.CharField(help_text=_("The month, as YYYY-MM."))


class SeriesSerializer(serializers.Serializer):
    months = MonthIndexSerializer(many=True)
    total = IndexSerializer(help_text=_("The last 12 months together."))
    trend = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Change of the share of satisfied answers between the last two months with an "
            "index, in percentage points."
        ),
    )


class AreaIndexSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    index = IndexSerializer()


class NationalIndexSerializer(serializers.Serializer):
    """The answer of /feedback/index/: the series, and, for the whole country (no scope
    asked), every region and county and the services with no county."""

    series = SeriesSerializer()
    regions = AreaIndexSerializer(many=True, required=False)
    counties = AreaIndexSerializer(many=True, required=False)
    national_level = IndexSerializer(
        required=False, help_text=_("Services with no county (of central institutions).")
    )


class ServiceListSerializer(serializers.ListSerializer):
    """Reads the 12-month index of a page (or a CSV batch) of services in one query."""

    def to_representation(self, data):
        services = list(data.all() if hasattr(data, "all") else data)
        self.child.indices = selectors.index_by(
            "service_id", service_id__in=[service.pk for service in services]
        )
        return [self.child.to_representation(service) for service in services]


class ServiceSerializer(serializers.ModelSerializer):
    institution = serializers.SerializerMethodField()
    county = serializers.CharField(source="county.code", allow_null=True, default=None)
    index = serializers.SerializerMethodField()
    form_url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    indices: dict | None = None

    class Meta:
        model = Service
        list_serializer_class = ServiceListSerializer
        fields = [
            "code",
            "name",
            "description",
            "channel",
            "institution",
            "county",
            "locality",
            "index",
            "form_url",
            "web_url",
        ]

    def get_institution(self, service) -> dict:
        return {"id": service.institution_id, "name": service.institution.name}

    def get_index(self, service) -> IndexSerializer:
        if self.indices is None:  # one service
            self.indices = selectors.index_by("service_id", service_id=service.pk)
        return self.indices.get(service.pk) or selectors.summarise(None)

    def get_form_url(self, service) -> str:
        return service.short_url

    def get_web_url(self, service) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("feedback:service-detail", args=[service.code])
        )
