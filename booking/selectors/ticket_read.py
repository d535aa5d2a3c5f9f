"""One ticket with its service, appointment and customer, read in one statement whose
text is built once per process.

The ORM compiles a ``select_related`` anew on every call; on call-next that compiling
cost more than the claim itself. Values go through the same converters the ORM applies
(the tests hold both to the same objects).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import Col

from booking.models import Appointment, Customer, Service, Ticket


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    attnames: list[str]
    # Each column's expression with its converters, as the ORM's compiler pairs them.
    converters: list[tuple[Col, list[Callable]]]


# (name on the ticket, model, whether the ticket may have none)
_RELATED = (
    ("service", Service, False),
    ("appointment", Appointment, True),
    ("customer", Customer, True),
)


def _part(model: type[Model], alias: str) -> tuple[list[str], _Part]:
    qn = connection.ops.quote_name
    fields: list[Field] = list(model._meta.concrete_fields)
    columns_of = [field.get_col(alias) for field in fields]
    converters = [
        (col, connection.ops.get_db_converters(col) + col.field.get_db_converters(connection))
        for col in columns_of
    ]
    columns = [f"{alias}.{qn(field.column)}" for field in fields]
    return columns, _Part(model, [field.attname for field in fields], converters)


@functools.cache
def _statement() -> tuple[str, list[tuple[str | None, _Part]]]:
    qn = connection.ops.quote_name
    columns, part = _part(Ticket, "t")
    parts: list[tuple[str | None, _Part]] = [(None, part)]
    joins = []
    for index, (name, model, nullable) in enumerate(_RELATED):
        alias = f"r{index}"
        more, part = _part(model, alias)
        columns += more
        parts.append((name, part))
        column = qn(Ticket._meta.get_field(name).column)
        joins.append(
            f"{'LEFT ' if nullable else ''}JOIN {qn(model._meta.db_table)} {alias} "
            f"ON {alias}.{qn(model._meta.pk.column)} = t.{column}"
        )
    sql = (
        f"SELECT {', '.join(columns)} FROM {qn(Ticket._meta.db_table)} t {' '.join(joins)} "
        f"WHERE t.{qn(Ticket._meta.pk.column)} = %s"
    )
    return sql, parts


def _build(part: _Part, values: tuple[Any, ...]) -> Model | None:
    if all(value is None for value in values):  # the LEFT JOIN found nothing
        return None
    converted = []
    for value, (col, converters) in zip(values, part.converters, strict=True):
        for convert in converters:
            value = convert(value, col, connection)
        converted.append(value)
    return part.model.from_db(connection.alias, part.attnames, converted)


def ticket_with_visit(ticket_id: int) -> Ticket:
    """The ticket with its service, appointment and customer loaded (like
    ``select_related("service", "appointment", "customer")``)."""
    sql, parts = _statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [ticket_id])
        row = cursor.fetchone()
    if row is None:
        raise Ticket.DoesNotExist(ticket_id)
    ticket = None
    offset = 0
    for name, part in parts:
        instance = _build(part, row[offset : offset + len(part.attnames)])
        offset += len(part.attnames)
        if name is None:
            ticket = instance
        else:
            setattr(ticket, name, instance)
    return ticket
