"""The hand-written read of a kiosk scan agrees with what the ORM says."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.models import Absence, Appointment, Ticket, TicketKind
from booking.selectors.checkin import visit_locked
from booking.selectors.queue import ticket_place
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db


def lookup(code: str, now: dt.datetime | None = None) -> Appointment | None:
    with transaction.atomic():
        return visit_locked(code, now or timezone.now())


def test_an_unknown_code_finds_nothing(make_appointment):
    make_appointment()
    assert lookup("ZZZZ2222") is None


def test_the_read_matches_the_stored_appointment_field_by_field(make_appointment):
    appointment = make_appointment(minutes=20)
    found = lookup(appointment.code)
    stored = Appointment.objects.select_related("service", "advisor", "customer").get(
        id=appointment.id
    )
    for name in ("id", "code", "status", "start", "end", "checked_in_at", "branch_id"):
        assert getattr(found, name) == getattr(stored, name), name
    assert found.start.tzinfo is not None
    assert found.service.ticket_prefix == stored.service.ticket_prefix
    assert found.service.display_name == stored.service.display_name
    assert (found.advisor.name, found.advisor.location) == ("Anna Weber", "Raum 2")
    assert found.customer.first_name == "Lukas"


def test_a_live_booking_wins_over_older_uses_of_its_code(make_appointment):
    make_appointment(minutes=-3 * 24 * 60, code="ABCD2345", status="served")
    live = make_appointment(minutes=-2 * 24 * 60, code="ABCD2345")
    make_appointment(minutes=20, code="ABCD2345", status="cancelled")
    assert lookup("ABCD2345").id == live.id


def test_without_a_live_booking_the_latest_use_of_a_code_counts(make_appointment):
    make_appointment(minutes=-24 * 60, code="ABCD2345", status="served")
    latest = make_appointment(minutes=20, code="ABCD2345", status="cancelled")
    assert lookup("ABCD2345").id == latest.id


def test_the_read_tells_whether_the_advisor_is_away(make_appointment, anna):
    appointment = make_appointment(minutes=20)
    now = timezone.now()
    assert lookup(appointment.code, now).advisor_away is False
    Absence.objects.create(advisor=anna, start=now - dt.timedelta(hours=1), end=now)
    assert lookup(appointment.code, now).advisor_away is False  # the absence just ended
    Absence.objects.create(advisor=anna, start=now, end=now + dt.timedelta(hours=1))
    assert lookup(appointment.code, now).advisor_away is True


def test_an_inactive_advisor_counts_as_away(make_appointment, anna):
    appointment = make_appointment(minutes=20)
    anna.active = False
    anna.save()
    assert lookup(appointment.code).advisor_away is True


@pytest.fixture
def device(device):
    device.branch.checkin_early_minutes = 4 * 60
    device.branch.save()
    return device


def test_only_the_advisors_earlier_waiting_appointments_are_ahead(device, make_appointment, jonas):
    for minutes in (40, 80, 200):
        checkin_at_kiosk(device=device, code=make_appointment(minutes=minutes).code)
    checkin_at_kiosk(device=device, code=make_appointment(minutes=10, advisor=jonas).code)
    called = Ticket.objects.get(appointment__start__gt=timezone.now() + dt.timedelta(minutes=150))
    called.status = "called"
    called.save()
    assert lookup(make_appointment(minutes=120).code).waiting_ahead == 2


def test_the_place_given_at_check_in_is_the_place_the_queue_shows(device, make_appointment):
    for minutes in (120, 40, 80, 160):
        result = checkin_at_kiosk(device=device, code=make_appointment(minutes=minutes).code)
        assert result.ticket.kind == TicketKind.APPOINTMENT
        assert result.place == ticket_place(result.ticket, timezone.now())


def test_a_late_check_in_reads_the_booking_and_its_service_only_once(device, make_appointment):
    appointment = make_appointment(minutes=-30)
    Appointment.objects.filter(id=appointment.id).update(contact_phone="+491701234567")
    with CaptureQueriesContext(connection) as captured:
        result = checkin_at_kiosk(device=device, code=appointment.code)
    assert (result.arrival, result.ticket.kind) == ("late", TicketKind.WALK_IN)
    # A field the lookup left out would be loaded by a query of this shape.
    read_again = re.compile(r'FROM "booking_(service|appointment)" WHERE "booking_\1"."id" =')
    assert not [q["sql"] for q in captured.captured_queries if read_again.search(q["sql"])]
