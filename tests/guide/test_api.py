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
    with django_assert_num_queries(4):  # count, page, domains, methods
        response = client.get(reverse("api-v1:practice-list"))
    assert [row["title"] for row in response.json()["results"]] == ["published"]


def test_schema_lists_the_guide(client):
    schema = client.get(reverse("api-v1:schema")).content.decode()
    assert "/api/v1/guide/sections/" in schema
    assert "/api/v1/practices/" in schema
