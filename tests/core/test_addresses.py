"""A record's address (get_absolute_url) is reversed once per route, then filled in with
the record's key: the same address as reverse() gives, under any script prefix."""

import pytest
from django.urls import reverse, set_script_prefix

from consultations.models import Consultation, Recommendation
from registry.models import (
    AdvisoryStructure,
    ImportJob,
    Institution,
    MembershipCall,
    Organisation,
    RelationshipOfficial,
)

ROUTES = [
    (Organisation, "registry:organisation-detail"),
    (Institution, "registry:institution-detail"),
    (RelationshipOfficial, "registry:official-detail"),
    (AdvisoryStructure, "registry:structure-detail"),
    (MembershipCall, "registry:call-detail"),
    (ImportJob, "registry:import-detail"),
    (Consultation, "consultations:detail"),
]


@pytest.mark.parametrize("model, route", ROUTES, ids=[model.__name__ for model, _ in ROUTES])
def test_a_records_address_is_what_reverse_gives(model, route):
    for pk in (1, 7, 123456):
        assert model(pk=pk).get_absolute_url() == reverse(route, kwargs={"pk": pk})


def test_a_recommendation_points_into_its_consultation():
    recommendation = Recommendation(pk=5, consultation_id=9)
    expected = reverse("consultations:detail", kwargs={"pk": 9}) + "#recommendation-5"
    assert recommendation.get_absolute_url() == expected


def test_the_address_follows_the_script_prefix():
    """A site served under a prefix (/conect/) links its records under it."""
    assert Organisation(pk=3).get_absolute_url() == reverse(
        "registry:organisation-detail", kwargs={"pk": 3}
    )
    set_script_prefix("/conect/")
    try:
        assert Organisation(pk=3).get_absolute_url().startswith("/conect/")
        assert Organisation(pk=3).get_absolute_url() == reverse(
            "registry:organisation-detail", kwargs={"pk": 3}
        )
    finally:
        set_script_prefix("/")
