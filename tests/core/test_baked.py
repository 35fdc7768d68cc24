"""Baked queries (conect.core.baked): the ORM writes the SQL once; each call runs it with
its own parameters and gives the same model instances the ORM would."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from conect.core.baked import BakedQuery
from registry.models import AdvisoryStructure, Organisation, Seat


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
    ],
)
def test_refuses_what_it_cannot_run_again(db, build, reason):
    """An argument changed before use would not be found in the SQL's parameters; related
    or dict rows are not what it builds: each is refused on first use, not answered
    wrongly."""
    with pytest.raises(ImproperlyConfigured, match=reason):
        BakedQuery(build)(1)
