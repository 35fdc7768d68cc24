"""Page-number pagination for browsing, cursor pagination for pulling everything."""

import pytest

from registry.models import Organisation

from .conftest import ids, make_organisation, results

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


@pytest.fixture
def many(db):
    return [make_organisation(f"Asociația {i:03d}") for i in range(23)]


def test_page_numbers(api, many):
    """page and page_size browse the list; count is the total, next and previous link the
    neighbouring pages, and the pages do not overlap."""
    first = api.get(LIST, {"page_size": 10}).json()
    assert first["count"] == 23
    assert len(first["results"]) == 10
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    assert third["next"] is None
    assert len(third["results"]) == 3
    seen = [r["id"] for page in (first, second, third) for r in page["results"]]
    assert sorted(seen) == sorted(o.pk for o in many)
    assert api.get(third["previous"]).json() == second


def test_default_and_maximum_page_size(api, db):
    """50 records by default; at most 100 a page even when more is asked."""
    for i in range(120):
        make_organisation(f"Org {i:03d}")
    assert len(results(api.get(LIST))) == 50
    assert len(results(api.get(LIST, {"page_size": 500}))) == 100


def test_page_out_of_range(api, many):
    """A page beyond the last is 404 in the error shape."""
    response = api.get(LIST, {"page": 99})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "invalid_page"


def test_cursor_walk_sees_every_record_once(api, many):
    """pagination=cursor, then following next, returns every record once, ordered by id,
    with a null count."""
    url, seen = f"{LIST}?pagination=cursor&page_size=7", []
    pages = 0
    while url:
        body = api.get(url).json()
        assert body["count"] is None
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 4
    assert seen == sorted(o.pk for o in many)


def test_cursor_with_filters_and_previous(api, many):
    """Filters apply to the walk, and previous goes back a page."""
    Organisation.objects.filter(pk__in=[o.pk for o in many[:5]]).update(
        legal_form=Organisation.LegalForm.FOUNDATION
    )
    first = api.get(LIST, {"pagination": "cursor", "page_size": 3, "legal_form": "foundation"})
    body = first.json()
    second = api.get(body["next"]).json()
    assert [r["id"] for r in body["results"] + second["results"]] == [o.pk for o in many[:5]]
    assert second["next"] is None
    assert api.get(second["previous"]).json()["results"] == body["results"]


def test_cursor_pages_up_to_a_thousand(api, db):
    """With a cursor a page may hold more than 100 records."""
    for i in range(130):
        make_organisation(f"Org {i:03d}")
    assert len(results(api.get(LIST, {"pagination": "cursor", "page_size": 120}))) == 120


def test_a_record_added_during_a_walk_is_not_missed(api, many):
    """A record created while a client walks (it gets a higher id) comes in a later page;
    none is seen twice."""
    body = api.get(LIST, {"pagination": "cursor", "page_size": 10}).json()
    seen = [r["id"] for r in body["results"]]
    late = make_organisation("Asociația Târzie")
    url = body["next"]
    while url:
        body = api.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert seen.count(late.pk) == 1
    assert len(seen) == len(set(seen)) == 24


@pytest.mark.parametrize("cursor", ["garbage!", "cD1hYmM=", "bz0tMQ==", "%%%"])
def test_invalid_cursor(api, many, cursor):
    """A cursor the API did not give (bad base64, a position that is not an id, a
    negative offset) names no page: 404 with its own code, as a page number past the end,
    never a server error."""
    response = api.get(LIST, {"cursor": cursor})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_ordering_is_refused_with_a_cursor(api, many):
    """A cursor walk is always by id: asking for another order is a clear 400."""
    response = api.get(LIST, {"pagination": "cursor", "ordering": "name"})
    assert response.status_code == 400
    assert "ordering" in response.json()["error"]["details"]
    assert api.get(LIST, {"pagination": "cursor", "ordering": "id"}).status_code == 200


def test_unknown_pagination(api, many):
    """pagination accepts page or cursor only."""
    response = api.get(LIST, {"pagination": "offset"})
    assert response.status_code == 400
    assert "pagination" in response.json()["error"]["details"]


def test_ordered_pages_never_overlap(api, db):
    """Records with the same name keep one order (then by id) across pages."""
    twins = [make_organisation("Asociația Geamănă") for _ in range(6)]
    first = ids(api.get(LIST, {"ordering": "name", "page_size": 3}))
    second = ids(api.get(LIST, {"ordering": "name", "page_size": 3, "page": 2}))
    assert first + second == [o.pk for o in twins]
