"""Every error in one JSON shape, {"error": {"code", "message", "details"}}, in the
client's language."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from registry.models import Domain

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def _error(response):
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert response["Content-Type"] == "application/json"
    return body["error"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/organisations/999999/", 404, "not_found"),
        ("/api/v1/no-such-thing/", 404, "not_found"),
        ("/api/v1/organisations/?county=XX", 400, "invalid"),
        ("/api/v1/organisations/?page=50", 404, "invalid_page"),
        ("/api/v1/map/?domain=nu-exista", 400, "invalid"),
    ],
)
def test_error_shape(api, organisation, path, status, code):
    """Unknown records and addresses, invalid filters and pages: the same shape, with a
    stable code and a sentence for people."""
    response = api.get(path)
    assert response.status_code == status
    error = _error(response)
    assert error["code"] == code
    assert error["message"]


def test_missing_trailing_slash_redirects(api, organisation):
    """An address without its final slash is redirected to the right one."""
    response = api.get("/api/v1/organisations")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/organisations/"


def test_validation_details_name_each_field_with_codes(api, organisation):
    """Invalid filters list each parameter with its messages and their codes."""
    error = _error(api.get(LIST, {"county": "XX", "legal_form": "sa"}))
    assert set(error["details"]) == {"county", "legal_form"}
    assert error["details"]["legal_form"][0]["code"] == "invalid_choice"
    assert error["details"]["legal_form"][0]["message"]


def test_not_acceptable(api, organisation):
    """Asking for a format the API does not speak is 406, answered in JSON."""
    response = api.get(LIST, HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert _error(response)["code"] == "not_acceptable"


def test_messages_in_the_clients_language(organisation):
    """Accept-Language chooses the language of the message: Romanian or English."""
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"{LIST}999999/")
    romanian = Client(HTTP_ACCEPT_LANGUAGE="ro").get(f"{LIST}999999/")
    assert _error(english)["message"] == "Nothing was found at this address."
    with translation.override("ro"):
        assert _error(romanian)["message"] == gettext("Nothing was found at this address.")
    # Field messages come from Django's own catalogue, complete in Romanian.
    en_detail = _error(Client(HTTP_ACCEPT_LANGUAGE="en").get(LIST, {"legal_form": "sa"}))
    ro_detail = _error(Client(HTTP_ACCEPT_LANGUAGE="ro").get(LIST, {"legal_form": "sa"}))
    assert en_detail["details"]["legal_form"][0]["message"].startswith("Select a valid choice")
    assert (
        ro_detail["details"]["legal_form"][0]["message"]
        != (en_detail["details"]["legal_form"][0]["message"])
    )
    assert english["Content-Language"] == "en"
    assert romanian["Content-Language"] == "ro"
    assert (
        Client(HTTP_ACCEPT_LANGUAGE="fr;q=1, en;q=0.5").get(f"{LIST}999999/")["Content-Language"]
        == "en"
    )


def test_header_wins_over_the_account_language(citizen, organisation):
    """A signed-in user whose preferred language is Romanian still gets English when the
    request says Accept-Language: en (the client's explicit choice)."""
    citizen.preferred_language = "ro"
    citizen.save(update_fields=["preferred_language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    assert _error(client.get(f"{LIST}999999/"))["message"] == "Nothing was found at this address."


def test_data_follow_the_language(organisation, domains):
    """Domain names and labels come in the language asked for."""
    organisation.domains.set(domains[:1])
    domain = Domain.objects.get(pk=domains[0].pk)
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(LIST).json()["results"][0]
    ro = Client(HTTP_ACCEPT_LANGUAGE="ro").get(LIST).json()["results"][0]
    assert en["domains"][0]["name"] == domain.name_en
    assert ro["domains"][0]["name"] == domain.name_ro


def test_server_errors_are_json_and_logged(api, organisation, monkeypatch, caplog):
    """An unexpected failure answers 500 in the same shape, without details, and is
    logged."""
    from registry.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(views.OrganisationViewSet, "get_queryset", broken)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    response = client.get(LIST)
    assert response.status_code == 500
    error = _error(response)
    assert error["code"] == "server_error"
    assert "fire" not in error["message"]
    assert any("API error" in r.message for r in caplog.records)
