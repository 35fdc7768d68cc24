"""Lists sorted by name follow the Romanian alphabet (ă after a, ș after s, ț after t):
Călărași before Covasna, on PostgreSQL (ICU collation) and SQLite (the same order,
registered on each connection), in queries, cached reference lists, select options and
the API's ordering by name."""

import re
import sqlite3

from django.core.cache import cache
from django.urls import reverse

from conect.core import collation
from conect.core.collation import by_name, romanian_key
from consultations.forms import FollowForm
from registry.models import County, Domain, Institution
from registry.selectors import reference

ROMANIAN = ["Sibiu", "Suceava", "Șoimuș", "Tulcea", "Țăndărei"]


def _positions(names, *wanted):
    return [names.index(name) for name in wanted]


def test_the_romanian_key_sorts_by_the_romanian_alphabet():
    """ă and â after a, î after i, ș after s, ț after t; case and cedillas ignored."""
    shuffled = ["Țăndărei", "Covasna", "şoimuş", "Călărași", "Suceava", "Tulcea", "Sibiu", "Argeș"]
    assert sorted(shuffled, key=romanian_key) == [
        "Argeș",
        "Călărași",
        "Covasna",
        "Sibiu",
        "Suceava",
        "şoimuş",
        "Tulcea",
        "Țăndărei",
    ]


def test_counties_in_queries_and_the_cached_list(db):
    """The 42 counties, by the model's order and the cached reference list."""
    cache.clear()
    for names in (
        list(County.objects.values_list("name", flat=True)),
        [county.name for county in reference.counties()],
    ):
        calarasi, covasna = _positions(names, "Călărași", "Covasna")
        assert calarasi < covasna
        assert names == sorted(names, key=romanian_key)


def test_domains_and_institutions_with_s_and_t_comma(db):
    """Domains (after their position) and institutions by name, Ș after S, Ț after T."""
    for index, name in enumerate(reversed(ROMANIAN)):
        Domain.objects.create(slug=f"d{index}", name_ro=name, name_en=name)
        Institution.objects.create(
            name=f"Primăria {name}", kind=Institution.Kind.CITY_HALL, level=Institution.Level.LOCAL
        )
    assert [d.name_ro for d in Domain.objects.filter(name_ro__in=ROMANIAN)] == ROMANIAN
    cache.clear()
    assert [d.name_ro for d in reference.domains() if d.name_ro in ROMANIAN] == ROMANIAN
    expected = [f"Primăria {name}" for name in ROMANIAN]
    assert list(Institution.objects.values_list("name", flat=True)) == expected
    descending = Institution.objects.order_by(by_name(descending=True))
    assert list(descending.values_list("name", flat=True)) == expected[::-1]


def test_select_options_filters_and_api_ordering(client, db, citizen):
    """The county filter of a list, the institutions offered to follow, and the API's
    ?ordering=name and ?ordering=-name."""
    for name in reversed(ROMANIAN):
        Institution.objects.create(
            name=f"Primăria {name}", kind=Institution.Kind.CITY_HALL, level=Institution.Level.LOCAL
        )
    cache.clear()
    html = client.get(reverse("registry:organisation-list")).content.decode()
    select = re.search(r'<select name="county".*?</select>', html, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert options.index("Călărași") < options.index("Covasna")
    follow_choices = [
        label for _value, label in FollowForm(user=citizen).fields["institution"].choices
    ][1:]
    assert follow_choices == [f"Primăria {name}" for name in ROMANIAN]
    expected = [f"Primăria {name}" for name in ROMANIAN]
    for ordering, names in (("name", expected), ("-name", expected[::-1])):
        rows = client.get(reverse("api-v1:institution-list"), {"ordering": ordering}).json()
        assert [row["name"] for row in rows["results"]] == names
    counties = client.get(reverse("api-v1:county-list")).json()
    rows = counties["results"] if isinstance(counties, dict) else counties
    names = [row["name"] for row in rows]
    assert names.index("Călărași") < names.index("Covasna")


def test_sqlite_gets_the_same_collation():
    """A new SQLite connection is given `ro-x-icu`, sorting as PostgreSQL's ICU does."""

    class Wrapper:
        vendor = "sqlite"
        connection = sqlite3.connect(":memory:")

    collation.register_sqlite_collation(sender=None, connection=Wrapper)
    db = Wrapper.connection
    db.execute("create table t (name text)")
    db.executemany("insert into t values (?)", [(n,) for n in ["Covasna", *ROMANIAN, "Călărași"]])
    rows = db.execute('select name from t order by name collate "ro-x-icu"').fetchall()
    assert [row[0] for row in rows] == ["Călărași", "Covasna", *ROMANIAN]
