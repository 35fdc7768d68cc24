"""The administration site for domains and organisations."""

from django.urls import reverse

from registry.models import Domain


def test_coordinator_reads_organisations_and_edits_domains(
    client, coordinator, ngo_admin, organisation
):
    """Coordinators read organisations, memberships and invitations (changes go through
    the pages) and edit domains."""
    client.force_login(coordinator)
    for name in (
        "admin:registry_organisation_changelist",
        "admin:registry_organisationmembership_changelist",
        "admin:registry_organisationinvitation_changelist",
        "admin:registry_domain_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    change = reverse("admin:registry_organisation_change", args=[organisation.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(change, {"name": "X"}).status_code == 403
    assert (
        client.get(
            reverse("admin:registry_organisation_history", args=[organisation.pk])
        ).status_code
        == 200
    )
    health = Domain.objects.get(slug="health")
    response = client.post(
        reverse("admin:registry_domain_change", args=[health.pk]),
        {
            "name_ro": "Sănătate",
            "name_en": "Health care",
            "slug": "health",
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    health.refresh_from_db()
    assert health.name_en == "Health care"
    assert client.get(reverse("admin:registry_domain_delete", args=[health.pk])).status_code == 403


def test_superuser_corrects_an_organisation_in_the_admin(client, superuser, organisation):
    """A superuser's correction keeps the folded search name in step."""
    client.force_login(superuser)
    change = reverse("admin:registry_organisation_change", args=[organisation.pk])
    data = {
        "name": "Asociația Corectată",
        "legal_form": "association",
        "fiscal_code": organisation.fiscal_code,
        "registry_number": "",
        "county": organisation.county_id,
        "description": "<script>x</script>ok",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.search_name == "asociatia corectata"
    assert "<script>" not in organisation.description


def test_admin_is_closed_to_other_roles(client, ngo_admin):
    """An NGO administrator is not let into the administration site."""
    client.force_login(ngo_admin)
    response = client.get(reverse("admin:registry_organisation_changelist"))
    assert response.status_code in (302, 403)
    assert "Asociația Exemplu" not in response.content.decode()
