"""GET /api/v1/organisations/: what a client sees, which organisations, and the filters."""

import datetime

import pytest
from django.utils import timezone

from registry.models import County, Organisation

from .conftest import ids, make_organisation, results

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def test_list_shape(api, organisation, domains):
    """A list answer has count, next, previous and results; each organisation has its
    stable id, links to itself (API and web page), county, region and domains as small
    objects with their own links, and no private field."""
    organisation.domains.set(domains[:2])
    response = api.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == organisation.pk
    assert row["url"] == f"http://testserver/api/v1/organisations/{organisation.pk}/"
    assert row["web_url"] == f"http://testserver/registry/organisations/{organisation.pk}/"
    assert row["name"] == "Asociația Exemplu"
    assert row["legal_form"] == "association"
    assert row["status"] == "verified"
    assert row["county"] == {
        "code": "RO113",
        "name": "Cluj",
        "url": "http://testserver/api/v1/counties/RO113/",
    }
    assert row["region"]["code"] == "RO11"
    assert row["region"]["url"] == "http://testserver/api/v1/regions/RO11/"
    expected = organisation.domains.order_by("position", "name_ro")
    assert [d["slug"] for d in row["domains"]] == [d.slug for d in expected]
    assert all(d["url"].startswith("http://testserver/api/v1/domains/") for d in row["domains"])
    for private in ("status_reason", "status_changed_by", "members", "search_name", "created_by"):
        assert private not in row


def test_detail_shape_is_the_list_record(api, organisation):
    """The detail answer is the same record as in the list."""
    listed = results(api.get(LIST))[0]
    detail = api.get(f"{LIST}{organisation.pk}/")
    assert detail.status_code == 200
    assert detail.json() == listed


def test_links_lead_to_the_related_records(api, organisation):
    """Following the county and region links gives those records."""
    row = results(api.get(LIST))[0]
    county = api.get(row["county"]["url"]).json()
    assert county["code"] == "RO113"
    region = api.get(row["region"]["url"]).json()
    assert region["code"] == "RO11"


def test_hidden_organisations_never_appear(api, organisation, hidden_organisations):
    """Pending, rejected and suspended organisations are in no list and their detail is
    404, exactly as on the web."""
    assert ids(api.get(LIST)) == [organisation.pk]
    for hidden in hidden_organisations:
        response = api.get(f"{LIST}{hidden.pk}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    csv = b"".join(api.get(LIST, {"format": "csv"}).streaming_content).decode()
    assert "Ascunsă" not in csv


def test_imported_records_are_public(api):
    """Records imported from the national registry are public, with their status."""
    imported = make_organisation("Asociația Importată", status=Organisation.Status.IMPORTED)
    assert results(api.get(LIST, {"status": "imported"}))[0]["id"] == imported.pk


def test_status_filter_refuses_hidden_statuses(api, organisation):
    """Asking for pending organisations is an invalid filter (400), not a way round."""
    response = api.get(LIST, {"status": "pending"})
    assert response.status_code == 400
    assert "status" in response.json()["error"]["details"]


@pytest.fixture
def spread(db, domains):
    """Organisations in different counties, forms and domains."""
    cluj = County.objects.get(code="RO113")
    iasi = County.objects.get(code="RO213")
    return {
        "cluj_assoc": make_organisation(
            "Asociația Clujeană de Educație", county=cluj, domains=[domains[0]]
        ),
        "cluj_found": make_organisation(
            "Fundația Someș",
            county=cluj,
            legal_form=Organisation.LegalForm.FOUNDATION,
            domains=[domains[1]],
        ),
        "iasi_assoc": make_organisation(
            "Asociația Moldova Verde", county=iasi, domains=[domains[0], domains[2]]
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"county": "RO113"}, {"cluj_assoc", "cluj_found"}),
        ({"region": "RO21"}, {"iasi_assoc"}),
        ({"legal_form": "foundation"}, {"cluj_found"}),
        ({"q": "moldova"}, {"iasi_assoc"}),
        ({"q": "clujeana"}, {"cluj_assoc"}),
        ({"county": "RO113", "legal_form": "association"}, {"cluj_assoc"}),
    ],
)
def test_filters_as_on_the_web(api, spread, params, expected):
    """County, region, legal form and text search (without diacritics) filter the list
    as the web page's filters do."""
    assert set(ids(api.get(LIST, params))) == {spread[key].pk for key in expected}


def test_domain_filter(api, spread, domains):
    """The domain filter takes the domain's slug."""
    found = ids(api.get(LIST, {"domain": domains[0].slug}))
    assert set(found) == {spread["cluj_assoc"].pk, spread["iasi_assoc"].pk}


def test_updated_since(api, spread):
    """updated_since keeps the records changed at or after the moment given."""
    past = timezone.now() - datetime.timedelta(days=10)
    Organisation.objects.filter(pk=spread["cluj_found"].pk).update(updated_at=past)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    found = ids(api.get(LIST, {"updated_since": since}))
    assert spread["cluj_found"].pk not in found
    assert spread["cluj_assoc"].pk in found
    response = api.get(LIST, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert "updated_since" in response.json()["error"]["details"]


def test_ordering(api, spread):
    """Ordering by name (ascending or descending), by the last change, and by id by
    default."""
    by_id = ids(api.get(LIST))
    assert by_id == sorted(by_id)
    names = [r["name"] for r in results(api.get(LIST, {"ordering": "name"}))]
    assert names == sorted(names)
    names_desc = [r["name"] for r in results(api.get(LIST, {"ordering": "-name"}))]
    assert names_desc == sorted(names, reverse=True)
    Organisation.objects.filter(pk=spread["cluj_found"].pk).update(
        updated_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert ids(api.get(LIST, {"ordering": "-updated"}))[0] == spread["cluj_found"].pk


def test_invalid_filter_values_are_400(api, spread):
    """An unknown county, region or domain is refused with the parameter named."""
    for params in ({"county": "RO999"}, {"region": "XX"}, {"domain": "nu-exista"}):
        response = api.get(LIST, params)
        assert response.status_code == 400
        assert set(response.json()["error"]["details"]) == set(params)


def test_query_count_constant_with_page_size(api, domains, django_assert_num_queries):
    """A page costs eight queries (count, latest change, page, domains, and the richer
    profile's counties, regions, federations and branches) whether it holds 2 or 30
    organisations; a cursor page six (page, domains and those four)."""
    for i in range(30):
        make_organisation(f"Asociația {i:02d}", domains=domains[: 1 + i % 3])
    for size in (2, 30):
        with django_assert_num_queries(8):
            response = api.get(LIST, {"page_size": size})
        assert len(results(response)) == size
    with django_assert_num_queries(6):
        assert len(results(api.get(LIST, {"pagination": "cursor", "page_size": 25}))) == 25


def test_detail_query_count(api, organisation, domains, django_assert_num_queries):
    """The detail costs six queries (the record, its domains, and its counties, regions,
    federations and branches)."""
    organisation.domains.set(domains)
    with django_assert_num_queries(6):
        assert api.get(f"{LIST}{organisation.pk}/").status_code == 200


def test_unknown_id_is_404(api, organisation):
    """A missing record, or an id that is not a number, is 404 in the error shape."""
    for path in (f"{LIST}999999/", f"{LIST}abc/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
