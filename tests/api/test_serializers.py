"""The fast representation gives exactly DRF's own output."""

import pytest
from rest_framework import serializers as drf
from rest_framework.test import APIRequestFactory

from registry.api import serializers
from registry.api.views import OrganisationViewSet, StructureViewSet
from registry.models import County, Domain, Institution, Region, RelationshipOfficial

from .conftest import make_official, make_organisation, make_seat, make_structure

pytestmark = pytest.mark.django_db


def _context():
    return {
        "request": APIRequestFactory().get("/api/v1/"),
        "counts": {"regions": {}, "counties": {}},
    }


def _same(serializer_class, instances):
    for instance in instances:
        fast = serializer_class(instance, context=_context()).data
        slow = drf.ModelSerializer.to_representation(serializer_class(context=_context()), instance)
        assert dict(fast) == dict(slow)


def test_every_read_serializer_matches_drf(organisation, institution, domains):
    """Organisations (with coordinates, dates, domains), institutions, officials,
    structures with seats, regions, counties and domains: fast output == DRF output."""
    organisation.domains.set(domains)
    organisation.latitude, organisation.longitude = "46.770000", "23.590000"
    organisation.save()
    plain = make_organisation("Fără Județ", county=None)
    view = OrganisationViewSet()
    _same(
        serializers.OrganisationSerializer,
        view.get_queryset().filter(pk__in=[organisation.pk, plain.pk]),
    )

    official = make_official(institution, phone="0264")
    official.counties.set(County.objects.all()[:2])
    official.domains.set(domains[:1])
    _same(serializers.OfficialSerializer, RelationshipOfficial.objects.filter(pk=official.pk))

    structure = make_structure(institution)
    make_seat(structure, organisation=organisation)
    make_seat(structure, official=official)
    _same(serializers.StructureSerializer, StructureViewSet().get_queryset())
    _same(serializers.SeatSerializer, structure.seats.all())

    from registry.selectors.institutions import institution_list_public

    _same(serializers.InstitutionSerializer, institution_list_public())
    _same(serializers.DomainSerializer, Domain.objects.all()[:3])
    _same(serializers.CountySerializer, County.objects.select_related("region")[:3])
    _same(serializers.RegionSerializer, Region.objects.all()[:2])
    assert Institution.objects.exists()


def test_dates_are_written_as_drf_writes_them_in_any_zone(organisation):
    """ISO 8601 in the zone of the request ("Z" for UTC), dates as YYYY-MM-DD: the fast
    path and DRF agree, in Bucharest's zone and in UTC."""
    import datetime

    from django.utils import timezone

    organisation.registration_date = datetime.date(2004, 2, 29)
    organisation.save()
    queryset = OrganisationViewSet().get_queryset().filter(pk=organisation.pk)
    for zone in ("Europe/Bucharest", "UTC"):
        with timezone.override(zone):
            _same(serializers.OrganisationSerializer, queryset)
            data = serializers.OrganisationSerializer(queryset.get(), context=_context()).data
            assert data["registration_date"] == "2004-02-29"
            assert data["created_at"].endswith("Z") == (zone == "UTC")
