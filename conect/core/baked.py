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

A baked query also gives its count (`baked.count(*args)`, COUNT(*) over its rows)
and a slice of its rows (`baked.rows(args, offset, limit)`, LIMIT and OFFSET as
parameters), so that a paginated list runs SQL written once. `BakedList` holds the baked
queries of a list that is filtered in several ways: one per *shape* (which filters are set,
how many values each has, the ordering), each made on the shape's first use.
"""

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable


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


@dataclass
class _CompiledCount:
    alias: str
    sql: str
    params: list
    places: list[tuple[int, int]]


# One cursor per database connection runs the baked queries: a page runs five to ten of
# them, and opening a cursor for each (Django's wrapper, the driver's cursor and its type
# adapters, closing it) cost about as much Python as the query's own. Kept per connection
# object (a thread's own, as Django's connections are) and only while that connection is
# the one it was opened on.
_cursors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # wrapper -> (raw, cursor)


def _cursor(connection):
    """A cursor for a baked query's SQL: the connection's kept one. A new cursor of Django's
    when the queries are being logged (tests that count queries, DEBUG), so that the log
    sees every query, as it sees the ORM's."""
    if connection.queries_logged:
        return connection.cursor()
    # What connection.cursor() does first: the health check at a request's first query
    # (a connection gone bad is closed and opened again), then the connection.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    kept = _cursors.get(connection)
    if kept is None or kept[0] is not connection.connection or getattr(kept[1], "closed", False):
        kept = _cursors[connection] = (connection.connection, connection.cursor())
    return kept[1]


class BakedQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: _Compiled | None = None
        self._compiled_count: _CompiledCount | None = None
        _instances.add(self)

    def __call__(self, *args) -> list:
        return self._run(args, "", [])

    def rows(self, args, offset: int, limit: int) -> list:
        """`limit` rows from `offset` on: the SQL with LIMIT and OFFSET as parameters, so
        that every page of a list runs the same SQL."""
        if not isinstance(offset, int) or not isinstance(limit, int) or offset < 0 or limit < 0:
            raise ValueError("A slice of a baked query has a start and an end, 0 or more.")
        return self._run(tuple(args), " LIMIT %s OFFSET %s", [limit, offset])

    def count(self, *args) -> int:
        """The number of rows (the SQL written once, see _compile_count)."""
        compiled = self._compiled_count or self._compile_count(args)
        params = _with_arguments(compiled.params, compiled.places, args)
        cursor = _cursor(connections[compiled.alias])
        cursor.execute(compiled.sql, params)
        return cursor.fetchone()[0]

    def _rows(self, args, tail: str, tail_params: list) -> tuple[_Compiled, list]:
        """The rows of the SQL, each value converted as the ORM converts it."""
        compiled = self._compiled or self._compile(args)
        connection = connections[compiled.alias]
        converters = compiled.converters.get(connection)
        if converters is None:
            converters = compiled.converters[connection] = _converters(compiled, connection)
        params = _with_arguments(compiled.params, compiled.places, args) + tail_params
        cursor = _cursor(connection)
        cursor.execute(compiled.sql + tail, params)
        rows = cursor.fetchall()
        if converters:
            rows = [_convert(row, converters, connection) for row in rows]
        return compiled, rows

    def _run(self, args, tail: str, tail_params: list) -> list:
        compiled, rows = self._rows(args, tail, tail_params)
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

    def _build(self, args) -> tuple[list, QuerySet]:
        stand_ins = [_stand_in(index, argument) for index, argument in enumerate(args)]
        queryset = self.build(*stand_ins)
        if queryset._prefetch_related_lookups or queryset.query.select_related:
            raise ImproperlyConfigured(
                "A baked query cannot use select_related or prefetch_related."
            )
        if queryset._iterable_class is not ModelIterable:
            raise ImproperlyConfigured("A baked query gives model instances: no values().")
        if queryset.query.is_sliced:
            raise ImproperlyConfigured("A baked query is not sliced: use rows().")
        return stand_ins, queryset

    def _compile(self, args) -> _Compiled:
        stand_ins, queryset = self._build(args)
        alias = queryset.db
        compiler = queryset.query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise _empty() from None
        params, places = _arguments_of(list(params), stand_ins)
        self._compiled = compiled = _Compiled(
            queryset=queryset,
            alias=alias,
            sql=sql,
            params=params,
            places=places,
            **self._columns(compiler),
        )
        return compiled

    def _columns(self, compiler) -> dict:
        """Where a row's model fields and annotations are (once the SQL is written)."""
        selected = compiler.klass_info["select_fields"]
        fields = slice(selected[0], selected[-1] + 1)
        return {
            "model": compiler.klass_info["model"],
            "fields": fields,
            "attnames": [column[0].target.attname for column in compiler.select[fields]],
            "annotations": dict(compiler.annotation_col_map),
        }

    def _compile_count(self, args) -> _CompiledCount:
        """COUNT(*) of the query's rows: its FROM and WHERE (the same joins, so that rows
        a join repeats are counted as the ORM's count() counts them) with only the key
        selected and no ordering. Written without a cursor, so that nothing runs."""
        stand_ins, queryset = self._build(args)
        alias = queryset.db
        query = queryset.query.chain()
        query.clear_ordering(force=True)
        query.clear_select_clause()
        query.add_fields([queryset.model._meta.pk.name])
        try:
            inner, params = query.get_compiler(alias).as_sql()
        except EmptyResultSet:
            raise _empty() from None
        params, places = _arguments_of(list(params), stand_ins)
        sql = f"SELECT COUNT(*) FROM ({inner}) {_quote(alias, 'baked_count')}"
        self._compiled_count = compiled = _CompiledCount(alias, sql, params, places)
        return compiled

    def forget(self) -> None:
        self._compiled = None
        self._compiled_count = None


