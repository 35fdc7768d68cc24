"""The web lists of institutions and officials read their count and page with SQL written
once per shape of the search (RegistryFilterSet.baked_rows, conect.core.baked.BakedList):
they must find exactly what the filterset's own queryset finds (the API's path), for
every filter, and never carry one search's values into another."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conect.core.baked import BakedRows
from registry.filters_institutions import InstitutionFilter, OfficialFilter
from registry.models import County, Domain, Institution, Region
from registry.reference import forget
from registry.selectors.institutions import INSTITUTION_ROWS, institution_list_public
from registry.selectors.officials import official_list_public

from .test_institutions_fixtures import *  # noqa: F403
from .test_institutions_fixtures import make_published_official


@pytest.fixture
def public_sector(db, county):
    """Institutions and published officials across kinds, levels, counties and regions,
    with names that need folding (diacritics, case) and one with a literal % and _."""
    ilfov = County.objects.get(code="RO321")
    iasi = County.objects.get(code="RO213")
    ministry = Institution.objects.create(
        name="Ministerul Educației", kind="ministry", level="central"
    )
    made = [ministry]
    for index, (name, place) in enumerate(
        [
            ("Primăria Cluj-Napoca", county),
            ("PRIMĂRIA Dej", county),
            ("Primăria Voluntari", ilfov),
            ("Primăria Iași", iasi),
            ("Primăria 100% verde_nou", iasi),
            ("Primăria 1000 verde nou", iasi),
        ]
    ):
        made.append(
            Institution.objects.create(
                name=name,
                kind="city_hall",
                level="local",
                county=place,
                parent=ministry if index == 0 else None,
            )
        )
    made.append(
        Institution.objects.create(
            name="Consiliul Județean Cluj", kind="county_council", level="county", county=county
        )
    )
    education = Domain.objects.get(slug="education")
    health = Domain.objects.get(slug="health")
    coverage = [
        ("Ana Pop", made[1], [education], [county]),
        ("Ștefan Țârlea", made[1], [health], [ilfov]),
        ("Național Ion", ministry, [], []),
        ("Maria Dej", made[2], [education, health], [county, iasi]),
    ]
    for name, institution, domains, counties in coverage:
        make_published_official(institution, name, domains=domains, counties=counties)
    return made


INSTITUTION_SEARCHES = [
    "",
    "q=primaria",
    "q=PRIMĂRIA",
    "q=primaria+dej",
    "q=100%25",  # a literal %: only the name that has one
    "q=verde_nou",  # a literal _: not "verde nou"
    "kind=city_hall",
    "level=county",
    "county=RO113",
    "region=RO11",
    "region=RO32&kind=city_hall",
    "q=primaria&county=RO113&ordering=-name",
    "ordering=created",
    "ordering=-created",
    "county=XX",  # refused by the form, and ignored as the filterset ignores it
    "kind=nothing&q=iasi",
    "q=%20%20",
]

OFFICIAL_SEARCHES = [
    "",
    "q=stefan",
    "county=RO113",
    "region=RO32",
    "domain=health",
    "domain=education&county=RO213",
    "ordering=institution",
    "ordering=-published",
    "q=a&ordering=-name",
    "domain=nothing",
]


def _expected(filterset_class, base, search):
    return list(
        filterset_class(QueryDict(search) or None, queryset=base).qs.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("search", INSTITUTION_SEARCHES)
def test_the_institution_list_finds_what_the_filterset_finds(en_client, public_sector, search):
    response = en_client.get(f"{reverse('registry:institution-list')}?{search}")
    assert response.status_code == 200
    expected = _expected(InstitutionFilter, institution_list_public(), search)
    assert [i.pk for i in response.context["object_list"]] == expected[:25]
    assert response.context["page_obj"].paginator.count == len(expected)


@pytest.mark.parametrize("search", OFFICIAL_SEARCHES)
def test_the_official_list_finds_what_the_filterset_finds(en_client, public_sector, search):
    response = en_client.get(f"{reverse('registry:official-list')}?{search}")
    assert response.status_code == 200
    expected = _expected(OfficialFilter, official_list_public(), search)
    assert [o.pk for o in response.context["object_list"]] == expected
    assert response.context["page_obj"].paginator.count == len(expected)


def test_literal_percent_and_underscore_match_only_themselves(en_client, public_sector):
    url = reverse("registry:institution-list")
    found = [i.name for i in en_client.get(url, {"q": "100%"}).context["object_list"]]
    assert found == ["Primăria 100% verde_nou"]
    found = [i.name for i in en_client.get(url, {"q": "verde_nou"}).context["object_list"]]
    assert found == ["Primăria 100% verde_nou"]


def test_pages_of_a_baked_list_follow_one_another(en_client, county):
    Institution.objects.bulk_create(
        Institution(
            name=f"Primăria {i:02d}",
            search_name=f"primaria {i:02d}",
            kind="city_hall",
            level="local",
            county=county,
        )
        for i in range(60)
    )
    url = reverse("registry:institution-list")
    pages = [en_client.get(url, {"q": "primaria", "page": n}).context for n in (1, 2, 3, 99)]
    names = [[i.name for i in page["object_list"]] for page in pages]
    assert names[0][0] == "Primăria 00" and names[1][0] == "Primăria 25"
    assert names[2] == [f"Primăria {i}" for i in range(50, 60)]
    assert (
        names[3] == names[2]
    )  # a page past the end shows the last one, as Django's paginator does
    assert pages[0]["page_obj"].paginator.num_pages == 3


def test_one_shape_is_written_once_and_each_search_gets_its_own_values(en_client, public_sector):
    """Two searches of one shape (a text and a county) share their SQL; each still finds
    its own records, and the second writes no SQL (one shape is kept)."""
    INSTITUTION_ROWS.forget()
    url = reverse("registry:institution-list")
    cluj = en_client.get(url, {"q": "primaria", "county": "RO113"}).context["object_list"]
    assert len(INSTITUTION_ROWS._shapes) == 1
    (baked,) = INSTITUTION_ROWS._shapes.values()
    written = baked._compiled, baked._compiled_count
    iasi = en_client.get(url, {"q": "verde", "county": "RO213"}).context["object_list"]
    assert len(INSTITUTION_ROWS._shapes) == 1
    assert (baked._compiled, baked._compiled_count) == written
    assert {i.name for i in cluj} == {"Primăria Cluj-Napoca", "PRIMĂRIA Dej"}
    assert {i.name for i in iasi} == {"Primăria 100% verde_nou", "Primăria 1000 verde nou"}
    # Another ordering is another shape.
    en_client.get(url, {"q": "primaria", "county": "RO113", "ordering": "-name"})
    assert len(INSTITUTION_ROWS._shapes) == 2


def test_a_list_page_runs_its_queries_only_the_first_search_included(
    en_client, public_sector, django_assert_num_queries
):
    """The first use of a shape writes its SQL without running anything more: the page
    runs its count and its rows, whatever the shape's age."""
    INSTITUTION_ROWS.forget()
    url = reverse("registry:institution-list")
    with django_assert_num_queries(2):
        en_client.get(url, {"q": "cluj", "level": "local"})
    with django_assert_num_queries(2):
        en_client.get(url, {"q": "dej", "level": "local"})


