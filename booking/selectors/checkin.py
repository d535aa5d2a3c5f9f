"""The read of a kiosk scan, written as one SQL statement.

Every visitor's check-in runs it inside the check-in transaction. Compiling the
equivalent ORM query (three joins, two subqueries, a row lock) cost more than running
it, and the visit's place in the advisor's queue would have cost another round trip
after the commit. Names of tables and columns come from the models, values pass
through the backend's own converters, and tests hold the answers to the ORM's
(``tests/booking/floor/test_checkin_lookup.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from booking.models import (
    LIVE_STATUSES,
    Absence,
    Advisor,
    Appointment,
    Customer,
    Service,
    Ticket,
    TicketKind,
    TicketStatus,
)

from .dbfunctions import literal
from .rows import RowPart, row_part, rows_build, select_list

# Only what a check-in reads: building whole rows into models is much of a scan's cost.
# A field left out costs a query of its own when read (a late visitor's walk-in
# estimate reads the service's duration, the messages the booking's phone).
_READS: dict[type[Model], tuple[str, ...]] = {
    Appointment: (
        "id",
        "branch",
        "service",
        "advisor",
        "customer",
        "start",
        "end",
        "status",
        "code",
        "checked_in_at",
        "contact_name",
        "contact_phone",
        "language",
    ),
    Service: ("id", "slug", "name", "name_en", "ticket_prefix", "duration_minutes"),
    Advisor: ("id", "name", "location", "active", "late_minutes"),
    Customer: ("id", "name"),
}
_ALIASES = {Appointment: "a", Service: "s", Advisor: "v", Customer: "c"}


@dataclass(frozen=True)
class _Statement:
    sql: str
    parts: list[RowPart]


@functools.cache
def _statement(for_update_of: bool, key: str = "code") -> _Statement:
    qn = connection.ops.quote_name
    parts = [row_part(model, _ALIASES[model], _READS[model]) for model in _READS]

    def table(model: type[Model]) -> str:
        return f"{qn(model._meta.db_table)} {_ALIASES[model]}"

    def column(model: type[Model], name: str, alias: str | None = None) -> str:
        return f"{alias or _ALIASES[model]}.{qn(model._meta.get_field(name).column)}"

    selected = select_list(parts)
    a = functools.partial(column, Appointment)
    # Constants of the code, written as SQL: as parameters they kept PostgreSQL from
    # fitting the partial index ticket_waiting_with_advisor to a plan for all runs.
    live = ", ".join(literal(status) for status in LIVE_STATUSES)
    sql = f"""
        SELECT {selected},
          EXISTS (
            SELECT 1 FROM {qn(Absence._meta.db_table)} b
            WHERE {column(Absence, "advisor", "b")} = {a("advisor")}
              AND {column(Absence, "start", "b")} <= %s AND {column(Absence, "end", "b")} > %s
          ),
          (
            SELECT COUNT(*) FROM {qn(Ticket._meta.db_table)} t
            JOIN {qn(Appointment._meta.db_table)} o
              ON {column(Appointment, "id", "o")} = {column(Ticket, "appointment", "t")}
            WHERE {column(Ticket, "branch", "t")} = {a("branch")}
              AND {column(Ticket, "advisor", "t")} = {a("advisor")}
              AND {column(Ticket, "status", "t")} = {literal(TicketStatus.WAITING)}
              AND {column(Ticket, "kind", "t")} = {literal(TicketKind.APPOINTMENT)}
              AND {column(Appointment, "start", "o")} <= {a("start")}
          )
        FROM {table(Appointment)}
        JOIN {table(Service)} ON {column(Service, "id")} = {a("service")}
        JOIN {table(Advisor)} ON {column(Advisor, "id")} = {a("advisor")}
        JOIN {table(Customer)} ON {column(Customer, "id")} = {a("customer")}
        WHERE {a(key)} = %s
        ORDER BY CASE WHEN {a("status")} IN ({live}) THEN 0 ELSE 1 END, {a("start")} DESC
        LIMIT 1
    """
    if for_update_of:
        sql += f" FOR UPDATE OF {_ALIASES[Appointment]}"
    return _Statement(sql, parts)


def visit_locked(code: str, now: dt.datetime) -> Appointment | None:
    """The appointment of a code with its service, advisor and customer, its row locked
    until the transaction ends, so that simultaneous scans of one code queue up here.

    A live booking holds its code exclusively; otherwise the most recent use of it
    counts. The appointment also tells ``advisor_away`` (absent now or inactive) and
    ``waiting_ahead``: the booked advisor's waiting appointments that start no later.
    """
    return _visit_locked("code", code, now)


def visit_locked_by_id(appointment_id: int, now: dt.datetime) -> Appointment | None:
    """The same read for a booking the desk picked from the day's list."""
    return _visit_locked("id", appointment_id, now)


def _visit_locked(key: str, value: str | int, now: dt.datetime) -> Appointment | None:
    features = connection.features
    statement = _statement(
        features.has_select_for_update and features.has_select_for_update_of, key
    )
    moment = connection.ops.adapt_datetimefield_value(now)
    params = [moment, moment, value]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    (appointment, service, advisor, customer), (away, ahead) = rows_build(statement.parts, row)
    appointment.service, appointment.advisor, appointment.customer = service, advisor, customer
    appointment.advisor_away = bool(away) or not advisor.active
    appointment.waiting_ahead = int(ahead)
    return appointment