class BakedValues(BakedQuery):
    """A baked `values_list()`: its rows as tuples, in the order of the fields it names
    (for the options of a form's list, say, where a model instance per row is not
    needed). The same rules for the arguments as a BakedQuery."""

    def _run(self, args, tail: str, tail_params: list) -> list[tuple]:
        return self._rows(args, tail, tail_params)[1]

    def _build(self, args) -> tuple[list, QuerySet]:
        stand_ins = [_stand_in(index, argument) for index, argument in enumerate(args)]
        queryset = self.build(*stand_ins)
        query = queryset.query
        if queryset._iterable_class is not ValuesListIterable:
            raise ImproperlyConfigured(
                "Baked values come from values_list() (not flat, not named)."
            )
        if queryset._prefetch_related_lookups or query.is_sliced:
            raise ImproperlyConfigured("Baked values are neither prefetched nor sliced.")
        # The SQL's columns in the order values_list() names them (no extra() or
        # annotation that the ORM would move into place).
        if query.extra_select or list(query.annotation_select) or not queryset._fields:
            raise ImproperlyConfigured("Baked values name only the model's fields.")
        return stand_ins, queryset

    def _columns(self, compiler) -> dict:
        return {
            "model": compiler.query.model,
            "fields": slice(None),
            "attnames": [],
            "annotations": {},
        }


def stub(model: type[Model], **values) -> Model:
    """An instance of `model` that holds only `values` (attribute names, "pk" for the key),
    built as the ORM builds a row read with only(): a field not given is loaded from the
    database if read (one query, which the pages' query counts would show), never a
    made-up default. For the related records a page only names (id and name, from an
    annotation); several times cheaper than Model(**values), which works out the default
    of every other field."""
    opts = model._meta
    values = {(opts.pk.attname if name == "pk" else name): value for name, value in values.items()}
    names = [f.attname for f in opts.concrete_fields if f.attname in values]
    if len(names) != len(values):
        raise TypeError(f"{model.__name__} has no field {set(values) - set(names)}.")
    return model.from_db(router.db_for_read(model), names, [values[name] for name in names])


def set_prefetched(instance: Model, name: str, objects) -> None:
    """Give `instance.<name>.all()` (a many-to-many or reverse relation) the records already
    read, as prefetch_related() does: a ModelForm's initial values, say, then cost no
    query. A change through the relation (add, set, remove) forgets them, as Django does."""
    manager = getattr(instance, name)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(manager.prefetch_cache_name, None)
    # The relation's own queryset (not run here), so that what Django derives from it
    # (set() reads the keys linked now) stays the relation's.
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    cache[manager.prefetch_cache_name] = queryset


