"""Queries whose SQL the ORM writes once per process, for the hottest pages.

Building a queryset and compiling it to SQL costs Django about half a millisecond, and a
millisecond with two joins: on a page that reads one record by its key, more than the
database takes to answer. A `BakedQuery` asks the ORM for the SQL on first use and keeps
it, with what the ORM knows of its columns; each call then runs that SQL with its own
parameters and builds the model instances as the ORM does (`Model.from_db()`, the
database's converters, annotations as attributes). This is Django's counterpart of
SQLAlchemy's "baked queries".

    seats_of = BakedQuery(lambda pk: Seat.objects.filter(organisation_id=pk).annotate(...))
    seats = seats_of(organisation.pk)  # a list of Seat

The queryset is first built with stand-ins for the arguments (unlikely numbers or texts),
so that the SQL's parameters tell which of them are the arguments and which are the
query's own constants. Rules, checked on first use:
- arguments are numbers or texts, used as they are (a filter on `pk + 1` is refused);
- model instances of one model: no select_related (annotate the few related columns the
  page needs instead), no prefetch_related, no values().
"""

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable


@dataclass
class _Compiled:
    queryset: QuerySet  # as first built: to find the converters of another connection
    alias: str
    sql: str
    params: list  # the query's constants, with None where the arguments go
    places: list[tuple[int, int]]  # (position in params, index of the argument)
    model: type[Model]
    fields: slice  # the model's columns in a row
    attnames: list[str]
    annotations: dict[str, int]  # attribute name -> position in a row
    converters: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)


class BakedQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: _Compiled | None = None
        _instances.add(self)

    def __call__(self, *args) -> list:
        compiled = self._compiled or self._compile(args)
        connection = connections[compiled.alias]
        converters = compiled.converters.get(connection)
        if converters is None:
            converters = compiled.converters[connection] = _converters(compiled, connection)
        params = list(compiled.params)
        for position, index in compiled.places:
            params[position] = args[index]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [_convert(row, converters, connection) for row in rows]
        model, alias, attnames, fields = (
            compiled.model,
            compiled.alias,
            compiled.attnames,
            compiled.fields,
        )
        instances = []
        for row in rows:
            instance = model.from_db(alias, attnames, row[fields])
            for name, position in compiled.annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances

    def _compile(self, args) -> _Compiled:
        stand_ins = [_stand_in(index, argument) for index, argument in enumerate(args)]
        queryset = self.build(*stand_ins)
        if queryset._prefetch_related_lookups or queryset.query.select_related:
            raise ImproperlyConfigured(
                "A baked query cannot use select_related or prefetch_related."
            )
        if queryset._iterable_class is not ModelIterable:
            raise ImproperlyConfigured("A baked query gives model instances: no values().")
        alias = queryset.db
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        params = list(params)
        places = []
        for index, stand_in in enumerate(stand_ins):
            found = [n for n, value in enumerate(params) if _same(value, stand_in)]
            if not found:
                raise ImproperlyConfigured(
                    f"A baked query's argument {index} is not one of its SQL parameters: "
                    "use it as it is."
                )
            places += [(position, index) for position in found]
        for position, _index in places:
            params[position] = None
        selected = compiler.klass_info["select_fields"]
        fields = slice(selected[0], selected[-1] + 1)
        self._compiled = compiled = _Compiled(
            queryset=queryset,
            alias=alias,
            sql=sql,
            params=params,
            places=places,
            model=compiler.klass_info["model"],
            fields=fields,
            attnames=[column[0].target.attname for column in compiler.select[fields]],
            annotations=dict(compiler.annotation_col_map),
        )
        return compiled

    def forget(self) -> None:
        self._compiled = None


_instances: weakref.WeakSet[BakedQuery] = weakref.WeakSet()


def _stand_in(index: int, argument):
    """A value of the argument's type that no query holds as a constant."""
    if isinstance(argument, bool) or not isinstance(argument, int | str):
        raise ImproperlyConfigured("A baked query's arguments are numbers or texts.")
    if isinstance(argument, int):
        return -7_340_000_000_000 - index
    return f"\x00baked-argument-{index}\x00"


def _same(value, stand_in) -> bool:
    return type(value) is type(stand_in) and value == stand_in


def _converters(compiled: _Compiled, connection) -> list:
    """The database's converters of each column (dates on SQLite, say), as the ORM would
    apply them: [(position, [converter, ...], expression)]."""
    compiler = compiled.queryset.query.get_compiler(connection=connection)
    compiler.setup_query()
    found = compiler.get_converters([column[0] for column in compiler.select])
    return [(position, *converters) for position, converters in found.items()]


def _convert(row, converters, connection) -> tuple:
    row = list(row)
    for position, functions, expression in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return tuple(row)


def forget_all(**kwargs) -> None:
    """Drop every compiled SQL (a test that changes the databases' settings)."""
    for baked in list(_instances):
        baked.forget()


def _settings_changed(*, setting, **kwargs) -> None:
    if setting in ("DATABASES", "DATABASE_ROUTERS"):
        forget_all()


setting_changed.connect(_settings_changed, dispatch_uid="conect.core.baked")
