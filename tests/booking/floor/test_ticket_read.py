"""The called ticket read in one hand-built statement equals what the ORM reads."""

from __future__ import annotations

import pytest

from booking.models import Ticket
from booking.selectors.ticket_read import ticket_with_visit
from booking.services import queue
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def orm(ticket_id: int) -> Ticket:
    return Ticket.objects.select_related("service", "appointment", "customer").get(id=ticket_id)


def test_an_appointment_ticket_reads_as_the_orm_reads_it(device, make_appointment):
    ticket_id = checkin_at_kiosk(device=device, code=make_appointment(minutes=2).code).ticket.id
    mine, theirs = ticket_with_visit(ticket_id), orm(ticket_id)
    assert [fields(o) for o in (mine, mine.service, mine.appointment, mine.customer)] == [
        fields(o) for o in (theirs, theirs.service, theirs.appointment, theirs.customer)
    ]


def test_a_walk_in_has_no_appointment_and_no_customer(branch, service, anna):
    ticket = queue.walk_in_take(branch=branch, service=service, name="Eva", phone="+49 170 1")
    mine = ticket_with_visit(ticket.id)
    assert (fields(mine), mine.appointment, mine.customer) == (fields(orm(ticket.id)), None, None)


def test_a_missing_ticket_is_not_found():
    with pytest.raises(Ticket.DoesNotExist):
        ticket_with_visit(404)
