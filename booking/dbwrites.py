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
def _insert_statement(model: type[Model], rows: int) -> tuple[str, list[Field]]:
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {qn(model._meta.pk.column)}"
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


def chains_writes() -> bool:
    """Whether one statement may hold several writes (PostgreSQL's data-modifying
    ``WITH``); elsewhere the helpers below run their writes one after another."""
    return connection.vendor == "postgresql"


@functools.cache
def _insert_from_statement(
    model: type[Model], source: str, expressions: tuple[tuple[str, str], ...], returning: str
) -> tuple[str, list[Field]]:
    qn = connection.ops.quote_name
    computed = dict(expressions)
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    values = ", ".join(computed.get(f.name, "%s") for f in fields)
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"SELECT {values} FROM {source} RETURNING {qn(model._meta.pk.column)}, {returning}"
    )
    return sql, fields


def insert_from(
    instance: Model,
    *,
    before: str,
    before_params: list,
    source: str,
    expressions: dict[str, str],
    returning: str,
):
    """Insert ``instance`` in the statement of another write (``WITH {before}``) whose
    rows (``source``) its ``expressions`` read; in each expression ``%s`` is the field's
    own value. Gives the instance its id and returns the ``returning`` column's value.
    PostgreSQL only (see ``chains_writes``)."""
    sql, fields = _insert_from_statement(
        type(instance), source, tuple(sorted(expressions.items())), returning
    )
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {before} {sql}", [*before_params, *params])
        pk, value = cursor.fetchone()
    _saved(instance, pk)
    return value


def update_and_insert(instance: Model, names: tuple[str, ...], *new: Model) -> None:
    """``update(instance, *names)`` and ``insert(*new)``, in one statement where the
    database allows (``chains_writes``)."""
    if not chains_writes():
        update(instance, *names)
        insert(*new)
        return
    update_sql, update_fields = _update_statement(type(instance), names)
    insert_sql, insert_fields = _insert_statement(type(new[0]), len(new))
    update_params = [
        field.get_db_prep_save(field.pre_save(instance, False), connection)
        for field in update_fields
    ]
    insert_params = [
        field.get_db_prep_save(field.pre_save(row, True), connection)
        for row in new
        for field in insert_fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH changed AS ({update_sql}) {insert_sql}",
            [*update_params, instance.pk, *insert_params],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for row, pk in zip(new, ids, strict=True):
        _saved(row, pk)
