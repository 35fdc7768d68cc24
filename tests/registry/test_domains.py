"""Domains of activity: the seeded list, the coordinators' edits and the public list."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from registry.models import Domain, Organisation
from registry.services.domains import DEFAULT_DOMAINS, domain_create, domain_update
from tests.registry.test_organisations_services import make_org


def test_the_default_domains_are_seeded_in_both_languages(db):
    """The data migration loads every default domain, named in Romanian (with comma-below
    diacritics) and in English; "other" comes last."""
    assert Domain.objects.count() == len(DEFAULT_DOMAINS) >= 23
    for slug in ("education", "health", "social-services", "anti-corruption-good-governance"):
        assert Domain.objects.filter(slug=slug, is_active=True).exists()
    names = "".join(Domain.objects.values_list("name_ro", flat=True))
    assert "ş" not in names and "ţ" not in names
    assert list(Domain.objects.all())[-1].slug == "other"
    education = Domain.objects.get(slug="education")
    with translation.override("en"):
        assert education.name == "Education"
    with translation.override("ro"):
        assert education.name == "Educație"


def test_coordinator_adds_and_edits_a_domain_with_history(coordinator):
    """A coordinator adds a domain and deactivates it; each change names them."""
    domain = domain_create(
        actor=coordinator,
        slug=" Smart-Cities ",
        name_ro="Orașe inteligente",
        name_en="Smart cities",
    )
    assert domain.slug == "smart-cities"
    domain_update(domain=domain, actor=coordinator, is_active=False)
    domain.refresh_from_db()
    assert not domain.is_active
    assert [h.history_user for h in domain.history.all()] == [coordinator, coordinator]


def test_duplicate_or_invalid_identifier_is_refused(coordinator):
    """An identifier already used, or with spaces, is refused and nothing changes."""
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        domain_create(actor=coordinator, slug="education", name_ro="X", name_en="X")
    assert "already uses" in exc.value.message_dict["slug"][0]
    with pytest.raises(ValidationError):
        domain_create(actor=coordinator, slug="two words", name_ro="X", name_en="X")
    health = Domain.objects.get(slug="health")
    with pytest.raises(ValidationError):
        domain_update(domain=health, actor=coordinator, slug="education")
    assert Domain.objects.filter(slug="health").exists()


def test_domain_list_counts_public_organisations(client, db):
    """Everyone sees the active domains with the number of public organisations in each,
    each linking to the filtered list."""
    sport = Domain.objects.get(slug="sport")
    for seed, status in enumerate([Organisation.Status.VERIFIED, Organisation.Status.PENDING]):
        make_org(status, seed=600 + seed).domains.add(sport)
    response = client.get(reverse("registry:domain-list"))
    domains = {d.slug: d for d in response.context["domains"]}
    assert domains["sport"].organisations_count == 1
    assert f"{reverse('registry:organisation-list')}?domain=sport" in response.content.decode()
    assert reverse("registry:domain-create") not in response.content.decode()


def test_inactive_domains_are_hidden_from_the_public_and_from_new_choices(client, coordinator):
    """A deactivated domain disappears from the public list and the filter, but the
    coordinators still see it."""
    domain_update(domain=Domain.objects.get(slug="sport"), actor=coordinator, is_active=False)
    response = client.get(reverse("registry:domain-list"))
    assert "sport" not in {d.slug for d in response.context["domains"]}
    listing = client.get(reverse("registry:organisation-list"))
    assert "sport" not in {
        slug for slug, _name in listing.context["filter"].form["domain"].field.choices
    }
    assert 'value="sport"' not in listing.content.decode()
    refused = client.get(reverse("registry:organisation-list") + "?domain=sport")
    assert "domain" in refused.context["filter"].form.errors  # not a valid choice any more
    client.force_login(coordinator)
    response = client.get(reverse("registry:domain-list"))
    assert "sport" in {d.slug for d in response.context["domains"]}


def test_a_domain_changed_after_the_list_was_cached_shows_at_once(
    client, coordinator, django_capture_on_commit_callbacks
):
    """The cached domain lists are forgotten when a coordinator renames or deactivates a
    domain: the next page shows the change."""
    url = reverse("registry:domain-list")
    assert "sport" in {d.slug for d in client.get(url).context["domains"]}
    with django_capture_on_commit_callbacks(execute=True):
        domain_update(domain=Domain.objects.get(slug="sport"), actor=coordinator, is_active=False)
    assert "sport" not in {d.slug for d in client.get(url).context["domains"]}
    with django_capture_on_commit_callbacks(execute=True):
        domain_update(
            domain=Domain.objects.get(slug="health"), actor=coordinator, name_ro="Sănătate publică"
        )
    names = {d.slug: d.name_ro for d in client.get(url).context["domains"]}
    assert names["health"] == "Sănătate publică"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("citizen", 403), ("ngo_admin", 403), ("coordinator", 200)],
)
def test_domain_pages_are_for_coordinators(client, db, request, role, status):
    """Only coordinators add or edit domains; others are sent to sign in or refused."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    health = Domain.objects.get(slug="health")
    for url in (
        reverse("registry:domain-create"),
        reverse("registry:domain-edit", args=[health.pk]),
    ):
        assert client.get(url).status_code == status
    response = client.post(
        reverse("registry:domain-edit", args=[health.pk]),
        {
            "name_ro": "Sănătate publică",
            "name_en": "Public health",
            "slug": "health",
            "position": 0,
            "is_active": "on",
        },
    )
    health.refresh_from_db()
    assert (health.name_en == "Public health") is (role == "coordinator")
    if role == "coordinator":
        assert response.status_code == 302


def test_domain_list_query_count(client, db, django_assert_num_queries):
    """The domain list costs two queries (the counts and the domains), then both are
    cached, so the next page runs none."""
    with django_assert_num_queries(2):
        client.get(reverse("registry:domain-list"))
    with django_assert_num_queries(0):
        response = client.get(reverse("registry:domain-list"))
    assert len(response.context["domains"]) == Domain.objects.filter(is_active=True).count()
