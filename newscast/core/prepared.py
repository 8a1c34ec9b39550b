"""A query a page view runs on every request that misses the cache, worked out once.

For a page type of forty-odd columns, Django spent more CPU building a query's SQL and
turning its row into a model (mapping columns to fields, finding each column's converters)
than PostgreSQL spent running it. A PreparedQuery asks the ORM once per database
connection, with stand-in values, and keeps what it worked out: the SQL, where each
parameter comes from, which columns are the model's fields and which are annotations, and
the converters. Each run is then one cursor.execute and Model.from_db, as Django's own
ModelIterable does it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class _Layout:
    model: type[Model]
    sql: str
    params: list[tuple[str | None, object]]  # (a stand-in's name, None) or (None, a constant)
    fields: list[str]  # attnames of the model's columns
    columns: slice  # where they are in a row
    annotations: dict[str, int]  # annotation name -> its column
    converters: list  # (column, converters, expression), as the ORM applies them


class PreparedQuery:
    """`query(**stand_ins)` (a queryset over one model, without select_related) whose SQL
    and row layout are worked out once per database connection; `first(**values)` runs it
    with the real values in the stand-ins' places. Each stand-in must be a string or an
    integer (values the database adapter passes unchanged) that no other parameter of the
    query has."""

    def __init__(self, query: Callable[..., QuerySet], **stand_ins):
        self._query = query
        self._stand_ins = stand_ins
        self._layouts: WeakKeyDictionary = WeakKeyDictionary()

    def first(self, **values) -> Model | None:
        connection = connections[DEFAULT_DB_ALIAS]
        layout = self._layouts.get(connection)
        if layout is None:
            layout = self._layouts[connection] = self._layout(connection)
        params = [values[name] if name else constant for name, constant in layout.params]
        with connection.cursor() as cursor:
            cursor.execute(layout.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for column, converters, expression in layout.converters:
            for converter in converters:
                row[column] = converter(row[column], expression, connection)
        found = layout.model.from_db(connection.alias, layout.fields, row[layout.columns])
        for name, column in layout.annotations.items():
            setattr(found, name, row[column])
        return found

    def _layout(self, connection) -> _Layout:
        queryset = self._query(**self._stand_ins)[:1]
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        selected = compiler.select
        if compiler.klass_info.get("related_klass_infos"):
            raise ValueError("PreparedQuery reads one model's row: drop select_related")
        columns = compiler.klass_info["select_fields"]
        name_of = {value: name for name, value in self._stand_ins.items()}
        missing = [name_of[value] for value in set(name_of) - set(params)]
        if missing:
            raise ValueError(
                f"stand-ins not among the query's parameters as given: {sorted(missing)} "
                "(give each a string or an integer that the query passes unchanged)"
            )
        converters = compiler.get_converters([expression for expression, _, _ in selected])
        return _Layout(
            model=queryset.model,
            sql=sql,
            params=[(name_of[p], None) if p in name_of else (None, p) for p in params],
            fields=[selected[column][0].target.attname for column in columns],
            columns=slice(columns[0], columns[-1] + 1),
            annotations=dict(compiler.annotation_col_map),
            converters=[(column, *found) for column, found in converters.items()],
        )
