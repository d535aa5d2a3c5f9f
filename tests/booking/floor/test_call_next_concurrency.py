"""Many desks calling next at the same moment (PostgreSQL: real row locks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from booking.models import Ticket, TicketKind, TicketStatus
from booking.services import queue
from tests.conftest import make_advisor
from tests.support import booked, simultaneously

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]

DESKS = 8


@pytest.fixture
def desks(branch, service):
    return [
        make_advisor(branch, [service], f"Desk {n}", location=f"Schalter {n}") for n in range(DESKS)
    ]


@pytest.fixture
def queue_in_order(branch, service) -> list[int]:
    """Ticket ids in the order call-next must hand them out: due appointments whose advisor
    is away, priority walk-ins, then the other walk-ins (created in no such order)."""
    now = timezone.now()
    day = branch.local_date(now)

    def ticket(number: int, **fields) -> Ticket:
        return Ticket.objects.create(
            branch=branch, service=service, day=day, number=f"T{number:03d}", **fields
        )

    orphaned, urgent, ordinary = [], [], []
    for n in range(40):
        if n % 10 == 3:
            away = make_advisor(branch, [service], f"Away {n}")
            appointment = booked(
                branch=branch,
                service=service,
                advisor=away,
                start=now.replace(second=0, microsecond=0) + dt.timedelta(minutes=n % 4),
            )
            made = ticket(n, kind=TicketKind.APPOINTMENT, appointment=appointment, queued_at=now)
            orphaned.append((appointment.start, made.id))
        else:
            queued_at = now - dt.timedelta(seconds=(n * 7) % 40)
            made = ticket(n, kind=TicketKind.WALK_IN, priority=n % 5 == 0, queued_at=queued_at)
            (urgent if made.priority else ordinary).append((queued_at, made.id))
    return [ticket_id for group in (orphaned, urgent, ordinary) for _, ticket_id in sorted(group)]


def call_next(advisor, branch):
    return lambda: queue.ticket_call_next(advisor=advisor, branch=branch)


def test_desks_calling_at_once_take_the_next_visitors_in_order_without_gaps(
    branch, desks, queue_in_order
):
    for round_start in range(0, len(queue_in_order), DESKS):
        called = simultaneously([call_next(desk, branch) for desk in desks])
        assert sorted(t.id for t in called) == sorted(
            queue_in_order[round_start : round_start + DESKS]
        )
    assert simultaneously([call_next(desk, branch) for desk in desks]) == [None] * DESKS


def test_desks_calling_until_nobody_waits_call_every_visitor_exactly_once(
    branch, desks, queue_in_order
):
    def until_empty(desk):
        def run() -> list[Ticket]:
            called = []
            while ticket := queue.ticket_call_next(advisor=desk, branch=branch):
                called.append(ticket)
            return called

        return run

    per_desk = simultaneously([until_empty(desk) for desk in desks])
    called = [ticket.id for tickets in per_desk for ticket in tickets]
    assert sorted(called) == sorted(queue_in_order)
    assert not Ticket.objects.filter(status=TicketStatus.WAITING).exists()


def test_each_desk_calls_its_visitors_in_queue_order(branch, desks, queue_in_order):
    def three_calls(desk):
        return lambda: [queue.ticket_call_next(advisor=desk, branch=branch).id for _ in range(3)]

    place = {ticket_id: n for n, ticket_id in enumerate(queue_in_order)}
    for called in simultaneously([three_calls(desk) for desk in desks]):
        assert [place[ticket_id] for ticket_id in called] == sorted(
            place[ticket_id] for ticket_id in called
        )


def test_each_called_visitor_is_with_the_desk_that_called_them(branch, desks, queue_in_order):
    called = simultaneously([call_next(desk, branch) for desk in desks])
    stored = Ticket.objects.in_bulk([ticket.id for ticket in called])
    assert all(
        (stored[t.id].advisor_id, stored[t.id].location) == (desk.id, desk.location)
        for t, desk in zip(called, desks, strict=True)
    )
