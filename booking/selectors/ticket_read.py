"""One ticket with its service, appointment and customer, read in one statement whose
text is built once per process.

The ORM compiles a ``select_related`` anew on every call; on call-next that compiling
cost more than the claim itself. Values go through the same converters the ORM applies
(the tests hold both to the same objects).
"""

from __future__ import annotations

import functools

from django.db import connection

from booking.models import Appointment, Customer, Service, Ticket

from .rows import RowPart, row_part, rows_build, select_list

# (name on the ticket, model, whether the ticket may have none)
_RELATED = (
    ("service", Service, False),
    ("appointment", Appointment, True),
    ("customer", Customer, True),
)


@functools.cache
def ticket_with_visit_select(source: str, also: str = "") -> tuple[str, list[RowPart]]:
    """``SELECT`` of the tickets in ``source`` (the table, or a ``WITH`` part returning
    its columns) as ``t``, joined to their service, appointment and customer, and the
    columns of ``also`` after theirs; the caller may add a ``WHERE``."""
    qn = connection.ops.quote_name
    parts = [row_part(Ticket, "t")]
    joins = []
    for index, (name, model, nullable) in enumerate(_RELATED):
        alias = f"r{index}"
        parts.append(row_part(model, alias))
        column = qn(Ticket._meta.get_field(name).column)
        joins.append(
            f"{'LEFT ' if nullable else ''}JOIN {qn(model._meta.db_table)} {alias} "
            f"ON {alias}.{qn(model._meta.pk.column)} = t.{column}"
        )
    columns = ", ".join(filter(None, [select_list(parts), also]))
    return f"SELECT {columns} FROM {source} t {' '.join(joins)}", parts


def ticket_with_visit_build(parts: list[RowPart], row) -> tuple[Ticket, tuple]:
    """The ticket of a row of ``ticket_with_visit_select``, and the values after it."""
    (ticket, *related), rest = rows_build(parts, row)
    for (name, _model, _nullable), instance in zip(_RELATED, related, strict=True):
        setattr(ticket, name, instance)
    return ticket, tuple(rest)


@functools.cache
def _by_id() -> tuple[str, list[RowPart]]:
    qn = connection.ops.quote_name
    select, parts = ticket_with_visit_select(qn(Ticket._meta.db_table))
    return f"{select} WHERE t.{qn(Ticket._meta.pk.column)} = %s", parts


def ticket_with_visit(ticket_id: int) -> Ticket:
    """The ticket with its service, appointment and customer loaded (like
    ``select_related("service", "appointment", "customer")``)."""
    sql, parts = _by_id()
    with connection.cursor() as cursor:
        cursor.execute(sql, [ticket_id])
        row = cursor.fetchone()
    if row is None:
        raise Ticket.DoesNotExist(ticket_id)
    return ticket_with_visit_build(parts, row)[0]
