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
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection

from booking.models import Advisor, Appointment, Branch, Ticket, TicketKind, TicketStatus
from booking.selectors.dbfunctions import literal

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
RETURNING id, CASE
    WHEN id = (SELECT id FROM own_due) THEN FALSE
    WHEN id = (SELECT id FROM orphaned) THEN TRUE
    ELSE kind = {walk_in}
END
"""


@functools.cache
def _claim_statement() -> str:
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


def next_visitor_claim(*, advisor: Advisor, branch: Branch, now: dt.datetime) -> Claimed | None:
    """Call the advisor's next visitor (see the module's docstring), or None if nobody
    waits for them. Call inside a transaction: the ticket stays locked until it ends."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _claim_statement(),
            {
                "branch": branch.id,
                "advisor": advisor.id,
                "location": advisor.location,
                "due_by": adapt(now + dt.timedelta(minutes=branch.call_ahead_minutes)),
                "now": adapt(now),
            },
        )
        row = cursor.fetchone()
    return Claimed(row[0], bool(row[1])) if row else None