class BakedList:
    """The baked queries of one list that is filtered in several ways, one per *shape*:
    what decides the SQL but not its parameters (which filters are set, how many values
    each has, the ordering). A shape's query is made on its first use, from the `build`
    given then; at most MAX_SHAPES are kept, the oldest dropped first.

    `base()` gives the list's queryset before any filter; a shape's `apply(queryset,
    *args)` filters it. The caller makes the shape and the arguments: two calls with one
    shape must write the same SQL from their arguments (as
    registry.filters.RegistryFilterSet.baked_rows does)."""

    MAX_SHAPES = 200

    def __init__(self, base: Callable[[], QuerySet]):
        self.base = base
        self._shapes: dict[Hashable, BakedQuery] = {}
        self._lock = threading.Lock()
        _lists.add(self)

    def query(self, shape: Hashable, apply: Callable[..., QuerySet]) -> BakedQuery:
        baked = self._shapes.get(shape)
        if baked is None:
            with self._lock:  # threads of one process: one of them drops the oldest
                baked = self._shapes.get(shape)
                if baked is None:
                    while len(self._shapes) >= self.MAX_SHAPES:
                        del self._shapes[next(iter(self._shapes))]
                    base = self.base
                    baked = BakedQuery(lambda *args: apply(base(), *args))
                    self._shapes[shape] = baked
        return baked

    def forget(self) -> None:
        with self._lock:
            self._shapes.clear()


class BakedRows:
    """A baked query's rows for given arguments, as a paginator takes them: count() and
    slices (each one query), so that django.core.paginator.Paginator pages them."""

    ordered = True

    def __init__(self, baked: BakedQuery, args: tuple):
        self.baked = baked
        self.args = tuple(args)

    def count(self) -> int:
        return self.baked.count(*self.args)

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("Baked rows are read a slice at a time, without a step.")
        start, stop = key.start or 0, key.stop
        if stop is None or start < 0 or stop < start:
            raise ValueError("A slice of baked rows has a start and an end, 0 or more.")
        return self.baked.rows(self.args, start, stop - start)


_instances: weakref.WeakSet[BakedQuery] = weakref.WeakSet()
_lists: weakref.WeakSet[BakedList] = weakref.WeakSet()


def _stand_in(index: int, argument):
    """A value of the argument's type that no query holds as a constant."""
    if isinstance(argument, bool) or not isinstance(argument, int | str):
        raise ImproperlyConfigured("A baked query's arguments are numbers or texts.")
    if isinstance(argument, int):
        return -2_000_000_000 - index  # in any integer column's range but positive ones
    return f"\x00baked-argument-{index}\x00"


def _quote(alias: str, name: str) -> str:
    return connections[alias].ops.quote_name(name)


def _empty() -> ImproperlyConfigured:
    return ImproperlyConfigured(
        "The ORM finds no row for a baked query built with stand-ins (an empty list, or an "
        "argument out of an integer field's range): its SQL would not hold for other "
        "arguments. Do not bake that shape."
    )


def _same(value, stand_in) -> bool:
    """Is this SQL parameter the stand-in? The database's adapter may have wrapped it in a
    subclass of its type (psycopg's Int8 for a BigIntegerField on PostgreSQL)."""
    return isinstance(value, type(stand_in)) and not isinstance(value, bool) and value == stand_in


def _arguments_of(params: list, stand_ins: list) -> tuple[list, list[tuple[int, int]]]:
    """The SQL's parameters with None where an argument goes, and those places:
    [(position in params, index of the argument)]. Every argument must be one of them."""
    places = []
    for index, stand_in in enumerate(stand_ins):
        found = [n for n, value in enumerate(params) if _same(value, stand_in)]
        if not found:
            raise ImproperlyConfigured(
                f"A baked query's argument {index} is not one of its SQL parameters: "
                "use it as it is."
            )
        places += [(position, index) for position in found]
    params = list(params)
    for position, _index in places:
        params[position] = None
    return params, places


def _with_arguments(params: list, places: list[tuple[int, int]], args) -> list:
    params = list(params)
    for position, index in places:
        params[position] = args[index]
    return params


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
    for baked_list in list(_lists):
        baked_list.forget()


def _settings_changed(*, setting, **kwargs) -> None:
    if setting in ("DATABASES", "DATABASE_ROUTERS"):
        forget_all()


setting_changed.connect(_settings_changed, dispatch_uid="conect.core.baked")
