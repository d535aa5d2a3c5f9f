"""Checking a visitor in at the desk: the kiosk's rules and answer, recorded as staff."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from booking.models import AppointmentStatus, Channel, EventKind, JourneyEvent, Ticket
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db


def check_in(api, appointment_id: int):
    return api.post(f"/api/v1/appointments/{appointment_id}/check-in/")


def test_the_desk_checks_a_visitor_in_with_a_ticket_for_their_advisor(
    staff_api, make_appointment, anna
):
    appointment = make_appointment(minutes=20)
    response = check_in(staff_api, appointment.id)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ticket"]["kind"] == "appointment"
    assert body["advisor"] == {"id": anna.id, "name": "Anna Weber"}
    assert (body["first_name"], body["arrival"], body["repeated"]) == ("Lukas", "early", False)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN


def test_the_answer_is_the_kiosks_answer(staff_api, make_appointment, device_token):
    kiosk = APIClient(HTTP_AUTHORIZATION=f"Device {device_token}")
    at_kiosk = kiosk.post(
        "/api/v1/kiosk/check-in/", {"code": make_appointment(minutes=20).code}, format="json"
    ).json()
    at_desk = check_in(staff_api, make_appointment(minutes=55).id).json()
    assert set(at_desk) == set(at_kiosk)
    assert set(at_desk["ticket"]) >= set(at_kiosk["ticket"])


def test_the_message_says_who_meets_the_visitor_where_and_when(staff_api, make_appointment):
    appointment = make_appointment(minutes=20)
    message = check_in(staff_api, appointment.id).json()["message"]
    assert "Anna Weber" in message and "Raum 2" in message


def test_the_desk_sees_who_the_visitor_is(staff_api, make_appointment):
    appointment = make_appointment(minutes=20)
    body = check_in(staff_api, appointment.id).json()
    assert body["ticket"]["customer"]["name"] == "Lukas Meier"


def test_the_check_in_is_recorded_with_channel_staff_and_who_did_it(staff_api, make_appointment):
    appointment = make_appointment(minutes=20)
    check_in(staff_api, appointment.id)
    event = JourneyEvent.objects.get(appointment=appointment, kind=EventKind.CHECKED_IN)
    assert event.channel == Channel.STAFF
    assert event.detail["by"] == "anna"
    issued = JourneyEvent.objects.get(appointment=appointment, kind=EventKind.TICKET_ISSUED)
    assert issued.channel == Channel.STAFF
    assert Ticket.objects.get(appointment=appointment).channel == Channel.STAFF


def test_a_visitor_already_checked_in_gets_the_same_ticket(staff_api, make_appointment, device):
    appointment = make_appointment(minutes=20)
    first = checkin_at_kiosk(device=device, code=appointment.code).ticket
    response = check_in(staff_api, appointment.id)
    assert response.status_code == 200
    assert response.json()["ticket"]["id"] == first.id
    assert response.json()["repeated"] is True
    assert Ticket.objects.count() == 1


def test_pressing_check_in_twice_makes_one_ticket(staff_api, make_appointment):
    appointment = make_appointment(minutes=20)
    first = check_in(staff_api, appointment.id).json()
    again = check_in(staff_api, appointment.id).json()
    assert again["ticket"]["id"] == first["ticket"]["id"]
    assert Ticket.objects.count() == 1


def test_a_cancelled_booking_at_the_desk_is_409_with_what_to_do(staff_api, make_appointment):
    appointment = make_appointment(minutes=20, status="cancelled")
    response = check_in(staff_api, appointment.id)
    assert response.status_code == 409
    assert response.json()["code"] == "cancelled"
    assert response.json()["detail"]
    assert not Ticket.objects.exists()


def test_a_booking_of_another_day_is_409(staff_api, make_appointment):
    response = check_in(staff_api, make_appointment(minutes=3 * 24 * 60).id)
    assert response.status_code == 409
    assert response.json()["code"] == "wrong_day"


def test_a_booking_of_another_branch_is_404(staff_api, make_appointment, other_branch):
    elsewhere = make_appointment(minutes=20, at_branch=other_branch)
    response = check_in(staff_api, elsewhere.id)
    assert response.status_code == 404
    assert not Ticket.objects.exists()


def test_an_advisor_of_another_branch_gets_404(stranger_api, make_appointment):
    assert check_in(stranger_api, make_appointment(minutes=20).id).status_code == 404


def test_an_unknown_booking_is_404(staff_api, branch):
    assert check_in(staff_api, 999999).status_code == 404


def test_without_a_login_check_in_is_refused(api, make_appointment):
    assert check_in(api, make_appointment(minutes=20).id).status_code in (401, 403)


def test_the_desk_never_meets_the_kiosks_wrong_code_throttle(staff_api, make_appointment):
    statuses = {check_in(staff_api, 999999).status_code for _ in range(25)}
    assert statuses == {404}
    assert check_in(staff_api, make_appointment(minutes=20).id).status_code == 200