def test_a_region_without_counties_is_read_by_the_orm_and_finds_nothing(en_client, public_sector):
    """A shape that can find nothing whatever its values (a region with no county gives an
    empty list) is not baked: the filterset's own queryset answers."""
    Region.objects.create(code="RO99", name="Regiune fără județe", boundary={})
    forget()
    filterset = InstitutionFilter(QueryDict("region=RO99"), queryset=INSTITUTION_ROWS.base())
    assert not isinstance(filterset.baked_rows(INSTITUTION_ROWS), BakedRows)
    response = en_client.get(reverse("registry:institution-list"), {"region": "RO99"})
    assert response.context["page_obj"].paginator.count == 0
    assert "0 institutions found" in response.text


def test_the_first_search_of_a_shape_runs_only_its_own_queries(public_sector):
    """Writing a shape's SQL runs nothing (its count is not asked of the database)."""
    INSTITUTION_ROWS.forget()
    filterset = InstitutionFilter(QueryDict("kind=ministry"), queryset=INSTITUTION_ROWS.base())
    rows = filterset.baked_rows(INSTITUTION_ROWS)
    with CaptureQueriesContext(connection) as queries:
        assert rows.count() == 1
        assert [i.name for i in rows[0:25]] == ["Ministerul Educației"]
    assert len(queries) == 2
