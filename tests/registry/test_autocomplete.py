"""The suggestions of the fields that choose among thousands of records (an institution's
parent, a seat's official): at most twenty, matched without diacritics, to the people who
may fill in the form, in a constant number of queries."""

import pytest
from django.urls import reverse

from registry.models import Institution
from registry.views.autocomplete import LIMIT

from .test_institutions_fixtures import *  # noqa: F403
from .test_institutions_fixtures import make_published_official

pytestmark = pytest.mark.django_db


def _parents_url(institution=None):
    if institution is None:
        return reverse("registry:new-institution-parent-options")
    return reverse("registry:institution-parent-options", args=[institution.pk])


def test_an_institutions_admin_gets_parents_by_words_without_diacritics_but_not_itself(
    en_client, institution, institution_admin, django_assert_num_queries
):
    for index in range(LIMIT + 5):
        Institution.objects.create(name=f"Primăria {index}", kind="city_hall", level="local")
    Institution.objects.create(name="Ministerul Educației și Cercetării", kind="ministry")
    en_client.force_login(institution_admin)
    url = _parents_url(institution)
    en_client.get(url, {"q": "x"})
    # session, user, institution, roles, suggestions
    with django_assert_num_queries(5):
        found = en_client.get(url, {"q": "primaria"}).json()
    assert len(found) == LIMIT
    assert all(item["label"].startswith("Primăria ") for item in found)
    found = en_client.get(url, {"q": "educatiei ministerul"}).json()
    assert [item["label"] for item in found] == ["Ministerul Educației și Cercetării"]
    assert institution.pk not in {item["id"] for item in found}
    assert en_client.get(url, {"q": " "}).json() == []


def test_only_who_may_fill_in_the_form_gets_suggestions(
    en_client, institution, institution_admin, other_civil_servant, citizen, coordinator
):
    for user, url, status in [
        (None, _parents_url(institution), 403),
        (citizen, _parents_url(institution), 403),
        (other_civil_servant, _parents_url(institution), 403),
        (institution_admin, _parents_url(), 403),
        (institution_admin, _parents_url(institution), 200),
        (coordinator, _parents_url(), 200),
        (coordinator, _parents_url(institution), 200),
    ]:
        en_client.logout()
        if user is not None:
            en_client.force_login(user)
        assert en_client.get(url, {"q": "min"}).status_code == status, (user, url)


def test_a_structures_manager_gets_published_officials_by_name_or_institution(
    en_client, institution, institution_admin, other_civil_servant, structure, removed_official
):
    official = make_published_official(institution, "Ioana Șerban")
    url = reverse("registry:seat-official-options", args=[structure.pk])
    en_client.force_login(other_civil_servant)
    assert en_client.get(url, {"q": "ioana"}).status_code == 403
    en_client.force_login(institution_admin)
    found = en_client.get(url, {"q": "serban"}).json()
    assert found == [{"id": official.pk, "label": "Ioana Șerban — Ministerul Educației"}]
    by_institution = en_client.get(url, {"q": "educatiei"}).json()
    assert official.pk in {item["id"] for item in by_institution}
    assert removed_official.pk not in {item["id"] for item in by_institution}
