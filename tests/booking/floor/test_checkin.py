"""Check-in at the kiosk: the arrival policy, routing and repeated scans."""

from __future__ import annotations

import datetime as dt

import pytest

from booking.exceptions import Conflict, NotFound, Throttled
from booking.models import (
    Absence,
    AppointmentStatus,
    EventKind,
    JourneyEvent,
    LatePolicy,
    Ticket,
    TicketKind,
)
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db


def at(appointment, minutes: int) -> dt.datetime:
    """A moment relative to the appointment's start."""
    return appointment.start + dt.timedelta(minutes=minutes)


def test_an_on_time_visitor_gets_a_ticket_for_their_advisor(device, make_appointment, anna):
    appointment = make_appointment()
    result = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -5))
    assert result.ticket.kind == TicketKind.APPOINTMENT
    assert result.ticket.advisor == anna
    assert result.arrival == "early"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN


def test_the_message_says_who_meets_the_visitor_where_and_when(device, make_appointment):
    appointment = make_appointment()
    result = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -5))
    local = appointment.start.astimezone(appointment.branch.tz).strftime("%H:%M")
    assert "Anna Weber" in result.message
    assert "Raum 2" in result.message
    assert local in result.message


def test_codes_are_accepted_in_any_case_with_spaces_and_dashes(device, make_appointment):
    appointment = make_appointment(code="ABCD2345")
    result = checkin_at_kiosk(device=device, code=" abcd-2345 ", now=at(appointment, -5))
    assert result.appointment.id == appointment.id


def test_checking_in_twice_returns_the_same_ticket(device, make_appointment):
    appointment = make_appointment()
    first = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -5))
    again = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -4))
    assert again.ticket.id == first.ticket.id
    assert again.repeated
    assert Ticket.objects.count() == 1


def test_up_to_the_grace_period_late_counts_as_on_time(device, make_appointment):
    appointment = make_appointment()
    result = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, 10))
    assert result.arrival == "on_time"
    assert result.ticket.kind == TicketKind.APPOINTMENT


def test_a_later_arrival_becomes_a_priority_walk_in_for_the_same_service(device, make_appointment):
    appointment = make_appointment()
    result = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, 11))
    assert result.arrival == "late"
    assert result.ticket.kind == TicketKind.WALK_IN
    assert result.ticket.priority
    assert result.ticket.service_id == appointment.service_id
    assert result.ticket.advisor is None


def test_a_branch_may_refuse_late_arrivals(device, make_appointment, branch):
    branch.late_policy = LatePolicy.REFUSE
    branch.save()
    appointment = make_appointment()
    with pytest.raises(Conflict) as error:
        checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, 30))
    assert error.value.code == "too_late"


def test_a_late_arrival_after_the_no_show_sweep_still_gets_a_ticket(device, make_appointment):
    appointment = make_appointment(status=AppointmentStatus.NO_SHOW)
    result = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, 25))
    assert result.arrival == "late"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN


def test_check_in_opens_an_hour_before(device, make_appointment):
    appointment = make_appointment()
    with pytest.raises(Conflict) as error:
        checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -61))
    assert error.value.code == "too_early"
    checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -60))


def test_an_unknown_code_is_not_found(device, make_appointment):
    with pytest.raises(NotFound) as error:
        checkin_at_kiosk(device=device, code="ZZZZ9999")
    assert error.value.code == "unknown_code"


def test_a_cancelled_appointment_gets_a_clear_conflict(device, make_appointment):
    appointment = make_appointment(status=AppointmentStatus.CANCELLED)
    with pytest.raises(Conflict) as error:
        checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -5))
    assert error.value.code == "cancelled"
    assert "storniert" in error.value.message


def test_an_appointment_on_another_day_says_when_it_is(device, make_appointment):
    appointment = make_appointment(minutes=3 * 24 * 60)
    with pytest.raises(Conflict) as error:
        checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -3 * 24 * 60))
    assert error.value.code == "wrong_day"
    assert (
        appointment.start.astimezone(appointment.branch.tz).strftime("%H:%M") in error.value.message
    )


def test_an_appointment_at_another_branch_names_that_branch(device, make_appointment, other_branch):
    appointment = make_appointment(at_branch=other_branch)
    with pytest.raises(Conflict) as error:
        checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -5))
    assert error.value.code == "wrong_branch"
    assert other_branch.name in error.value.message


def test_an_absent_advisor_hands_the_visitor_to_a_colleague(device, make_appointment, anna, jonas):
    appointment = make_appointment()
    Absence.objects.create(advisor=anna, start=at(appointment, -120), end=at(appointment, 120))
    result = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -5))
    assert result.ticket.advisor == jonas
    assert "Jonas Becker" in result.message


def test_with_no_colleague_the_visitor_waits_for_whoever_offers_the_service(
    device, make_appointment, anna
):
    appointment = make_appointment()
    Absence.objects.create(advisor=anna, start=at(appointment, -120), end=at(appointment, 120))
    result = checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -5))
    assert result.ticket.advisor is None
    assert result.ticket.number in result.message


def test_wrong_codes_are_limited_per_kiosk(device, settings):
    settings.THROTTLES = {**settings.THROTTLES, "wrong_code": "3/600"}
    for _ in range(3):
        with pytest.raises(NotFound):
            checkin_at_kiosk(device=device, code="ZZZZ9999")
    with pytest.raises(Throttled) as error:
        checkin_at_kiosk(device=device, code="ZZZZ9999")
    assert error.value.retry_after > 0


def test_once_throttled_even_a_right_code_waits(device, make_appointment, settings):
    settings.THROTTLES = {**settings.THROTTLES, "wrong_code": "2/600"}
    appointment = make_appointment()
    for _ in range(2):
        with pytest.raises(NotFound):
            checkin_at_kiosk(device=device, code="ZZZZ9999")
    with pytest.raises(Throttled):
        checkin_at_kiosk(device=device, code=appointment.code)


def test_right_codes_do_not_count_against_the_limit(device, make_appointment, settings):
    settings.THROTTLES = {**settings.THROTTLES, "wrong_code": "1/600"}
    appointment = make_appointment()
    for _ in range(3):
        checkin_at_kiosk(device=device, code=appointment.code)


def test_check_in_and_ticket_are_journey_events(device, make_appointment):
    appointment = make_appointment()
    checkin_at_kiosk(device=device, code=appointment.code, now=at(appointment, -12))
    events = JourneyEvent.objects.filter(appointment=appointment)
    checked_in = events.get(kind=EventKind.CHECKED_IN)
    assert checked_in.channel == "kiosk"
    assert checked_in.detail["minutes_early"] == 12
    assert events.filter(kind=EventKind.TICKET_ISSUED).exists()
