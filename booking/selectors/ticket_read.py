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
def _statement() -> tuple[str, list[RowPart]]:
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
    columns = select_list(parts)
    sql = (
        f"SELECT {columns} FROM {qn(Ticket._meta.db_table)} t {' '.join(joins)} "
        f"WHERE t.{qn(Ticket._meta.pk.column)} = %s"
    )
    return sql, parts


def ticket_with_visit(ticket_id: int) -> Ticket:
    """The ticket with its service, appointment and customer loaded (like
    ``select_related("service", "appointment", "customer")``)."""
    sql, parts = _statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [ticket_id])
        row = cursor.fetchone()
    if row is None:
        raise Ticket.DoesNotExist(ticket_id)
    (ticket, *related), _rest = rows_build(parts, row)
    for (name, _model, _nullable), instance in zip(_RELATED, related, strict=True):
        setattr(ticket, name, instance)
    return ticket
