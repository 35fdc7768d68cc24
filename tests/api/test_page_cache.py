"""The organisations' API keeps a JSON page in the shared cache under its ETag: asked
again before anything changed, the page costs the ETag's two queries and the same body;
any change to what the page shows gives a new ETag, and so a freshly read page."""

import pytest

from registry.models import OrganisationAffiliation, OrganisationBranch
from registry.services.domains import domain_update
from registry.services.organisations import organisation_update
from registry.services.profiles import affiliation_add, branch_add, branch_remove

from .conftest import make_organisation

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def record(response, pk):
    return next(row for row in response.json()["results"] if row["id"] == pk)


def test_a_page_asked_again_is_served_from_the_cache(
    api, organisation, domains, django_assert_num_queries
):
    organisation.domains.set(domains)
    first = api.get(LIST)
    with django_assert_num_queries(1):  # the latest change: no count, no page read
        again = api.get(LIST)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_an_update_is_shown_at_once(api, organisation, ngo_admin):
    api.get(LIST)
    organisation_update(organisation=organisation, actor=ngo_admin, locality="Dej")
    assert record(api.get(LIST), organisation.pk)["locality"] == "Dej"


def test_affiliations_and_branches_change_the_page(api, organisation, ngo_admin, county):
    """They live in rows of their own: the services mark the organisation as changed, so
    that its ETag (and its cached page) follow them."""
    federation = make_organisation("Federația Exemplu")
    before = api.get(LIST)
    affiliation_add(
        organisation=organisation,
        actor=ngo_admin,
        kind=OrganisationAffiliation.Kind.FEDERATION,
        parent=federation,
    )
    after = api.get(LIST)
    assert after["ETag"] != before["ETag"]
    [shown] = record(after, organisation.pk)["affiliations"]
    assert shown["name"] == "Federația Exemplu"

    branch = branch_add(
        organisation=organisation, actor=ngo_admin, name="Filiala Cluj", county=county
    )
    assert [b["name"] for b in record(api.get(LIST), organisation.pk)["branches"]] == [
        "Filiala Cluj"
    ]
    branch_remove(branch=OrganisationBranch.objects.get(pk=branch.pk), actor=ngo_admin)
    assert record(api.get(LIST), organisation.pk)["branches"] == []


def test_a_federation_renamed_is_renamed_in_its_members(api, organisation, ngo_admin, coordinator):
    federation = make_organisation("Federația Veche")
    affiliation_add(
        organisation=organisation,
        actor=ngo_admin,
        kind=OrganisationAffiliation.Kind.FEDERATION,
        parent=federation,
    )
    api.get(LIST)
    organisation_update(organisation=federation, actor=coordinator, name="Federația Nouă")
    [shown] = record(api.get(LIST), organisation.pk)["affiliations"]
    assert shown["name"] == "Federația Nouă"


def test_a_domain_renamed_is_renamed_in_the_page(
    api, organisation, domains, coordinator, django_capture_on_commit_callbacks
):
    organisation.domains.set(domains[:1])
    api.get(LIST)
    with django_capture_on_commit_callbacks(execute=True):
        domain_update(domain=domains[0], actor=coordinator, name_en="Renamed domain")
    [shown] = record(api.get(LIST), organisation.pk)["domains"]
    assert shown["name"] == "Renamed domain"


def test_each_language_has_its_own_page(api, organisation):
    english = record(api.get(LIST), organisation.pk)
    romanian = record(api.get(LIST, HTTP_ACCEPT_LANGUAGE="ro"), organisation.pk)
    assert english["legal_form_label"] == "association"
    assert romanian["legal_form_label"] == "asociație"
