"""Booking on behalf of a caller or a visitor at the desk, and the visit's topic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from booking.models import Appointment, Channel, EventKind, JourneyEvent
from booking.selectors.analytics import Period, funnel
from booking.services import queue
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db

URL = "/api/v1/branches/mitte/appointments/"


@pytest.fixture
def start(branch):
    """Tomorrow at 10:00 where the branch is (its advisors work around the clock)."""
    day = branch.local_date(timezone.now()) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10), tzinfo=branch.tz)


def body(start, **overrides):
    data = {
        "service": "beratung",
        "start": start.isoformat(),
        "channel": "phone",
        "customer": {"name": "Lukas Meier", "email": "lukas@example.org", "phone": "+49 170 1"},
    }
    data.update(overrides)
    return data


def book(api, start, **overrides):
    return api.post(URL, body(start, **overrides), format="json")


def test_staff_book_for_a_caller_and_get_the_appointment(staff_api, anna, start):
    response = book(staff_api, start)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["status"] == "booked"
    assert answer["customer"] == {"first_name": "Lukas"}
    assert answer["code"] and answer["manage_token"]
    appointment = Appointment.objects.get(id=answer["id"])
    assert appointment.channel == Channel.PHONE
    assert appointment.contact_email == "lukas@example.org"


def test_the_journey_records_the_channel(staff_api, anna, start):
    appointment_id = book(staff_api, start, channel="desk").json()["id"]
    event = JourneyEvent.objects.get(appointment_id=appointment_id, kind=EventKind.BOOKED)
    assert event.channel == Channel.DESK


def test_the_customer_gets_the_same_confirmation_as_online(
    staff_api, anna, start, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(staff_api, start)
    assert [message.to for message in mail.outbox] == [["lukas@example.org"]]


def test_the_funnel_counts_bookings_by_channel(staff_api, anna, start, branch):
    book(staff_api, start, channel="phone")
    book(staff_api, start + dt.timedelta(hours=1), channel="desk")
    day = branch.local_date(start)
    period = Period(branch, day, day)
    assert funnel(period, channel="phone")["steps"][0]["count"] == 1
    assert funnel(period, channel="desk")["steps"][0]["count"] == 1
    assert funnel(period)["steps"][0]["count"] == 2


def test_the_same_rules_hold_a_taken_slot_is_409(staff_api, anna, start):
    assert book(staff_api, start, advisor=anna.id).status_code == 201
    response = book(staff_api, start, advisor=anna.id)
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"


def test_the_same_rules_hold_a_time_in_the_past_is_400(staff_api, anna, start):
    response = book(staff_api, start - dt.timedelta(days=3))
    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize("channel", [None, "web", "kiosk", "fax"])
def test_the_channel_must_be_phone_or_desk(staff_api, anna, start, channel):
    data = body(start)
    if channel is None:
        del data["channel"]
    else:
        data["channel"] = channel
    response = staff_api.post(URL, data, format="json")
    assert response.status_code == 400
    assert "channel" in response.json()["errors"]


def test_a_branch_in_the_body_other_than_the_address_is_400(staff_api, anna, start, other_branch):
    response = book(staff_api, start, branch="altona")
    assert response.status_code == 400
    assert "branch" in response.json()["errors"]


def test_the_branch_of_the_address_may_be_repeated_in_the_body(staff_api, anna, start):
    assert book(staff_api, start, branch="mitte").status_code == 201


def test_an_advisor_of_another_branch_gets_404(stranger_api, anna, start):
    assert book(stranger_api, start).status_code == 404
    assert not Appointment.objects.exists()


def test_an_idempotency_key_makes_a_resent_booking_return_the_same(staff_api, anna, start):
    first = staff_api.post(URL, body(start), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = staff_api.post(URL, body(start), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"


# --- the visit's topic -------------------------------------------------------------------


def test_a_staff_booking_keeps_the_topic(staff_api, anna, start):
    answer = book(staff_api, start, topic="Riester-Rente prüfen").json()
    assert answer["topic"] == "Riester-Rente prüfen"
    assert Appointment.objects.get(id=answer["id"]).topic == "Riester-Rente prüfen"


def test_the_public_booking_takes_a_topic(api, anna, start):
    data = body(start, branch="mitte", topic="Baufinanzierung")
    del data["channel"]
    response = api.post("/api/v1/appointments/", data, format="json")
    assert response.status_code == 201, response.content
    assert Appointment.objects.get(id=response.json()["id"]).topic == "Baufinanzierung"


def test_control_and_bidi_characters_are_removed_from_the_topic(staff_api, anna, start):
    topic = "Kredit\x1b \u202eumschulden\x07\r\nund Konto"
    answer = book(staff_api, start, topic=topic).json()
    assert Appointment.objects.get(id=answer["id"]).topic == "Kredit umschulden\nund Konto"


def test_a_nul_character_in_the_topic_is_400_not_500(staff_api, anna, start):
    response = book(staff_api, start, topic="Kredit\x00")
    assert response.status_code == 400
    assert "topic" in response.json()["errors"]


def test_a_topic_of_500_characters_is_fine_and_501_is_400(staff_api, anna, start):
    assert book(staff_api, start, topic="x" * 500).status_code == 201
    response = book(staff_api, start + dt.timedelta(hours=1), topic="x" * 501)
    assert response.status_code == 400
    assert "topic" in response.json()["errors"]


def test_the_topic_is_optional(staff_api, anna, start):
    answer = book(staff_api, start).json()
    assert Appointment.objects.get(id=answer["id"]).topic == ""


def test_the_advisor_sees_the_topic_with_the_visitors_history(staff_api, device, make_appointment):
    appointment = make_appointment(minutes=20)
    Appointment.objects.filter(id=appointment.id).update(topic="Riester-Rente prüfen")
    ticket = checkin_at_kiosk(device=device, code=appointment.code).ticket
    body = staff_api.get(f"/api/v1/tickets/{ticket.id}/history/").json()
    assert body["topic"] == "Riester-Rente prüfen"
    assert body["visits"] == []


def test_a_walk_in_has_no_topic_in_its_history(staff_api, anna, branch, service):
    ticket = queue.walk_in_take(branch=branch, service=service)
    assert staff_api.get(f"/api/v1/tickets/{ticket.id}/history/").json()["topic"] == ""


def test_erasing_the_customer_removes_the_topic(manager_api, make_appointment):
    appointment = make_appointment(minutes=20)
    Appointment.objects.filter(id=appointment.id).update(topic="Scheidung, Konto trennen")
    response = manager_api.post(f"/api/v1/customers/{appointment.customer_id}/erase/")
    assert response.status_code == 200
    assert Appointment.objects.get(id=appointment.id).topic == ""
