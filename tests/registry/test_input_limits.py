"""Limits on what people write in the registry, and web addresses stored safe: the web
form, the services and the stored data (the API is in tests/api/test_input_limits.py)."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from conect.core.fields import SafeURLField
from conect.core.validators import normalize_url
from registry.forms.organisations import OrganisationForm
from registry.models import Institution, Organisation
from registry.services.organisations import organisation_update

pytestmark = pytest.mark.django_db

HOSTILE = 'https://example.org/?"><img src=x onerror=alert(1)>'
THREE_MB = "a" * (3 * 1024 * 1024)

# Texts the site writes itself, not people.
NOT_TYPED = {
    ("consultations", "consultation", "search_text"),
    ("consultations", "notification", "detail"),
    ("registry", "importjob", "failure_reason"),
    ("core", "outboxmessage", "last_error"),
    ("registry", "organisationactivity", "search_text"),
    ("registry", "setasiderow", "text"),  # a cell of the Ministry's file, as the import read it
}


def _typed_fields(field_class):
    for model in apps.get_models():
        if model._meta.app_label not in ("registry", "consultations", "accounts", "core"):
            continue
        if model._meta.model_name.startswith("historical"):  # copies, checked at the source
            continue
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if isinstance(field, field_class) and key not in NOT_TYPED:
                yield key, field


def test_every_text_people_write_has_a_limit_that_full_clean_checks():
    """Each text field has a max_length, and a MaxLengthValidator so the services'
    full_clean() refuses a longer text as the forms and the API do."""
    fields = dict(_typed_fields(models.TextField))
    assert ("registry", "organisation", "description") in fields
    for key, field in fields.items():
        assert field.max_length, key
        assert any(isinstance(v, MaxLengthValidator) for v in field.validators), key


def test_every_web_address_is_a_safe_url_field():
    """Every URLField people fill normalises and checks what they type."""
    fields = dict(_typed_fields(models.URLField))
    assert ("registry", "organisation", "website") in fields
    for key, field in fields.items():
        assert isinstance(field, SafeURLField), key


def _edit_post(organisation, **overrides):
    data = {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "fiscal_code": organisation.fiscal_code,
        "county": organisation.county_id or "",
        "locality": "Cluj-Napoca",
        "description": "Nouă descriere",
    }
    data.update(overrides)
    return data


def test_a_description_of_3_mb_is_refused_by_the_form(organisation):
    """The profile form refuses a description longer than 5,000 characters and says so."""
    form = OrganisationForm(data=_edit_post(organisation, description=THREE_MB))
    assert not form.is_valid()
    assert form.errors["description"] == [
        f"Ensure this value has at most 5000 characters (it has {len(THREE_MB)})."
    ]
    assert form.fields["description"].widget.attrs["maxlength"] == "5000"
    assert OrganisationForm(data=_edit_post(organisation, description="a" * 5000)).is_valid()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Ensure this value has at most 5000 characters"),
        ("ro", "Asigurați-vă că această valoare are cel mult 5000 de caractere"),
    ],
)
def test_the_profile_page_refuses_a_3_mb_description_and_saves_nothing(
    client, ngo_admin, organisation, language, message
):
    """Posting the edit page with a 3 MB description shows the form again with the
    message, in the person's language, and the profile stays as it was; 5,000 characters
    are saved."""
    ngo_admin.preferred_language = language
    ngo_admin.save(update_fields=["preferred_language"])
    client.force_login(ngo_admin)
    url = reverse("registry:organisation-edit", args=[organisation.pk])
    response = client.post(url, _edit_post(organisation, description=THREE_MB))
    assert response.status_code == 200
    assert message in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.description == ""
    assert organisation.locality == ""
    response = client.post(url, _edit_post(organisation, description="a" * 5000))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "a" * 5000


def test_the_service_refuses_a_long_description(organisation, coordinator):
    """The service's full_clean() checks the limit too (for callers without a form), and
    changes nothing."""
    with pytest.raises(ValidationError) as error:
        organisation_update(
            organisation=organisation, actor=coordinator, description="a" * 5001, locality="Arad"
        )
    assert "description" in error.value.message_dict
    assert organisation.description == ""
    organisation.refresh_from_db()
    assert organisation.locality == ""


def test_the_profile_page_stores_a_web_address_quoted(client, ngo_admin, organisation):
    """A website with characters that would close an HTML attribute is stored with them
    percent-encoded, and the page links to that address."""
    client.force_login(ngo_admin)
    url = reverse("registry:organisation-edit", args=[organisation.pk])
    response = client.post(url, _edit_post(organisation, website=HOSTILE))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.website == (
        "https://example.org/?%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"
    )
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert f'href="{organisation.website}"' in page
    response = client.post(url, _edit_post(organisation, website="javascript:alert(1)"))
    assert response.status_code == 200
    assert "Enter a valid URL." in (response.content.decode())


def test_stored_addresses_are_normalised_by_the_migration(organisation, institution):
    """The data migration quotes the addresses already stored and empties those that are
    not web pages (they could not be saved today)."""
    Organisation.objects.filter(pk=organisation.pk).update(website=HOSTILE)
    Institution.objects.filter(pk=institution.pk).update(website="javascript:alert(1)")
    migration = importlib.import_module("registry.migrations.0012_normalise_stored_urls")
    migration.normalise_urls(apps, None)
    organisation.refresh_from_db()
    institution.refresh_from_db()
    assert organisation.website == normalize_url(HOSTILE)
    assert institution.website == ""
