"""Read queries the ORM writes once per database connection, then runs with new values.

Building and compiling a queryset costs 0.2–0.8 ms of CPU on every call, several times what the
database needs to answer it; a page that runs the same few reads on every request spent most of its
time there. A PreparedQuery takes a function that builds a queryset from placeholders (`param(name,
field)`) instead of values, compiles it on first use on each connection, and afterwards only puts the
call's values in the placeholders' places (prepared by the field, as a lookup would), runs the SQL on
the connection's cursor (so query counts in tests and the connection's error handling are the ORM's),
and converts the rows with the compiler's own converters (datetimes, booleans and decimals come back as
from the queryset).

    by_code = PreparedQuery(lambda param: Seminar.objects.filter(
        conference_id=param("conference", models.IntegerField())).values_list("code", "capacity"))
    by_code.rows(conference=conference.pk)            # [(code, capacity), ...]

    tracks = PreparedQuery(lambda param: Track.objects.filter(
        conference_id=param("conference", models.IntegerField())).order_by("order", "name"), model=Track)
    tracks.objects(conference=conference.pk)          # [Track, ...] made by Model.from_db

Only for hot reads of a fixed shape (a variable-length `__in` list is not one). Everything outside
`param()` is compiled once and kept for the connection's life, so it must be a constant (a status, a
kind, True): never a time, a setting or anything of the request; _compile refuses other values. Not for
pattern lookups (`contains`, `startswith`: the value would not be escaped), and always on the connection
named by `using` ("default"), without database routers. tests/test_prepared.py checks the rows against
the queryset's own; each caller's tests cover its results.
"""

from collections.abc import Callable
from decimal import Decimal

from django.db import connections, models
from django.db.models import Expression
from django.db.models.query import QuerySet


class _Slot:
    """Where a placeholder's value goes among the compiled parameters."""

    __slots__ = ("name", "field")

    def __init__(self, name: str, field: models.Field):
        self.name = name
        self.field = field


class Param(Expression):
    """A placeholder for a value given at run time; compiles to one SQL parameter."""

    def __init__(self, name: str, output_field: models.Field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name, self.output_field)]

    def __repr__(self):
        return f"Param({self.name!r})"


class PreparedQuery:
    def __init__(self, build: Callable[[type[Param]], QuerySet], *, model: type[models.Model] | None = None):
        """`build(param)` returns the queryset: a values()/values_list() one, or, with `model`, one of that
        model (all its concrete fields are then selected, for objects())."""
        self._build = build
        self._model = model
        self._fields = [field.attname for field in model._meta.concrete_fields] if model is not None else None

    def _compile(self, connection):
        # Compiled per connection object (connections are per thread, and so is the compiler's state) and
        # kept on it, so that it goes with the connection: the compiler refers to its connection, and a
        # cache outside it would keep every ended thread's connection open.
        cache = connection.__dict__.setdefault("_prepared_queries", {})
        compiled = cache.get(self)
        if compiled is None:
            queryset = self._build(Param)
            if self._model is not None:
                if queryset.model is not self._model:
                    raise TypeError(f"PreparedQuery for {self._model.__name__} got a {queryset.model.__name__} query")
                queryset = queryset.values_list(*self._fields)
            elif queryset._fields is None:
                raise TypeError("PreparedQuery takes a values_list() queryset, or a model= for objects")
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            for param in params:
                if not isinstance(param, (_Slot, str, int, float, Decimal)) and param is not None:
                    raise TypeError(f"PreparedQuery keeps only constants outside param(): got {param!r}")
            compiled = cache[self] = (compiler, sql, tuple(params))
        return compiled

    def rows(self, *, using: str = "default", **values) -> list[tuple]:
        """The rows as tuples: the selected fields in their order, then any annotations."""
        connection = connections[using]
        compiler, sql, params = self._compile(connection)
        missing = {param.name for param in params if isinstance(param, _Slot)} - values.keys()
        if missing:
            raise TypeError(f"PreparedQuery.rows() needs {', '.join(sorted(missing))}")
        bound = [
            param.field.get_db_prep_value(values[param.name], connection, prepared=False)
            if isinstance(param, _Slot) else param
            for param in params
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))

    def objects(self, *, using: str = "default", **values) -> list[models.Model]:
        """The rows as model instances (Model.from_db, as the ORM itself makes them)."""
        if self._model is None:
            raise TypeError("objects() needs PreparedQuery(..., model=...)")
        return [self._model.from_db(using, self._fields, row) for row in self.rows(using=using, **values)]
