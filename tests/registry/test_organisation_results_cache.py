"""The public list of organisations keeps each page of results rendered in the shared
cache under what it shows: asked again, it reads no organisation; once an organisation
changes (through a service, or in the admin), the next visitor sees the change."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from registry.models import Domain, Organisation
from registry.services import organisations as services
from registry.services.domains import domain_update
from tests.registry.test_organisations_services import make_org

pytestmark = pytest.mark.django_db

LIST_URL = "/registry/organisations/"


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.cookies["conect_language"] = "en"
    return client


def test_a_page_asked_again_reads_only_the_latest_change(en_client, django_assert_num_queries):
    make_org(name="Asociația Alfa", seed=1)
    first = en_client.get(LIST_URL, {"q": "alfa"})
    assert "Asociația Alfa" in first.content.decode()
    with django_assert_num_queries(1):  # the latest change of the table
        again = en_client.get(LIST_URL, {"q": "alfa"})
    html = again.content.decode()
    assert "Asociația Alfa" in html and "1 organisation found" in html


def test_a_renamed_organisation_is_shown_renamed(en_client, coordinator):
    organisation = make_org(name="Asociația Veche", seed=2)
    assert "Asociația Veche" in en_client.get(LIST_URL).content.decode()
    services.organisation_update(
        organisation=organisation, actor=coordinator, name="Asociația Nouă"
    )
    html = en_client.get(LIST_URL).content.decode()
    assert "Asociația Nouă" in html and "Asociația Veche" not in html


def test_a_suspended_organisation_leaves_the_list(
    en_client, coordinator, django_capture_on_commit_callbacks
):
    organisation = make_org(name="Asociația Suspendabilă", seed=3)
    assert "Asociația Suspendabilă" in en_client.get(LIST_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_suspend(organisation=organisation, actor=coordinator, reason="Test")
    assert "Asociația Suspendabilă" not in en_client.get(LIST_URL).content.decode()


def test_deleted_in_the_admin_leaves_the_list(
    en_client, coordinator, django_capture_on_commit_callbacks
):
    organisation = make_org(name="Asociația Ștearsă", seed=4)
    assert "Asociația Ștearsă" in en_client.get(LIST_URL).content.decode()
    request = RequestFactory().post("/")
    request.user = coordinator
    with django_capture_on_commit_callbacks(execute=True):
        site._registry[Organisation].delete_model(request, organisation)
    assert "Asociația Ștearsă" not in en_client.get(LIST_URL).content.decode()


def test_a_renamed_domain_is_shown_renamed(
    en_client, coordinator, django_capture_on_commit_callbacks
):
    domain = Domain.objects.get(slug="education")
    make_org(name="Asociația Educației", seed=5).domains.set([domain])
    assert "Asociația Educației" in en_client.get(LIST_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        domain_update(domain=domain, actor=coordinator, name_en="Schooling")
    assert "Schooling" in en_client.get(LIST_URL).content.decode()


def test_each_language_has_its_own_page(client):
    make_org(name="Asociația Bilingvă", seed=6)
    english = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    romanian = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "1 organisation found" in english
    assert "1 organizație găsită" in romanian
