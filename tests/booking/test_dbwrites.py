"""The precompiled writes store exactly what ``Model.save`` stores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from booking.dbwrites import Chain, chains_writes, insert, update
from booking.models import EventKind, JourneyEvent, Ticket, TicketCounter, TicketKind
from booking.services.queue import ticket_issue
from tests.support import booked

pytestmark = pytest.mark.django_db


def a_ticket(branch, service, anna, **fields) -> Ticket:
    return Ticket(
        branch=branch,
        service=service,
        advisor=anna,
        day=dt.date(2026, 12, 1),
        number=fields.pop("number", "A001"),
        kind=TicketKind.APPOINTMENT,
        location="Raum 2",
        queued_at=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
        **fields,
    )


def stored(instance) -> dict:
    row = model_to_dict(type(instance).objects.get(pk=instance.pk))
    return {key: value for key, value in row.items() if key not in ("id", "created")}


def test_an_inserted_ticket_reads_back_like_a_saved_one(branch, service, anna):
    written = a_ticket(branch, service, anna, number="A001")
    insert(written)
    saved = a_ticket(branch, service, anna, number="A002")
    saved.save()
    assert written.pk is not None and not written._state.adding
    # Numbers and status links are each ticket's own; everything else is stored alike.
    own = {"number": saved.number, "status_token": saved.status_token}
    assert written.status_token and written.status_token != saved.status_token
    assert {**stored(written), **own} == stored(saved)


def test_insert_fills_in_creation_times(branch, service, anna):
    before = timezone.now()
    ticket = a_ticket(branch, service, anna)
    insert(ticket)
    assert Ticket.objects.get(pk=ticket.pk).created >= before


def test_several_rows_go_in_at_once_each_with_its_own_id(branch):
    events = [
        JourneyEvent(
            at=timezone.now(),
            kind=EventKind.CHECKED_IN,
            channel="kiosk",
            branch=branch,
            detail={"n": n, "ä": "ö"},
        )
        for n in range(3)
    ]
    insert(*events)
    assert [JourneyEvent.objects.get(pk=e.pk).detail for e in events] == [
        {"n": n, "ä": "ö"} for n in range(3)
    ]


def test_update_writes_only_the_named_fields(branch, service, anna):
    appointment = booked(
        branch=branch, service=service, advisor=anna, start=timezone.now() + dt.timedelta(hours=1)
    )
    now = timezone.now()
    appointment.status, appointment.checked_in_at = "checked_in", now
    appointment.code = "ZZZZ2222"  # not named: must not be written
    update(appointment, "status", "checked_in_at")
    appointment.refresh_from_db()
    assert (appointment.status, appointment.checked_in_at) == ("checked_in", now)
    assert appointment.code != "ZZZZ2222"


def issue(branch, service, now=None) -> Ticket:
    with transaction.atomic():
        return ticket_issue(
            branch=branch, service=service, kind=TicketKind.WALK_IN, now=now or timezone.now()
        )


def test_the_first_number_of_the_day_has_three_digits(branch, service):
    ticket = issue(branch, service)
    assert ticket.number == f"{service.ticket_prefix}001"
    assert Ticket.objects.get(pk=ticket.pk).number == ticket.number


def test_numbers_past_999_keep_every_digit(branch, service):
    now = timezone.now()
    TicketCounter.objects.create(
        branch=branch, day=branch.local_date(now), prefix=service.ticket_prefix, last=999
    )
    numbers = [issue(branch, service, now).number for _ in range(2)]
    assert numbers == [f"{service.ticket_prefix}1000", f"{service.ticket_prefix}1001"]


def test_an_issued_ticket_is_recorded_with_its_number(branch, service):
    ticket = issue(branch, service)
    event = JourneyEvent.objects.get(ticket=ticket, kind=EventKind.TICKET_ISSUED)
    assert event.detail["number"] == ticket.number


@pytest.mark.postgres
def test_a_chain_stores_what_separate_writes_store(branch, service, anna):
    if not chains_writes():
        pytest.skip("one statement of several writes needs PostgreSQL")
    appointment = booked(
        branch=branch, service=service, advisor=anna, start=timezone.now() + dt.timedelta(hours=1)
    )
    chained = a_ticket(branch, service, anna, number="A001")
    appointment.status = "checked_in"
    event = JourneyEvent(
        at=timezone.now(), kind=EventKind.CHECKED_IN, channel="kiosk", branch=branch, detail={}
    )
    chain = Chain()
    chain.insert("ticket", chained)
    chain.update("changed", appointment, "status")
    chain.insert("journey", event, expressions=[{"ticket": "(SELECT id FROM ticket)"}])
    chain.run()
    inserted = a_ticket(branch, service, anna, number="A002")
    insert(inserted)
    own = {"number": inserted.number, "status_token": inserted.status_token}
    assert {**stored(chained), **own} == stored(inserted)
    assert JourneyEvent.objects.get(pk=event.pk).ticket_id == chained.pk
    appointment.refresh_from_db()
    assert appointment.status == "checked_in"
