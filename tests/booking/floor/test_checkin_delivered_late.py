"""Check-ins an offline kiosk delivers later: the real arrival time, exactly once."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from booking.exceptions import Conflict, Invalid
from booking.models import (
    Appointment,
    AppointmentStatus,
    EventKind,
    JourneyEvent,
    Ticket,
    TicketKind,
)
from booking.services.checkin import checkin_at_kiosk
from booking.services.queue import walk_in_take

pytestmark = pytest.mark.django_db


def at(appointment, minutes: float) -> dt.datetime:
    return appointment.start + dt.timedelta(minutes=minutes)


def deliver(device, appointment, *, arrived: float, delivered: float, client_id=None):
    return checkin_at_kiosk(
        device=device,
        code=appointment.code,
        arrived_at=at(appointment, arrived),
        now=at(appointment, delivered),
        client_id=client_id or uuid.uuid4(),
    )


def test_the_visit_is_recorded_at_the_time_the_visitor_arrived(device, make_appointment):
    appointment = make_appointment()
    result = deliver(device, appointment, arrived=-7, delivered=25)
    appointment.refresh_from_db()
    assert appointment.checked_in_at == at(appointment, -7)
    assert result.ticket.queued_at == at(appointment, -7)
    checked_in = JourneyEvent.objects.get(kind=EventKind.CHECKED_IN)
    assert checked_in.at == at(appointment, -7)
    assert checked_in.detail["minutes_early"] == 7
    assert checked_in.detail["delivered_at"]
    assert JourneyEvent.objects.get(kind=EventKind.TICKET_ISSUED).at == at(appointment, -7)


def test_the_arrival_class_comes_from_the_arrival_not_the_delivery(device, make_appointment):
    appointment = make_appointment()
    result = deliver(device, appointment, arrived=-3, delivered=40)
    assert result.arrival == "early"
    assert result.ticket.kind == TicketKind.APPOINTMENT


def test_a_late_arrival_is_late_however_soon_it_is_delivered(device, make_appointment):
    appointment = make_appointment()
    result = deliver(device, appointment, arrived=15, delivered=16)
    assert result.arrival == "late"
    assert result.ticket.kind == TicketKind.WALK_IN


def test_the_check_in_window_applies_at_the_arrival(device, make_appointment):
    appointment = make_appointment(minutes=90)
    with pytest.raises(Conflict) as error:
        deliver(device, appointment, arrived=-70, delivered=-50)
    assert error.value.code == "too_early"


def test_the_same_client_id_again_gives_the_same_ticket_and_records_once(device, make_appointment):
    appointment = make_appointment()
    client_id = uuid.uuid4()
    first = deliver(device, appointment, arrived=-5, delivered=2, client_id=client_id)
    again = deliver(device, appointment, arrived=-5, delivered=3, client_id=client_id)
    assert again.ticket.id == first.ticket.id
    assert again.repeated
    assert Ticket.objects.get().client_id == client_id
    assert JourneyEvent.objects.filter(kind=EventKind.CHECKED_IN).count() == 1


def test_a_resend_after_the_visit_was_served_still_answers_its_ticket(device, make_appointment):
    appointment = make_appointment()
    client_id = uuid.uuid4()
    first = deliver(device, appointment, arrived=-5, delivered=2, client_id=client_id)
    Ticket.objects.filter(id=first.ticket.id).update(status="done")
    Appointment.objects.filter(id=appointment.id).update(status=AppointmentStatus.SERVED)
    again = deliver(device, appointment, arrived=-5, delivered=60, client_id=client_id)
    assert again.ticket.id == first.ticket.id


def test_a_visit_marked_no_show_meanwhile_refuses_the_late_check_in(device, make_appointment):
    appointment = make_appointment()
    appointment.status = AppointmentStatus.NO_SHOW
    appointment.save(update_fields=["status"])
    with pytest.raises(Conflict) as error:
        deliver(device, appointment, arrived=-5, delivered=40)
    assert error.value.code == "marked_no_show"
    assert not Ticket.objects.exists()


def test_a_visit_served_without_a_check_in_refuses_the_late_check_in(device, make_appointment):
    appointment = make_appointment()
    appointment.status = AppointmentStatus.SERVED
    appointment.save(update_fields=["status"])
    with pytest.raises(Conflict) as error:
        deliver(device, appointment, arrived=-5, delivered=40)
    assert error.value.code == "already_served"


def test_a_check_in_delivered_after_its_day_is_refused(device, make_appointment):
    appointment = make_appointment()
    with pytest.raises(Conflict) as error:
        deliver(device, appointment, arrived=-5, delivered=20 * 60)
    assert error.value.code == "visit_over"


def test_a_check_in_more_than_a_day_old_is_invalid(device, make_appointment):
    appointment = make_appointment()
    with pytest.raises(Invalid) as error:
        deliver(device, appointment, arrived=-5, delivered=-5 + 24 * 60 + 1)
    assert error.value.field == "checked_in_at"


def test_a_kiosk_clock_more_than_ten_minutes_ahead_is_not_believed(device, make_appointment):
    appointment = make_appointment()
    with pytest.raises(Invalid):
        deliver(device, appointment, arrived=-5, delivered=-5 - 10.5)


def test_a_kiosk_clock_six_minutes_ahead_counts_as_now(device, make_appointment):
    appointment = make_appointment()
    result = deliver(device, appointment, arrived=-4, delivered=-10)
    assert result.ticket.queued_at == at(appointment, -10)


def test_a_client_id_of_another_request_is_a_conflict(device, make_appointment, branch, service):
    appointment = make_appointment()
    client_id = uuid.uuid4()
    walk_in_take(branch=branch, service=service, client_id=client_id)
    with pytest.raises(Conflict) as error:
        deliver(device, appointment, arrived=-5, delivered=-4, client_id=client_id)
    assert error.value.code == "client_id_reused"


def test_the_api_takes_client_id_and_checked_in_at(kiosk, make_appointment):
    appointment = make_appointment(minutes=10)
    arrived = (appointment.start - dt.timedelta(minutes=25)).isoformat()
    body = {"code": appointment.code, "client_id": str(uuid.uuid4()), "checked_in_at": arrived}
    first = kiosk.post("/api/v1/kiosk/check-in/", body, format="json")
    again = kiosk.post("/api/v1/kiosk/check-in/", body, format="json")
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["ticket"]["id"] == again.json()["ticket"]["id"]
    created = dt.datetime.fromisoformat(first.json()["ticket"]["created"])
    assert created == dt.datetime.fromisoformat(arrived).replace(microsecond=0)


def test_the_api_answers_a_stale_check_in_with_400_and_detail(kiosk, make_appointment):
    appointment = make_appointment(minutes=10)
    stale = (appointment.start - dt.timedelta(days=2)).isoformat()
    response = kiosk.post(
        "/api/v1/kiosk/check-in/",
        {"code": appointment.code, "client_id": str(uuid.uuid4()), "checked_in_at": stale},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert "checked_in_at" in response.json()["errors"]


@pytest.mark.parametrize("field,bad", [("client_id", "not-a-uuid"), ("checked_in_at", "noon")])
def test_malformed_resend_fields_are_400(kiosk, make_appointment, field, bad):
    appointment = make_appointment(minutes=10)
    response = kiosk.post(
        "/api/v1/kiosk/check-in/", {"code": appointment.code, field: bad}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_check_in_answer_names_the_language_the_customer_booked_in(kiosk, make_appointment):
    appointment = make_appointment(minutes=10)
    appointment.language = "en"
    appointment.save(update_fields=["language"])
    body = kiosk.post("/api/v1/kiosk/check-in/", {"code": appointment.code}, format="json").json()
    assert body["language"] == "en"
