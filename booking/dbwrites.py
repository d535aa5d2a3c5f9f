"""Inserts and updates whose statement text is built once per process.

The ORM compiles every insert and update anew. On a kiosk check-in that compiling
cost more than running the statements (``scripts/bench http``), so the writes of the
branch floor go through these helpers instead; on PostgreSQL, writes that belong
together go in one statement (one round trip) with ``WITH``. Values are adapted by the fields'
own ``pre_save`` and ``get_db_prep_save``, exactly as ``Model.save`` writes them; the
tests hold both to the same rows. No model signals are sent (none are connected to
the models written here).
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Field, Model


@functools.cache
def _insert_columns(model: type[Model]) -> tuple[str, str, list[Field]]:
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    return qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), fields


@functools.cache
def _insert_statement(model: type[Model], rows: int) -> tuple[str, list[Field]]:
    table, columns, fields = _insert_columns(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * rows)} "
        f"RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    )
    return sql, fields


def insert(*instances: Model) -> None:
    """Insert new instances of one model in one statement and give them their ids."""
    model = type(instances[0])
    sql, fields = _insert_statement(model, len(instances))
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for instance in instances
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    # Rows come back in the order of VALUES, which bulk_create relies on as well.
    for instance, pk in zip(instances, ids, strict=True):
        _saved(instance, pk)


def _saved(instance: Model, pk) -> None:
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias


@functools.cache
def _update_statement(model: type[Model], names: tuple[str, ...]) -> tuple[str, list[Field]]:
    qn = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {qn(model._meta.db_table)} SET {assignments} "
        f"WHERE {qn(model._meta.pk.column)} = %s"
    )
    return sql, fields


def update(instance: Model, *names: str) -> None:
    """Write the named fields of a saved instance, as ``save(update_fields=names)`` does."""
    sql, fields = _update_statement(type(instance), names)
    params = [
        field.get_db_prep_save(field.pre_save(instance, False), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, instance.pk])


def insert_from(model: type[Model], source: str, values: dict[str, str]) -> str:
    """``INSERT`` of one row of ``model`` per row of ``source`` (SQL after ``FROM``);
    ``values`` holds an SQL expression for every field but the automatic key."""
    table, columns, fields = _insert_columns(model)
    missing = {f.name for f in fields} ^ set(values)
    if missing:
        raise ValueError(f"{model.__name__}: values do not match the fields: {sorted(missing)}")
    expressions = ", ".join(values[f.name] for f in fields)
    return f"INSERT INTO {table} ({columns}) SELECT {expressions} FROM {source}"


def chains_writes() -> bool:
    """Whether several writes can go as one statement (PostgreSQL's data-modifying
    ``WITH``, see ``Chain``)."""
    return connection.vendor == "postgresql"


class Chain:
    """Writes sent to PostgreSQL as one statement, each a part of its ``WITH``.

    One round trip instead of one per write; and a row lock one of them takes (a
    counter's upsert) is held only from this statement to the commit right after it,
    not across the round trips and Python work of the writes that would follow.
    An expression may stand in for a field's value: ``%s`` in it is the field's own
    value, and it may read an earlier part, as in ``(SELECT id FROM ticket)``.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._params: list = []
        self._inserts: list[tuple[str, tuple[Model, ...], tuple[str, ...]]] = []

    def raw(self, name: str, sql: str, params: list) -> None:
        self._parts.append(f"{name} AS ({sql})")
        self._params.extend(params)

    def insert(
        self,
        name: str,
        *instances: Model,
        expressions: list[dict[str, str]] | None = None,
        returning: tuple[str, ...] = (),
    ) -> None:
        """Insert new instances of one model (``expressions``: one dict per instance)."""
        qn = connection.ops.quote_name
        model = type(instances[0])
        table, columns, fields = _insert_columns(model)
        rows = []
        for instance, computed in zip(instances, expressions or [{}] * len(instances), strict=True):
            values = []
            for field in fields:
                sql = computed.get(field.name, "%s")
                values.append(sql)
                if "%s" in sql:
                    self._params.append(
                        field.get_db_prep_save(field.pre_save(instance, True), connection)
                    )
            rows.append(f"({', '.join(values)})")
        returned = ", ".join(qn(c) for c in (model._meta.pk.column, *returning))
        self._parts.append(
            f"{name} AS (INSERT INTO {table} ({columns}) "
            f"VALUES {', '.join(rows)} RETURNING {returned})"
        )
        self._inserts.append((name, instances, returning))

    def update(self, name: str, instance: Model, *names: str) -> None:
        """Write the named fields of a saved instance (as ``update``)."""
        sql, fields = _update_statement(type(instance), names)
        self._parts.append(f"{name} AS ({sql})")
        self._params.extend(
            field.get_db_prep_save(field.pre_save(instance, False), connection) for field in fields
        )
        self._params.append(instance.pk)

    def run(self) -> None:
        """Send the statement; inserted instances get their ids and returned fields."""
        qn = connection.ops.quote_name
        # Rows come back in the order of VALUES (as bulk_create relies on, too).
        columns = [
            f"(SELECT array_agg({qn(column)}) FROM {name})"
            for name, instances, returning in self._inserts
            for column in (instances[0]._meta.pk.column, *returning)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH {', '.join(self._parts)} SELECT {', '.join(columns)}", self._params
            )
            values = iter(cursor.fetchone())
        for _name, instances, returning in self._inserts:
            for instance, pk in zip(instances, next(values), strict=True):
                _saved(instance, pk)
            for attname in returning:
                for instance, value in zip(instances, next(values), strict=True):
                    setattr(instance, attname, value)
