"""What a call writes besides the ticket, the same whichever way it is written: on
PostgreSQL call-next writes all of it in one statement (``next_visitor_call``), a call
of one ticket and SQLite write it step by step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from booking.models import AdvisorStatus, EventKind, JourneyEvent, StatusPeriod
from booking.selectors.ticket_read import ticket_with_visit
from booking.services import queue
from booking.services.advisors import advisor_status_set
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def called_event(ticket) -> dict:
    event = JourneyEvent.objects.get(ticket=ticket, kind=EventKind.CALLED)
    return {k: v for k, v in fields(event).items() if k != "id"}


@pytest.fixture
def checked_in(device, make_appointment):
    appointment = make_appointment(minutes=2)
    return checkin_at_kiosk(device=device, code=appointment.code).ticket


def test_call_next_records_the_appointments_customer_and_where_to_go(checked_in, branch, anna):
    now = timezone.now()
    ticket = queue.ticket_call_next(advisor=anna, branch=branch, now=now)
    assert called_event(ticket) == {
        "at": now,
        "channel": "display",
        "kind": EventKind.CALLED,
        "customer_id": checked_in.appointment.customer_id,
        "branch_id": branch.id,
        "appointment_id": checked_in.appointment_id,
        "ticket_id": ticket.id,
        "detail": {"number": ticket.number, "advisor": anna.name, "location": anna.location},
    }


def test_call_next_and_calling_the_ticket_record_the_same(branch, service, anna):
    now = timezone.now()
    first = queue.walk_in_take(branch=branch, service=service, now=now)
    second = queue.walk_in_take(branch=branch, service=service, now=now)
    by_next = queue.ticket_call_next(advisor=anna, branch=branch, now=now)
    by_ticket = queue.ticket_call(ticket=second, advisor=anna, now=now)
    assert by_next.id == first.id
    mine, theirs = called_event(by_next), called_event(by_ticket)
    assert mine | {"ticket_id": 0, "detail": {}} == theirs | {"ticket_id": 0, "detail": {}}
    assert mine["detail"] == theirs["detail"] | {"number": by_next.number}


def test_the_called_ticket_is_the_one_the_database_holds(checked_in, branch, anna):
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    stored = ticket_with_visit(ticket.id)
    assert fields(ticket) == fields(stored)
    for name in ("service", "appointment", "customer"):
        mine, theirs = getattr(ticket, name), getattr(stored, name)
        assert (mine and fields(mine)) == (theirs and fields(theirs))


def test_a_call_makes_an_available_advisor_busy_from_the_moment_of_the_call(branch, service, anna):
    start = timezone.now()
    advisor_status_set(advisor=anna, status=AdvisorStatus.AVAILABLE, now=start)
    queue.walk_in_take(branch=branch, service=service)
    called_at = start + dt.timedelta(minutes=3)
    queue.ticket_call_next(advisor=anna, branch=branch, now=called_at)
    anna.refresh_from_db()
    assert (anna.status, anna.status_changed_at) == (AdvisorStatus.BUSY, called_at)
    periods = StatusPeriod.objects.filter(advisor=anna).order_by("start")
    assert [(p.status, p.start, p.end) for p in periods] == [
        (AdvisorStatus.AVAILABLE, start, called_at),
        (AdvisorStatus.BUSY, called_at, None),
    ]


def test_a_call_with_nobody_waiting_writes_nothing(branch, service, anna):
    advisor_status_set(advisor=anna, status=AdvisorStatus.AVAILABLE)
    periods = list(StatusPeriod.objects.values_list("id", "end"))
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None
    anna.refresh_from_db()
    assert anna.status == AdvisorStatus.AVAILABLE
    assert list(StatusPeriod.objects.values_list("id", "end")) == periods
    assert not JourneyEvent.objects.filter(kind=EventKind.CALLED).exists()
