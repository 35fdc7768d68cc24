"""The guide in the public API: sections of the current edition, editions, sessions and
practices; query counts pinned."""

import pytest
from django.urls import reverse

from guide.models import Practice

from .conftest import make_session

pytestmark = pytest.mark.django_db


def test_sections_of_the_current_edition(client, edition, django_assert_num_queries):
    with django_assert_num_queries(3):  # edition, count, page
        response = client.get(reverse("api-v1:guide-section-list"))
    data = response.json()
    assert [row["key"] for row in data["results"]] == ["about", "consultations", "debates"]
    assert data["results"][1]["web_url"].endswith("/guide/s/consultations/")


def test_editions_and_sessions(client, edition, django_assert_num_queries):
    for _ in range(5):
        make_session()
    assert client.get(reverse("api-v1:guide-edition-list")).json()["results"][0]["number"] == 1
    with django_assert_num_queries(2):  # count, page
        response = client.get(reverse("api-v1:training-session-list"))
    assert len(response.json()["results"]) == 5
    assert response.json()["results"][0]["places_taken"] == 0


def test_only_published_practices(client, institution, django_assert_num_queries):
    for status in Practice.Status.values:
        Practice.objects.create(
            title=status,
            problem="p",
            what_was_done="w",
            results="r",
            contact="c",
            institution=institution,
            status=status,
        )
    with django_assert_num_queries(6):  # count, page, domains, methods, the links
        response = client.get(reverse("api-v1:practice-list"))
    assert [row["title"] for row in response.json()["results"]] == ["published"]


def test_practices_give_their_consultations_and_proposals(
    client, institution, citizen, django_assert_num_queries
):
    """Each practice of the API lists the ids of the consultations and proposals it is
    linked to, for the same queries whatever their number."""
    from registry.models import AdvisoryStructure
    from tests.consultations.conftest import make_consultation
    from tests.proposals.conftest import make_call, make_proposal

    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul consultativ",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )
    call = make_call(institution, structure)
    consultations = [make_consultation(institution) for _ in range(2)]
    proposals = [make_proposal(call, citizen, title=f"Propunerea {i}") for i in range(3)]
    for index in range(3):
        practice = Practice.objects.create(
            title=f"Practica {index}",
            problem="p",
            what_was_done="w",
            results="r",
            contact="c",
            institution=institution,
            status=Practice.Status.PUBLISHED,
        )
        practice.consultations.set(consultations[: index + 1])
        practice.proposals.set(proposals[:index])
    with django_assert_num_queries(6):
        rows = client.get(reverse("api-v1:practice-list")).json()["results"]
    by_title = {row["title"]: row for row in rows}
    assert sorted(by_title["Practica 2"]["consultations"]) == sorted(c.pk for c in consultations)
    assert sorted(by_title["Practica 2"]["proposals"]) == sorted(p.pk for p in proposals[:2])
    assert by_title["Practica 0"]["proposals"] == []


def test_schema_lists_the_guide(client):
    schema = client.get(reverse("api-v1:schema")).content.decode()
    assert "/api/v1/guide/sections/" in schema
    assert "/api/v1/practices/" in schema
