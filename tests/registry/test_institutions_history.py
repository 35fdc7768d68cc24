"""The history page of registry records, for coordinators."""

from django.urls import reverse

from registry.models import Domain, InstitutionStaff
from registry.services import institutions as institution_services
from registry.services import officials as official_services
from registry.services import structures as structure_services

from .test_institutions_fixtures import *  # noqa: F403


def _url(model, pk):
    return reverse("registry:history", kwargs={"model": model, "pk": pk})


def test_coordinator_sees_who_changed_what_and_when(
    en_client, institution, civil_servant, coordinator, domain
):
    """Creation (with its domains, shown as one entry), then each change with the old and
    new values and the person who made it."""
    official = official_services.official_create(
        institution=institution,
        actor=civil_servant,
        name="Ana Vasile",
        position="consilier",
        email="ana@edu.gov.ro",
        domains=[domain],
    )
    official_services.official_update(
        official=official,
        actor=coordinator,
        position="director",
        domains=[Domain.objects.get(slug="health")],
    )
    en_client.force_login(coordinator)
    response = en_client.get(_url("relationshipofficial", official.pk))
    assert response.status_code == 200
    changed, created = response.context["entries"]
    assert created["type"] == "+" and created["user"] == civil_servant
    assert {c["label"] for c in created["changes"]} >= {"name", "position", "domains covered"}
    assert changed["user"] == coordinator
    changes = {c["label"]: (c["old"], c["new"]) for c in changed["changes"]}
    assert changes["position"] == ("consilier", "director")
    assert (
        changes["domains covered"] == ("Education", "Health")
        or changes["domains covered"][1] == "Health"
    )
    assert "Ioana Coordonator" in response.text


def test_actions_through_the_emailed_link_are_named(en_client, official, consent_link, coordinator):
    from registry.selectors.officials import official_by_consent_token

    official_services.official_give_consent(
        official=official_by_consent_token(consent_link(official))
    )
    en_client.force_login(coordinator)
    response = en_client.get(_url("relationshipofficial", official.pk))
    assert "by the official, through the e-mailed link" in response.text


def test_history_of_a_deleted_staff_row_and_of_structures(
    en_client, institution, civil_servant, institution_admin, coordinator
):
    membership = InstitutionStaff.objects.get(user=civil_servant)
    membership_pk = membership.pk
    institution_services.staff_remove(membership=membership, actor=institution_admin)
    structure = structure_services.structure_create(
        institution=institution,
        actor=civil_servant,
        name="Consiliu",
        kind="council",
        territorial_level="national",
    )
    structure_services.structure_update(structure=structure, actor=coordinator, status="inactive")
    en_client.force_login(coordinator)
    deleted = en_client.get(_url("institutionstaff", membership_pk))
    assert deleted.status_code == 200
    assert deleted.context["entries"][0]["type"] == "-"
    assert deleted.context["record"] is None
    changes = en_client.get(_url("advisorystructure", structure.pk)).context["entries"][0][
        "changes"
    ]
    assert [(c["old"], c["new"]) for c in changes] == [("active", "inactive")]


def test_only_coordinators_see_history(en_client, institution, institution_admin, citizen):
    url = _url("institution", institution.pk)
    anonymous = en_client.get(url)
    assert anonymous.status_code == 302
    for user in (citizen, institution_admin):
        en_client.force_login(user)
        assert en_client.get(url).status_code == 403


def test_unknown_model_or_record_is_404(en_client, coordinator, institution):
    en_client.force_login(coordinator)
    assert en_client.get(_url("region", 1)).status_code == 404
    assert en_client.get(_url("nosuchmodel", 1)).status_code == 404
    assert en_client.get(_url("institution", 999999)).status_code == 404


def test_history_query_count_is_constant(
    en_client, institution, civil_servant, coordinator, county, django_assert_num_queries
):
    """Constant whatever the number of versions: they, their authors, and each kind of
    related record and many-to-many field named in them are read once."""
    official = official_services.official_create(
        institution=institution,
        actor=civil_servant,
        name="Ana",
        position="p0",
        email="a@x.ro",
        counties=[county],
    )
    en_client.force_login(coordinator)
    url = _url("relationshipofficial", official.pk)
    en_client.get(url)
    # +1: the coordinator's second factor, checked on every page
    with django_assert_num_queries(13):
        en_client.get(url)
    for i in range(1, 8):
        official_services.official_update(official=official, actor=coordinator, position=f"p{i}")
    with django_assert_num_queries(13):
        response = en_client.get(url)
    assert len(response.context["entries"]) == 8


def test_the_same_page_serves_other_registry_records(en_client, coordinator):
    """Any registry model with a history works, e.g. the domains of activity."""
    domain = Domain.objects.get(slug="sport")
    domain.name_en = "Sport and leisure"
    domain.save()
    en_client.force_login(coordinator)
    response = en_client.get(_url("domain", domain.pk))
    assert response.status_code == 200
    changes = {c["label"]: (c["old"], c["new"]) for c in response.context["entries"][0]["changes"]}
    assert changes["name (English)"][1] == "Sport and leisure"
