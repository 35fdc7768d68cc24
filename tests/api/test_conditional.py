"""Conditional requests: ETag and Last-Modified, 304 when nothing changed, a new answer
as soon as something did."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils.http import http_date

from registry.services.organisations import organisation_update
from tests.conftest import make_user

from .conftest import make_organisation, make_seat, make_structure

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def test_list_304_until_a_record_changes(api, organisation, ngo_admin, django_assert_num_queries):
    """A list answers 304 to its own ETag after one small query (its count is kept under
    the latest change); once an organisation is updated (through the service) the same
    request gets 200 and a new ETag."""
    first = api.get(LIST)
    etag = first["ETag"]
    assert etag.startswith('"')
    with django_assert_num_queries(1):  # the latest change
        again = api.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    organisation_update(organisation=organisation, actor=ngo_admin, locality="Dej")
    changed = api.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["results"][0]["locality"] == "Dej"


def test_list_etag_changes_when_a_record_appears_or_disappears(
    api, organisation, django_capture_on_commit_callbacks
):
    """Adding a record, or one leaving public view (deleted in the admin), changes the
    ETag."""
    etag = api.get(LIST)["ETag"]
    other = make_organisation("Asociația Nouă")
    etag2 = api.get(LIST)["ETag"]
    assert etag2 != etag
    request = RequestFactory().post("/")
    request.user = make_user("root@example.org", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        site._registry[type(other)].delete_model(request, other)
    after = api.get(LIST)
    assert after["ETag"] != etag2
    assert after.json()["count"] == 1


def test_etag_depends_on_query_language_and_format(api, organisation):
    """Different filters, languages or formats are different answers, with different
    ETags; the answers say they vary by Accept and Accept-Language."""
    base = api.get(LIST)
    assert api.get(LIST, {"legal_form": "association"})["ETag"] != base["ETag"]
    assert api.get(LIST, HTTP_ACCEPT_LANGUAGE="ro")["ETag"] != base["ETag"]
    assert api.get(LIST, {"format": "csv"})["ETag"] != base["ETag"]
    vary = base["Vary"]
    assert "Accept" in vary and "Accept-Language" in vary
    assert "no-cache" in base["Cache-Control"]


def test_detail_last_modified(api, organisation, ngo_admin):
    """A record carries Last-Modified (its updated_at): If-Modified-Since with that date
    is 304, and 200 after an update."""
    url = f"{LIST}{organisation.pk}/"
    first = api.get(url)
    assert first["Last-Modified"] == http_date(organisation.updated_at.timestamp())
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    organisation_update(organisation=organisation, actor=ngo_admin, phone="0264 000 000")
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_cursor_pages_and_small_lists_have_etags(api, organisation):
    """Cursor pages, reference lists and the map answer 304 to their ETag too."""
    for url in (
        f"{LIST}?pagination=cursor",
        "/api/v1/regions/",
        "/api/v1/counties/RO113/",
        "/api/v1/domains/",
        "/api/v1/map/",
        "/api/v1/",
    ):
        etag = api.get(url)["ETag"]
        assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def test_structure_etag_follows_its_seats(api, institution):
    """A new seat changes the structure's answer and ETag although the structure row
    itself did not change (so a structure sends no Last-Modified)."""
    structure = make_structure(institution)
    url = f"/api/v1/structures/{structure.pk}/"
    etag = api.get(url)["ETag"]
    list_etag = api.get("/api/v1/structures/")["ETag"]
    assert not api.get(url).has_header("Last-Modified")  # its seats change apart
    make_seat(structure, organisation=make_organisation("Asociația Membră"))
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert api.get("/api/v1/structures/", HTTP_IF_NONE_MATCH=list_etag).status_code == 200


def test_errors_have_no_etag(api):
    """An error is never cached as a version of a resource."""
    response = api.get(f"{LIST}999999/")
    assert response.status_code == 404
    assert not response.has_header("ETag")
