"""Baked queries (conect.core.baked): the ORM writes the SQL once; each call runs it with
its own parameters and gives the same model instances the ORM would."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from conect.core.baked import BakedList, BakedQuery, BakedRows, stub
from registry.models import AdvisoryStructure, Domain, Organisation, Seat


@pytest.fixture
def seats(organisation, institution):
    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul Consultativ",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )
    today = date.today()
    return [
        Seat.objects.create(
            structure=structure,
            organisation=organisation,
            role=Seat.Role.MEMBER,
            mandate_start=today - timedelta(days=400),
            mandate_end=today - timedelta(days=30),
        ),
        Seat.objects.create(
            structure=structure,
            organisation=organisation,
            role=Seat.Role.PRESIDENT,
            mandate_start=today - timedelta(days=20),
        ),
    ]


def seats_with_names(pk):
    return (
        Seat.objects.filter(organisation_id=pk)
        .annotate(structure_name=F("structure__name"))
        .order_by(F("mandate_end").desc(nulls_first=True), "pk")
    )


def test_gives_what_the_orm_gives_with_annotations_and_converted_values(seats, organisation):
    baked = BakedQuery(seats_with_names)
    found = baked(organisation.pk)
    expected = list(seats_with_names(organisation.pk))
    assert [seat.pk for seat in found] == [seats[1].pk, seats[0].pk] == [s.pk for s in expected]
    for mine, theirs in zip(found, expected, strict=True):
        for field in Seat._meta.concrete_fields:
            assert getattr(mine, field.attname) == getattr(theirs, field.attname)
        assert mine.structure_name == "Consiliul Consultativ"
        # The database's converters ran: a date, not the text SQLite stores.
        assert isinstance(mine.mandate_start, date)
        assert mine._state.adding is False and mine._state.db == "default"


def test_the_sql_is_written_once_and_each_call_is_one_query(seats, organisation):
    built = []

    def build(pk):
        built.append(pk)
        return seats_with_names(pk)

    baked = BakedQuery(build)
    baked(organisation.pk)
    with CaptureQueriesContext(connection) as queries:
        assert baked(organisation.pk + 1000) == []
        assert len(baked(organisation.pk)) == 2
    assert len(built) == 1  # built once (with stand-ins for the arguments)
    assert len(queries) == 2


def test_the_querys_own_constants_stay_and_arguments_may_repeat(db, county):
    """Constants (a status, a role) are kept; an argument used twice is given twice."""
    verified = Organisation.objects.create(
        name="A", fiscal_code="18547290", county=county, status="verified"
    )
    Organisation.objects.create(name="B", fiscal_code="14837428", county=county, status="pending")
    baked = BakedQuery(
        lambda code: Organisation.objects.filter(
            Q(fiscal_code=code) | Q(registry_number=code), status="verified"
        )
    )
    assert [o.pk for o in baked("18547290")] == [verified.pk]
    assert baked("14837428") == []  # pending: the constant still applies


def test_arguments_are_numbers_or_texts(db):
    with pytest.raises(ImproperlyConfigured, match="numbers or texts"):
        BakedQuery(lambda day: Organisation.objects.filter(created_at__date=day))(date.today())


def test_an_argument_on_a_big_integer_column(organisation):
    """A filter on a BigIntegerField (a version's copy of the organisation's key): on
    PostgreSQL the adapter wraps that parameter in its own integer type, and the argument
    must still be found in the SQL."""
    organisation.locality = "Dej"
    organisation.save()
    versions = BakedQuery(
        lambda pk: Organisation.history.model.objects.filter(id=pk).order_by("history_id")
    )
    assert [v.locality for v in versions(organisation.pk)] == ["", "Dej"]
    assert versions(organisation.pk + 1) == []


def test_deferred_fields_load_on_access(organisation):
    baked = BakedQuery(lambda pk: Organisation.objects.defer("description").filter(pk=pk))
    (found,) = baked(organisation.pk)
    assert "description" in found.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:
        assert found.description == organisation.description
    assert len(queries) == 1


def test_a_change_of_databases_forgets_the_sql(organisation):
    """A test that points the ORM at another database gets SQL written for it."""
    built = []
    baked = BakedQuery(lambda pk: built.append(pk) or Organisation.objects.filter(pk=pk))
    baked(organisation.pk)
    setting_changed.send(sender=None, setting="DATABASE_ROUTERS", value=[], enter=True)
    baked(organisation.pk)
    setting_changed.send(sender=None, setting="LANGUAGES", value=None, enter=True)
    baked(organisation.pk)
    assert len(built) == 2


@pytest.mark.parametrize(
    "build, reason",
    [
        (lambda pk: Organisation.objects.filter(pk=pk + 1), "not one of its SQL parameters"),
        (lambda pk: Organisation.objects.filter(pk=int(str(pk)[:3] or 0)), "not one of its"),
        (lambda pk: Organisation.objects.filter(pk=pk).select_related("county"), "select_related"),
        (lambda pk: Organisation.objects.filter(pk=pk).prefetch_related("domains"), "prefetch"),
        (lambda pk: Organisation.objects.filter(pk=pk).values("name"), "values()"),
        (lambda pk: Organisation.objects.filter(pk=pk)[:5], "not sliced"),
        # The ORM knows no row matches: the SQL would not hold for other arguments.
        (lambda pk: Organisation.objects.filter(county_id=pk, pk__in=[]), "finds no row"),
    ],
)
def test_refuses_what_it_cannot_run_again(db, build, reason):
    """An argument changed before use would not be found in the SQL's parameters; related
    or dict rows are not what it builds: each is refused on first use, not answered
    wrongly."""
    with pytest.raises(ImproperlyConfigured, match=reason):
        BakedQuery(build)(1)


def test_an_empty_shape_is_refused_for_its_count_too(db):
    baked = BakedQuery(lambda pk: Organisation.objects.filter(county_id=pk, pk__in=[]))
    with pytest.raises(ImproperlyConfigured, match="finds no row"):
        baked.count(1)


# --- Counts and slices: a paginated list ------------------------------------------------


@pytest.fixture
def many(db, county):
    """Twelve organisations of one county, the first three in two domains each (a join on
    domains repeats them), and one of another county."""
    education, health = Domain.objects.get(slug="education"), Domain.objects.get(slug="health")
    made = [
        Organisation.objects.create(
            name=f"Org {i:02d}", fiscal_code=f"9{i:07d}", county=county, status="verified"
        )
        for i in range(12)
    ]
    for organisation in made[:3]:
        organisation.domains.set([education, health])
    Organisation.objects.create(name="Elsewhere", fiscal_code="88888888", status="verified")
    return made


def by_county(pk):
    return Organisation.objects.filter(county_id=pk).order_by("name", "pk")


def test_count_and_slices_are_the_orms(many, county):
    baked = BakedQuery(by_county)
    assert baked.count(county.pk) == by_county(county.pk).count() == 12
    assert baked.count(county.pk + 1000) == 0
    assert [o.name for o in baked.rows((county.pk,), 5, 3)] == [
        o.name for o in by_county(county.pk)[5:8]
    ]
    assert baked.rows((county.pk,), 11, 25) == list(by_county(county.pk)[11:36])
    assert baked.rows((county.pk,), 40, 25) == []
    with pytest.raises(ValueError):
        baked.rows((county.pk,), -1, 5)


def test_count_counts_rows_a_join_repeats_as_the_orm_does(many, county):
    baked = BakedQuery(lambda pk: Organisation.objects.filter(county_id=pk, domains__isnull=False))
    expected = Organisation.objects.filter(county_id=county.pk, domains__isnull=False).count()
    assert baked.count(county.pk) == expected == 6
    distinct = BakedQuery(
        lambda pk: Organisation.objects.filter(county_id=pk, domains__isnull=False).distinct()
    )
    assert distinct.count(county.pk) == 3


def test_a_count_and_a_slice_are_one_query_each_and_written_without_one(many, county):
    """Writing the SQL runs nothing: the first call is one query, as every later one."""
    baked = BakedQuery(by_county)
    with CaptureQueriesContext(connection) as queries:
        baked.count(county.pk)
        baked.rows((county.pk,), 0, 5)
        baked.count(county.pk)
    assert len(queries) == 3


def test_baked_rows_are_paged_by_djangos_paginator(many, county):
    paginator = Paginator(BakedRows(BakedQuery(by_county), (county.pk,)), 5)
    assert paginator.count == 12 and paginator.num_pages == 3
    assert [o.name for o in paginator.get_page(3).object_list] == ["Org 10", "Org 11"]
    assert paginator.get_page("x").object_list[0].name == "Org 00"
    with pytest.raises(TypeError):
        BakedRows(BakedQuery(by_county), (county.pk,))[2]


def test_a_baked_list_writes_a_shape_once_and_keeps_a_bounded_number(many, county, monkeypatch):
    built = []
    baked_list = BakedList(lambda: Organisation.objects.order_by("name", "pk"))

    def by_county_of(queryset, pk):
        built.append(pk)
        return queryset.filter(county_id=pk)

    first = baked_list.query(("county",), by_county_of)
    assert first.count(county.pk) == 12
    assert baked_list.query(("county",), by_county_of) is first
    assert first.count(county.pk + 1) == 0
    assert len(built) == 1
    monkeypatch.setattr(BakedList, "MAX_SHAPES", 2)
    baked_list.query(("county", 2), by_county_of)
    baked_list.query(("county", 3), by_county_of)
    assert len(baked_list._shapes) == 2 and ("county",) not in baked_list._shapes  # oldest out
    setting_changed.send(sender=None, setting="DATABASE_ROUTERS", value=[], enter=True)
    assert baked_list._shapes == {}


def test_a_stub_holds_what_it_is_given_and_loads_the_rest_when_read(organisation):
    """A related record a page only names: its key and name, no made-up default; a field
    not given is read from the database (one query), as after only()."""
    found = stub(Organisation, pk=organisation.pk, name="Shown name")
    assert found.pk == organisation.pk and found.name == "Shown name"
    assert found._state.adding is False
    assert "status" in found.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:
        assert found.status == organisation.status
    assert len(queries) == 1
    with pytest.raises(TypeError, match="no field"):
        stub(Organisation, pk=1, nickname="x")


def test_baked_values_are_the_orms_values_list(seats, organisation):
    from conect.core.baked import BakedValues

    def build(pk):
        return (
            Seat.objects.filter(organisation_id=pk)
            .order_by("mandate_start")
            .values_list("pk", "mandate_start", "structure__name")
        )

    baked = BakedValues(build)
    found = baked(organisation.pk)
    assert found == list(build(organisation.pk))
    assert isinstance(found[0][1], date)  # converted as the ORM converts it
    assert baked(organisation.pk + 1000) == []


@pytest.mark.parametrize(
    "build,reason",
    [
        (lambda: Domain.objects.all(), "values_list"),
        (lambda: Domain.objects.values_list("pk", flat=True), "values_list"),
        (lambda: Domain.objects.annotate(n=F("pk")).values_list("pk", "n"), "fields"),
        (lambda: Domain.objects.values_list("pk")[:3], "sliced"),
    ],
)
def test_baked_values_refuse_what_they_cannot_give(db, build, reason):
    from conect.core.baked import BakedValues

    with pytest.raises(ImproperlyConfigured, match=reason):
        BakedValues(build)()


def test_prefetched_records_answer_the_relation_until_it_changes(
    organisation, django_assert_num_queries
):
    from conect.core.baked import set_prefetched

    domains = list(Domain.objects.order_by("pk")[:2])
    set_prefetched(organisation, "domains", [stub(Domain, pk=d.pk) for d in domains])
    with django_assert_num_queries(0):
        assert [d.pk for d in organisation.domains.all()] == [d.pk for d in domains]
    organisation.domains.set(domains[:1])
    assert [d.pk for d in organisation.domains.all()] == [domains[0].pk]


def domains_by_slug(slug):
    return Domain.objects.filter(slug=slug)


@pytest.mark.django_db(transaction=True)
def test_baked_queries_run_on_one_kept_cursor_of_the_connection_they_run_on():
    """A page's baked queries share one cursor, which is the connection's: when the
    connection is closed (a server restart, CONN_MAX_AGE), the next query opens the
    connection and a cursor on it, and finds its rows."""
    from django.db import connections

    from conect.core import baked as module

    database = connections["default"]
    Domain.objects.create(slug="kept", name_ro="Păstrat", name_en="Kept")
    by_slug = BakedQuery(domains_by_slug)
    assert [d.slug for d in by_slug("kept")] == ["kept"]
    first = module._cursors[database][1]
    assert [d.slug for d in by_slug("kept")] == ["kept"]
    assert by_slug.count("kept") == 1
    assert module._cursors[database][1] is first

    raw = database.connection
    database.close()  # SQLite keeps an in-memory database's connection open
    assert [d.slug for d in by_slug("kept")] == ["kept"]
    reopened = database.connection is not raw
    assert (module._cursors[database][1] is not first) == reopened
    assert reopened or database.vendor == "sqlite"


def test_counted_queries_see_every_baked_query(db):
    """The kept cursor is not the query log's: while queries are counted (the pages' pinned
    counts, DEBUG), each baked query runs on a cursor that the log sees."""
    Domain.objects.create(slug="seen", name_ro="Văzut", name_en="Seen")
    by_slug = BakedQuery(domains_by_slug)
    by_slug("seen")  # the kept cursor exists
    with CaptureQueriesContext(connection) as ctx:
        assert [d.slug for d in by_slug("seen")] == ["seen"]
        assert by_slug.count("seen") == 1
    assert len(ctx.captured_queries) == 2
    assert all("registry_domain" in q["sql"] for q in ctx.captured_queries)
