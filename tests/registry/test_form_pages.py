"""The registry's form pages, as their editors open them: what each one shows checked and
offered, and a number of queries that does not grow with the records behind its lists."""

import re

import pytest
from django.urls import reverse

from registry.models import Domain, Institution, InstitutionStaff

from .test_institutions_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

CHECKED = re.compile(r'<input type="checkbox" name="domains" value="(\d+)"[^>]* checked>')


def _checked_domains(html: str) -> set[int]:
    return {int(key) for key in CHECKED.findall(html)}


def _offered_domains(html: str) -> set[int]:
    return {int(key) for key in re.findall(r'name="domains" value="(\d+)"', html)}


def test_an_organisations_form_checks_its_domains_and_offers_an_inactive_one_it_has(
    en_client, organisation, ngo_admin, django_assert_num_queries
):
    active = list(Domain.objects.filter(is_active=True).order_by("pk")[:2])
    retired = Domain.objects.filter(is_active=True).order_by("-pk").first()
    Domain.objects.filter(pk=retired.pk).update(is_active=False)
    organisation.domains.set([*active, retired])
    en_client.force_login(ngo_admin)
    url = reverse("registry:organisation-edit", args=[organisation.pk])
    en_client.get(url)
    # session, user, organisation, its domains (prefetched once, for the page and the
    # form's initial value), roles (organisations, institutions), verified e-mail,
    # counties, domains offered
    with django_assert_num_queries(9):
        html = en_client.get(url).text
    assert _checked_domains(html) == {domain.pk for domain in [*active, retired]}
    assert retired.pk in _offered_domains(html)
    other = Domain.objects.filter(is_active=False).exclude(pk=retired.pk).first()
    assert other is None or other.pk not in _offered_domains(html)


def test_a_structures_form_checks_its_domains(
    en_client, structure, institution_admin, domain, django_assert_num_queries
):
    en_client.force_login(institution_admin)
    url = reverse("registry:structure-edit", args=[structure.pk])
    en_client.get(url)
    # session, user, structure, roles, verified e-mail, its domain links, domains, regions,
    # counties
    with django_assert_num_queries(9):
        html = en_client.get(url).text
    assert _checked_domains(html) == {domain.pk}


def test_an_institutions_parent_is_chosen_by_suggestions_not_from_a_list_of_all(
    en_client, institution, institution_admin, django_assert_num_queries
):
    """The parent is a text box enhanced into a combobox (static/js/autocomplete.js): the
    page does not list the thousands of institutions, whatever their number."""
    parent = Institution.objects.create(
        name="Ministerul Culturii", kind="ministry", level="central"
    )
    institution.parent = parent
    institution.save()
    for index in range(30):
        Institution.objects.create(name=f"Primăria {index}", kind="city_hall", level="local")
    en_client.force_login(institution_admin)
    url = reverse("registry:institution-edit", args=[institution.pk])
    en_client.get(url)
    # session, user, institution, roles, verified e-mail, counties, the parent's name
    with django_assert_num_queries(7):
        html = en_client.get(url).text
    field = re.search(r'<input type="text" name="parent"[^>]*>', html).group(0)
    assert f'value="{parent.pk}"' in field
    assert 'data-autocomplete-label="Ministerul Culturii"' in field
    suggestions = reverse("registry:institution-parent-options", args=[institution.pk])
    assert f'data-autocomplete-url="{suggestions}"' in field
    assert "Primăria 1" not in html
    assert 'src="/static/js/autocomplete.js"' in html


@pytest.mark.parametrize("name", ["official-create", "structure-create"])
def test_a_new_record_form_of_an_institution(
    en_client, institution, institution_admin, name, django_assert_num_queries
):
    en_client.force_login(institution_admin)
    url = reverse(f"registry:{name}", args=[institution.pk])
    en_client.get(url)
    # session, user, institution, roles, verified e-mail, domains, counties (and the
    # regions of a structure)
    with django_assert_num_queries(7 if name == "official-create" else 8):
        html = en_client.get(url).text
    assert len(_offered_domains(html)) == Domain.objects.filter(is_active=True).count()
    assert not _checked_domains(html)


def test_a_new_call_form(en_client, structure, institution_admin, django_assert_num_queries):
    en_client.force_login(institution_admin)
    url = reverse("registry:call-create", args=[structure.pk])
    en_client.get(url)
    # session, user, structure, roles, verified e-mail
    with django_assert_num_queries(5):
        assert en_client.get(url).status_code == 200


def test_a_civil_servant_of_another_institution_gets_no_form(
    en_client, institution, other_civil_servant
):
    assert InstitutionStaff.objects.filter(user=other_civil_servant).exists()
    en_client.force_login(other_civil_servant)
    for name in ("institution-edit", "official-create", "structure-create"):
        response = en_client.get(reverse(f"registry:{name}", args=[institution.pk]))
        assert response.status_code == 403, name


def test_an_officials_form_checks_its_domains_and_counties(
    en_client, published_official, institution_admin, domain, county, django_assert_num_queries
):
    en_client.force_login(institution_admin)
    url = reverse("registry:official-edit", args=[published_official.pk])
    en_client.get(url)
    # session, user, official, roles, verified e-mail, its domain links, its county links,
    # domains, counties
    with django_assert_num_queries(9):
        html = en_client.get(url).text
    assert _checked_domains(html) == {domain.pk}
    counties = re.findall(r'name="counties" value="(\d+)"[^>]* checked>', html)
    assert counties == [str(county.pk)]
