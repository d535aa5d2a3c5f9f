"""Inserts and updates whose statement text is built once per process.

The ORM compiles every insert and update anew. On a kiosk check-in that compiling
cost more than running the statements (``scripts/bench floor``), so the writes of the
branch floor go through these two helpers instead. Values are adapted by the fields'
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
