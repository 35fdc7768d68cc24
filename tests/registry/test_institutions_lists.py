"""The web lists of institutions and officials find exactly what their filterset finds
on the API's queryset, for every filter, page after page."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from registry.filters.institutions import InstitutionFilter, OfficialFilter
from registry.models import County, Domain, Institution, Region
from registry.selectors.institutions import institution_list_public
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


def test_pages_of_a_list_follow_one_another(en_client, county):
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


def test_a_region_without_counties_finds_nothing(en_client, public_sector):
    """A region with no county gives an empty list."""
    Region.objects.create(code="RO99", name="Regiune fără județe", boundary={})
    response = en_client.get(reverse("registry:institution-list"), {"region": "RO99"})
    assert response.context["page_obj"].paginator.count == 0
    assert "0 institutions found" in response.text
