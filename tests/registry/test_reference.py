"""The reference data held in each process (registry.reference): current after any
change, whichever process made it, and cheap for a page of organisations."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from registry import reference
from registry.models import County, Domain, Organisation
from registry.services.domains import domain_update
from tests.registry.test_organisations_services import make_org

LIST_URL = reverse("registry:organisation-list")


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def offered_domains(client) -> dict:
    form = client.get(LIST_URL).context["filter"].form
    return dict(form["domain"].field.choices)


@pytest.mark.django_db
def test_a_renamed_domain_shows_at_once_on_the_search_form(en_client, coordinator):
    assert offered_domains(en_client)["education"] == "Education"
    domain = Domain.objects.get(slug="education")
    domain_update(domain=domain, actor=coordinator, name_en="Education and training")
    assert offered_domains(en_client)["education"] == "Education and training"


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_seen_through_the_shared_token(
    monkeypatch, django_assert_num_queries
):
    """Another process changed a domain (here: an update that sends no signal) and wrote
    a new token: this process reloads within CHECK_INTERVAL; without a new token it keeps
    its snapshot."""
    reference.reference()
    Domain.objects.filter(slug="education").update(name_ro="Educație și formare")
    with django_assert_num_queries(0):
        assert reference.reference().domain_by_slug["education"].name_ro == "Educație"
    cache.set(reference.VERSION_KEY, "written-by-another-process")
    # Within a second of its last look this process does not read the token again...
    with django_assert_num_queries(0):
        assert reference.reference().domain_by_slug["education"].name_ro == "Educație"
    # ...and after that it does, and reloads.
    monkeypatch.setattr(reference, "_checked_at", time.monotonic() - reference.CHECK_INTERVAL)
    with django_assert_num_queries(3):  # regions, counties, domains
        snapshot = reference.reference()
    assert snapshot.domain_by_slug["education"].name_ro == "Educație și formare"


@pytest.mark.django_db
def test_a_lost_token_keeps_the_snapshot_and_an_old_one_is_reloaded(
    monkeypatch, django_assert_num_queries
):
    first = reference.reference()
    cache.delete(reference.VERSION_KEY)  # e.g. the cache server restarted
    monkeypatch.setattr(reference, "_checked_at", 0.0)  # time to look at the token again
    with django_assert_num_queries(0):
        assert reference.reference() is first
    assert cache.get(reference.VERSION_KEY) == first.token
    monkeypatch.setattr(reference, "MAX_AGE", 0)
    with django_assert_num_queries(3):
        assert reference.reference() is not first


@pytest.mark.django_db
def test_a_new_county_row_or_deleted_domain_bumps_the_token():
    token = reference.reference().token
    Domain.objects.create(slug="nou", name_ro="Nou", name_en="New", position=99)
    assert cache.get(reference.VERSION_KEY) != token
    assert "nou" in reference.reference().domain_by_slug
    Domain.objects.filter(slug="nou").delete()  # a queryset delete sends post_delete too
    assert "nou" not in reference.reference().domain_by_slug


@pytest.mark.django_db
def test_organisation_refs_give_county_region_and_ordered_domains_in_one_query(
    county, django_assert_num_queries
):
    first = make_org(seed=1, county=county)
    second = make_org(seed=2)
    domains = list(Domain.objects.order_by("-position", "-name_ro")[:3])
    first.domains.set(domains)
    organisations = list(Organisation.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        reference.organisation_refs(organisations)
        assert organisations[0].county.name == "Cluj"
        assert organisations[0].county.region.code == "RO11"
        assert organisations[1].county is None
    expected = sorted(domains, key=lambda d: (d.position, d.name_ro, d.pk))
    assert [d.slug for d in organisations[0].domain_list] == [d.slug for d in expected]
    assert organisations[1].domain_list == []


@pytest.mark.django_db
def test_the_region_filter_finds_the_counties_of_the_region(en_client, county):
    """Filtering by region goes through the region's counties (no JOIN): Cluj is in
    Nord-Vest (RO11), not in Centru (RO12)."""
    found = make_org(seed=3, county=county, name="Asociația din Cluj")
    elsewhere = make_org(seed=4, county=County.objects.get(code="RO121"), name="Din Alba")
    rows = en_client.get(LIST_URL, {"region": "RO11"}).context["organisations"]
    assert [o.pk for o in rows] == [found.pk]
    rows = en_client.get(LIST_URL, {"region": "RO12"}).context["organisations"]
    assert [o.pk for o in rows] == [elsewhere.pk]
