"""Whom "call next" gives an advisor, over every kind of waiting visitor at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from booking.models import Service, Ticket, TicketKind
from booking.services import queue
from booking.services.next_visitor import next_visitor_claim
from tests.conftest import make_advisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(branch, service):
    """A ticket waiting since ``minutes_ago``, written directly (past check-in's rules)."""

    def make(
        *, appointment=None, advisor=None, priority=False, minutes_ago=0, at_branch=None, of=None
    ) -> Ticket:
        now = timezone.now()
        return Ticket.objects.create(
            branch=at_branch or branch,
            service=of or service,
            day=branch.local_date(now),
            number=f"T{Ticket.objects.count() + 1:03d}",
            kind=TicketKind.APPOINTMENT if appointment else TicketKind.WALK_IN,
            appointment=appointment,
            advisor=advisor,
            priority=priority,
            queued_at=now - dt.timedelta(minutes=minutes_ago),
        )

    return make


@pytest.fixture
def booked_with(branch, service, make_appointment):
    """An appointment ``minutes`` from now booked with an advisor of its own: the ticket
    says who calls it (the booked advisor may be away), and bookings of one advisor may
    not overlap."""
    count = iter(range(100))

    def make(minutes: int):
        colleague = make_advisor(branch, [service], f"Kollege {next(count)}")
        return make_appointment(minutes=minutes, advisor=colleague)

    return make


def calls(advisor, branch, now=None) -> list[int]:
    """Call next until nobody is left for the advisor."""
    called = []
    while ticket := queue.ticket_call_next(advisor=advisor, branch=branch, now=now):
        called.append(ticket.id)
    return called


def test_the_whole_order_over_every_kind_of_waiting_visitor(branch, anna, waiting, booked_with):
    early = waiting(appointment=booked_with(40), advisor=anna, minutes_ago=50)
    walk_in = waiting(minutes_ago=30)
    urgent = waiting(priority=True, minutes_ago=1)
    orphaned = waiting(appointment=booked_with(3), minutes_ago=20)
    due = waiting(appointment=booked_with(4), advisor=anna, minutes_ago=2)
    overdue = waiting(appointment=booked_with(-5), advisor=anna, minutes_ago=1)
    assert calls(anna, branch) == [
        overdue.id,
        due.id,
        orphaned.id,
        urgent.id,
        walk_in.id,
        early.id,
    ]


def test_appointments_go_by_their_start_not_by_priority_or_arrival(
    branch, anna, waiting, booked_with
):
    # A transferred visitor keeps priority; among appointments only the start counts.
    later = waiting(appointment=booked_with(4), advisor=anna, priority=True, minutes_ago=30)
    sooner = waiting(appointment=booked_with(2), advisor=anna)
    assert calls(anna, branch) == [sooner.id, later.id]


def test_an_appointment_is_due_exactly_the_call_ahead_minutes_before_its_start(
    branch, anna, waiting, make_appointment
):
    appointment = make_appointment(minutes=30)
    own = waiting(appointment=appointment, advisor=anna)
    walk_in = waiting(minutes_ago=10)
    now = appointment.start - dt.timedelta(minutes=branch.call_ahead_minutes)
    assert calls(anna, branch, now=now) == [own.id, walk_in.id]


def test_an_orphaned_appointment_not_yet_due_is_not_called(
    branch, anna, jonas, waiting, make_appointment
):
    waiting(appointment=make_appointment(minutes=40, advisor=jonas))
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None


def test_an_orphaned_appointment_for_a_service_the_advisor_does_not_offer_is_not_called(
    branch, anna, jonas, waiting, make_appointment
):
    other = Service.objects.create(slug="kredit", name="Kredit", ticket_prefix="K")
    other.branches.add(branch)
    waiting(appointment=make_appointment(minutes=2, advisor=jonas), of=other)
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None


def test_a_walk_in_sent_to_the_advisor_keeps_its_place_among_the_walk_ins(branch, anna, waiting):
    sent = waiting(advisor=anna, minutes_ago=20)
    newer = waiting(minutes_ago=10)
    older = waiting(minutes_ago=30)
    assert calls(anna, branch) == [older.id, sent.id, newer.id]


def test_visitors_waiting_at_another_branch_are_not_called(
    branch, other_branch, service, anna, waiting
):
    service.branches.add(other_branch)
    anna.branches.add(other_branch)
    waiting(at_branch=other_branch)
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None


def test_a_visitor_already_called_is_not_called_again(branch, anna, jonas, waiting):
    waiting()
    assert queue.ticket_call_next(advisor=jonas, branch=branch) is not None
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None


def test_an_orphaned_appointment_waited_in_the_service_queue(
    branch, anna, jonas, waiting, make_appointment
):
    waiting(appointment=make_appointment(minutes=2, advisor=jonas))
    claimed = next_visitor_claim(advisor=anna, branch=branch, now=timezone.now())
    assert claimed.from_service_queue


def test_an_own_appointment_did_not_wait_in_the_service_queue(
    branch, anna, waiting, make_appointment
):
    waiting(appointment=make_appointment(minutes=2), advisor=anna)
    claimed = next_visitor_claim(advisor=anna, branch=branch, now=timezone.now())
    assert not claimed.from_service_queue


def test_a_walk_in_sent_to_the_advisor_waited_in_the_service_queue(branch, anna, waiting):
    waiting(advisor=anna)
    claimed = next_visitor_claim(advisor=anna, branch=branch, now=timezone.now())
    assert claimed.from_service_queue
