"""Which waiting visitor a desk gets next, claimed in one statement.

The order (``README``, "Routing"): the advisor's own appointments that are due; due
appointments nobody is assigned to (their advisor is away) for a service the advisor
offers; then walk-ins for their services, priority first, longest waiting first (a
walk-in sent to one advisor waits for that advisor only); finally their own early
arrivals. Appointments go by their start.

On PostgreSQL the best candidate is locked with ``FOR UPDATE SKIP LOCKED``: a desk
never waits for a visitor another desk is taking at this moment, it takes the next
one. A row that another desk called after this statement began is read again once
locked and no longer matches ``waiting``, so two desks never get the same visitor.
SQLite runs the same statement without the lock clause; it lets one writer at a time.

On PostgreSQL the claim is the first part of a statement that also makes the advisor
busy, records the call on the journey, reads the ticket back with its visit and the
head of its service's queue (``next_visitor_call``): the round trips, not the work,
made most of a call's time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from booking.dbwrites import insert_from
from booking.models import (
    Advisor,
    AdvisorStatus,
    Appointment,
    Branch,
    Channel,
    EventKind,
    JourneyEvent,
    Ticket,
    TicketKind,
    TicketStatus,
)
from booking.selectors.dbfunctions import literal
from booking.selectors.rows import RowPart
from booking.selectors.ticket_read import ticket_with_visit_build, ticket_with_visit_select

from .advisors import status_change_parts
from .ticket_messages import queue_head_statement

# One candidate per kind, best first; each is looked for (and locked) only if every kind
# before it has nobody: COALESCE and CASE evaluate their arguments lazily, and a CTE runs
# only when read. Each search follows an index, so its cost does not grow with the queue.
_CLAIM = """
WITH own_due AS MATERIALIZED (
    SELECT t.id FROM {ticket} t JOIN {appointment} a ON a.id = t.appointment_id
    WHERE t.advisor_id = %(advisor)s AND t.status = {waiting} AND t.branch_id = %(branch)s
        AND t.kind = {appointment_kind} AND a.start <= %(due_by)s
    ORDER BY a.start, t.id LIMIT 1{lock}
), orphaned AS MATERIALIZED (
    SELECT t.id FROM {ticket} t JOIN {appointment} a ON a.id = t.appointment_id
    WHERE t.advisor_id IS NULL AND t.status = {waiting} AND t.branch_id = %(branch)s
        AND t.kind = {appointment_kind} AND a.start <= %(due_by)s AND t.service_id IN ({offered})
    ORDER BY a.start, t.id LIMIT 1{lock}
), walk_in AS MATERIALIZED (
    SELECT t.id FROM {ticket} t
    WHERE t.branch_id = %(branch)s AND t.status = {waiting} AND t.kind = {walk_in}
        AND t.service_id IN ({offered}) AND (t.advisor_id IS NULL OR t.advisor_id = %(advisor)s)
    ORDER BY t.priority DESC, t.queued_at, t.id LIMIT 1{lock}
), own_early AS MATERIALIZED (
    SELECT t.id FROM {ticket} t JOIN {appointment} a ON a.id = t.appointment_id
    WHERE t.advisor_id = %(advisor)s AND t.status = {waiting} AND t.branch_id = %(branch)s
        AND t.kind = {appointment_kind} AND a.start > %(due_by)s
    ORDER BY a.start, t.id LIMIT 1{lock}
)
UPDATE {ticket}
SET status = {called}, advisor_id = %(advisor)s, location = %(location)s, called_at = %(now)s
WHERE status = {waiting} AND id = COALESCE(
    (SELECT id FROM own_due),
    (SELECT id FROM orphaned),
    (SELECT id FROM walk_in),
    (SELECT id FROM own_early)
)
RETURNING {returning}, CASE
    WHEN id = (SELECT id FROM own_due) THEN FALSE
    WHEN id = (SELECT id FROM orphaned) THEN TRUE
    ELSE kind = {walk_in}
