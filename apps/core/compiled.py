"""Hot queries compiled once per database and run again with new values.

Building a queryset and compiling it to SQL is most of what the ORM costs on the hottest
requests (the quiz profile: `make profile-quiz`): the token lookup of every API call and the
locking read of every quiz answer spent more time in Python putting their SQL together than in
the database. A `CompiledQuery` asks the ORM for the SQL of a queryset shape once per database
(with marker values in place of the real ones), keeps it, and runs it with each call's values;
rows become model instances the way the ORM's own iterator makes them (field converters,
select_related objects, annotations), or dicts for a `.values()` queryset. What the ORM would
send and what this sends are the same statement, checked by tests/core/test_compiled.py on
SQLite and PostgreSQL.

Use it only for a fixed shape: `build` must make the same SQL whatever its arguments (no
`__in` of varying length, no branches on the values); a different shape is another
CompiledQuery. Values are plain ints, strings or UUIDs, one per marker.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.transaction import TransactionManagementError


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple
    slots: tuple[tuple[int, int, Callable[[Any], Any]], ...]  # (param index, value index, adapt)
    names: tuple[str, ...] | None  # a .values() queryset: each row becomes a dict of these
    model: type[Model] | None
    init_list: tuple[str, ...]
    start: int
    end: int
    columns: int
    converters: tuple[tuple[int, tuple, Any], ...]
    populators: tuple
    annotations: tuple[tuple[str, int], ...]
    for_update: bool


def _identity(value):
    return value


def _uuid_hex(value):
    return (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).hex


def _as_uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


class CompiledQuery:
    """`build(*markers)` returns the queryset; `markers` are sample values, each distinct and
    appearing exactly once among the compiled statement's parameters (an int within the
    field's range, a string, a UUID). `fetch(*values)` runs the statement with `values` in the
    markers' places and returns model instances (dicts for a `.values()` queryset)."""

    def __init__(self, build: Callable[..., QuerySet], *markers: Any):
        if len(set(map(repr, markers))) != len(markers):
            raise ValueError("the markers of a compiled query must be distinct")
        self._build = build
        self._markers = markers
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()

    def fetch(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Model] | list[dict]:
        if len(values) != len(self._markers):
            raise TypeError(f"expected {len(self._markers)} values, got {len(values)}")
        plan = self._plans.get(using) or self._compile(using)
        connection = connections[using]
        if plan.for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a "
                                             "transaction.")
        params = list(plan.params)
        for index, value_index, adapt in plan.slots:
            params[index] = adapt(values[value_index])
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        out = []
        for raw in rows:
            row = list(raw[:plan.columns])
            for position, convs, expression in plan.converters:
                value = row[position]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[position] = value
            if plan.names is not None:
                out.append(dict(zip(plan.names, row, strict=True)))
                continue
            obj = plan.model.from_db(using, plan.init_list, row[plan.start:plan.end])
            for populator in plan.populators:
                populator.populate(row, obj)
            for name, position in plan.annotations:
                setattr(obj, name, row[position])
            out.append(obj)
        return out

    def _compile(self, using: str) -> _Plan:
        with self._lock:
            if using in self._plans:
                return self._plans[using]
            queryset = self._build(*self._markers)
            compiler = queryset.query.get_compiler(using=using)
            connection = connections[using]
            # as_sql refuses FOR UPDATE in autocommit; the statement is only compiled here.
            if queryset.query.select_for_update and connection.get_autocommit():
                raise TransactionManagementError("compile a locking query inside atomic()")
            sql, params = compiler.as_sql()
            slots = []
            for value_index, marker in enumerate(self._markers):
                found = [(i, _adapter(p, marker)) for i, p in enumerate(params)
                         if _same(p, marker)]
                if isinstance(marker, uuid.UUID):
                    found += [(i, _uuid_hex) for i, p in enumerate(params) if p == marker.hex]
                    found = [(i, _as_uuid if adapt is _identity else adapt) for i, adapt in found]
                if len(found) != 1:
                    raise ValueError(f"marker {marker!r} appears {len(found)} times among the "
                                     f"compiled parameters {params!r}")
                slots.append((found[0][0], value_index, found[0][1]))
            columns = compiler.col_count
            fields = [s[0] for s in compiler.select[:columns]]
            converters = tuple((position, tuple(convs), expression)
                               for position, (convs, expression)
                               in compiler.get_converters(fields).items())
            query = queryset.query
            if issubclass(queryset._iterable_class, ValuesIterable):
                names = (tuple(query.selected) if query.selected else
                         (*query.extra_select, *query.values_select, *query.annotation_select))
                plan = _Plan(sql=sql, params=tuple(params), slots=tuple(slots), names=names,
                             model=None, init_list=(), start=0, end=0, columns=columns,
                             converters=converters, populators=(), annotations=(),
                             for_update=bool(query.select_for_update))
                self._plans[using] = plan
                return plan
            if queryset._iterable_class is not ModelIterable:
                raise TypeError("a compiled query returns model instances or .values() dicts")
            info = compiler.klass_info
            start, end = info["select_fields"][0], info["select_fields"][-1] + 1
            plan = _Plan(
                sql=sql, params=tuple(params), slots=tuple(slots), names=None,
                model=info["model"],
                init_list=tuple(f[0].target.attname for f in compiler.select[start:end]),
                start=start, end=end, columns=columns, converters=converters,
                populators=tuple(get_related_populators(info, compiler.select, using)),
                annotations=tuple(compiler.annotation_col_map.items()),
                for_update=bool(query.select_for_update))
            self._plans[using] = plan
            return plan


def _same(param: Any, marker: Any) -> bool:
    # `True == 1`: a bool parameter never stands for an int marker. A subclass counts: on
    # PostgreSQL a small integer field's value is passed as psycopg's Int2(n).
    return isinstance(param, type(marker)) and not isinstance(param, bool) and param == marker


def _adapter(param: Any, marker: Any) -> Callable[[Any], Any]:
    """How a call's value is passed in the marker's place: as is, or wrapped in the type the
    ORM wrapped the marker in (psycopg's Int2 for a small integer)."""
    return _identity if type(param) is type(marker) else type(param)