END AS from_service_queue
"""


@functools.cache
def _claim_statement(returning: str = "id") -> str:
    """The claim, returning ``returning`` (the ticket's columns) and whether the visitor
    came from their service's queue."""
    features = connection.features
    lock = ""
    if features.has_select_for_update_skip_locked and features.has_select_for_update_of:
        lock = " FOR UPDATE OF t SKIP LOCKED"  # the ticket, not its appointment
    offered = Advisor.services.through
    return _CLAIM.format(
        ticket=Ticket._meta.db_table,
        appointment=Appointment._meta.db_table,
        offered=f"SELECT service_id FROM {offered._meta.db_table} WHERE advisor_id = %(advisor)s",
        lock=lock,
        returning=returning,
        waiting=literal(TicketStatus.WAITING),
        called=literal(TicketStatus.CALLED),
        walk_in=literal(TicketKind.WALK_IN),
        appointment_kind=literal(TicketKind.APPOINTMENT),
    )


@dataclass(frozen=True)
class Claimed:
    ticket_id: int
    # It waited in its service's queue (a walk-in, or an appointment whose advisor is
    # away), so the visitors behind it moved up.
    from_service_queue: bool


def _parameters(advisor: Advisor, branch: Branch, now: dt.datetime) -> dict:
    adapt = connection.ops.adapt_datetimefield_value
    return {
        "branch": branch.id,
        "advisor": advisor.id,
        "location": advisor.location,
        "due_by": adapt(now + dt.timedelta(minutes=branch.call_ahead_minutes)),
        "now": adapt(now),
    }


def next_visitor_claim(*, advisor: Advisor, branch: Branch, now: dt.datetime) -> Claimed | None:
    """Call the advisor's next visitor (see the module's docstring), or None if nobody
    waits for them. Call inside a transaction: the ticket stays locked until it ends."""
    with connection.cursor() as cursor:
        cursor.execute(_claim_statement(), _parameters(advisor, branch, now))
        row = cursor.fetchone()
    return Claimed(row[0], bool(row[1])) if row else None


_ONE_OPEN_PERIOD = "status_period_one_open"
_ATTEMPTS = 3


@functools.cache
def _call_statement(head: int) -> tuple[str, list[RowPart]]:
    appointments = Appointment._meta.db_table
    called = insert_from(
        JourneyEvent,
        f"claimed c LEFT JOIN {appointments} a ON a.id = c.appointment_id",
        {
            "at": "%(now)s",
            "channel": literal(Channel.DISPLAY),
            "kind": literal(EventKind.CALLED),
            # As ``ticket_event_build``: the ticket's customer, else the appointment's.
            "customer": "COALESCE(c.customer_id, a.customer_id)",
            "branch": "c.branch_id",
            "appointment": "c.appointment_id",
            "ticket": "c.id",
            "detail": "jsonb_build_object('number', c.number, "
            "'advisor', %(advisor_name)s::text, 'location', %(location)s::text)",
        },
    )
    # The statement's snapshot still sees the claimed visitor waiting: left out by hand.
    queue_head = queue_head_statement(
        head,
        branch="(SELECT branch_id FROM claimed)",
        service="(SELECT service_id FROM claimed)",
        besides=" AND t.id <> (SELECT id FROM claimed)",
    )
    select, parts = ticket_with_visit_select(
        "claimed",
        also="CASE WHEN t.from_service_queue THEN (SELECT COALESCE(json_agg(json_build_array("
        f"h.id, h.phone, h.email, h.booked_phone)), '[]') FROM ({queue_head}) h) END",
    )
    sql = (
        f"WITH claimed AS ({_claim_statement('*')}), "
        f"{status_change_parts('EXISTS (SELECT 1 FROM claimed)')}, "
        f"called AS ({called}) {select}"
    )
    return sql, parts


@dataclass(frozen=True)
class Called:
    ticket: Ticket
    # If the visitor waited in their service's queue: its head now, as
    # ``queue_head_statement`` reads it (for ``turn_soon_tell``).
    queue_head: list[list] | None


def next_visitor_call(*, advisor: Advisor, branch: Branch, now: dt.datetime) -> Called | None:
    """On PostgreSQL (``chains_writes``): the claim and what a call records with it (the
    advisor busy, the journey's ``called`` event) in one statement, which returns the
    ticket with its visit and, if it came from its service's queue, that queue's head;
    None if nobody waits. One round trip where the steps one by one took seven with
    their transaction (nine when the advisor's status changes); outside a transaction
    the statement is one of its own, all of it or nothing."""
    sql, parts = _call_statement(settings.NOTIFY_POSITION)
    parameters = _parameters(advisor, branch, now) | {
        "advisor_name": advisor.name,
        "status": AdvisorStatus.BUSY,
        "reason": "",
    }
    # Inside a caller's transaction a failed statement would end it: a savepoint keeps it.
    undoable = transaction.atomic if connection.in_atomic_block else contextlib.nullcontext
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with undoable(), connection.cursor() as cursor:
                cursor.execute(sql, parameters)
                row = cursor.fetchone()
            break
        except IntegrityError as error:
            # A status change of this advisor committed while the statement waited for
            # the advisor's row: the period it opened is not in the statement's snapshot,
            # so the statement's new period was a second open one and all of it was
            # undone. Run with a fresh snapshot, which sees that period and closes it.
            constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
            if constraint != _ONE_OPEN_PERIOD or attempt == _ATTEMPTS:
                raise
    if row is None:
        return None
    ticket, (queue_head,) = ticket_with_visit_build(parts, row)
    return Called(ticket, queue_head)
