"""The public API as a client uses it: shapes, status codes and error bodies."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from booking.models import Appointment, AppointmentStatus
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return next_weekday(2)


def booking_body(day, hour=10, minute=0, **overrides):
    body = {
        "branch": "mitte",
        "service": "beratung",
        "start": local(day, hour, minute).isoformat(),
        "customer": {"name": "Lukas Meier", "email": "lukas@example.org"},
    }
    body.update(overrides)
    return body


@pytest.fixture
def booked(api, day, anna):
    response = api.post("/api/v1/appointments/", booking_body(day), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_branches_list_address_time_zone_and_opening_hours(api, branch):
    branch.opening_hours.create(weekday=0, opens=dt.time(9), closes=dt.time(17))
    body = api.get("/api/v1/branches/").json()
    assert body["count"] == 1
    first = body["results"][0]
    assert first["slug"] == "mitte"
    assert first["timezone"] == "Europe/Berlin"
    assert first["address"] == "Friedrichstraße 1, 10117 Berlin"
    assert first["opening_hours"] == [{"weekday": 0, "opens": "09:00", "closes": "17:00"}]


def test_services_of_a_branch_have_slug_name_and_duration(api, service):
    body = api.get("/api/v1/branches/mitte/services/").json()
    assert body["results"][0] == {
        "slug": "beratung",
        "name": "Beratung",
        "description": "",
        "duration": 30,
        "online_bookable": True,
        "walk_in": True,
    }


def test_service_names_follow_the_request_language(api, service):
    body = api.get("/api/v1/branches/mitte/services/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["results"][0]["name"] == "Advice"


def test_services_of_an_unknown_branch_are_404(api, db):
    response = api.get("/api/v1/branches/nowhere/services/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_availability_lists_slots_with_local_offsets_and_advisors(api, day, anna):
    response = api.get(f"/api/v1/branches/mitte/availability/?service=beratung&from={day}&to={day}")
    body = response.json()
    assert response.status_code == 200
    assert body["slots"][0] == {
        "start": local(day, 9).isoformat(),
        "end": local(day, 9, 30).isoformat(),
        "advisors": [anna.id],
    }
    assert body["advisors"] == [{"id": anna.id, "name": "Anna Weber"}]


def test_a_slot_booked_through_the_api_is_gone_from_the_next_availability_answer(api, day, anna):
    url = f"/api/v1/branches/mitte/availability/?service=beratung&from={day}&to={day}"
    ten = local(day, 10).isoformat()
    assert ten in [slot["start"] for slot in api.get(url).json()["slots"]]
    assert api.post("/api/v1/appointments/", booking_body(day), format="json").status_code == 201
    assert ten not in [slot["start"] for slot in api.get(url).json()["slots"]]


def test_a_slot_cancelled_through_the_api_is_back_in_the_next_availability_answer(api, day, booked):
    url = f"/api/v1/branches/mitte/availability/?service=beratung&from={day}&to={day}"
    ten = local(day, 10).isoformat()
    assert ten not in [slot["start"] for slot in api.get(url).json()["slots"]]
    cancel = api.post(f"/api/v1/appointments/{booked['manage_token']}/cancel/")
    assert cancel.status_code == 200
    assert ten in [slot["start"] for slot in api.get(url).json()["slots"]]


def test_availability_without_service_is_a_400_naming_the_field(api, branch, day):
    response = api.get(f"/api/v1/branches/mitte/availability/?from={day}")
    assert response.status_code == 400
    assert "service" in response.json()["errors"]
    assert response.json()["detail"]


def test_availability_with_a_bad_date_is_a_400(api, service, anna):
    response = api.get("/api/v1/branches/mitte/availability/?service=beratung&from=tomorrow")
    assert response.status_code == 400
    assert "from" in response.json()["errors"]


def test_availability_for_too_many_days_is_a_400(api, service, anna, day):
    to = day + dt.timedelta(days=100)
    response = api.get(f"/api/v1/branches/mitte/availability/?service=beratung&from={day}&to={to}")
    assert response.status_code == 400


def test_booking_returns_the_appointment(booked, day, anna):
    assert booked["branch"] == "mitte"
    assert booked["service"] == "beratung"
    assert booked["advisor"] == {"id": anna.id, "name": "Anna Weber"}
    assert booked["start"] == local(day, 10).isoformat()
    assert booked["end"] == local(day, 10, 30).isoformat()
    assert booked["status"] == "booked"
    assert booked["customer"] == {"first_name": "Lukas"}
    assert len(booked["code"]) == 8
    assert len(booked["manage_token"]) >= 43


def test_booking_a_taken_slot_is_a_409_with_detail(api, booked, day):
    response = api.post("/api/v1/appointments/", booking_body(day), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert response.json()["detail"]


def test_a_retry_with_the_same_idempotency_key_returns_the_same_booking(api, day, anna):
    headers = {"HTTP_IDEMPOTENCY_KEY": "3b0d7a4e-retry"}
    first = api.post("/api/v1/appointments/", booking_body(day), format="json", **headers)
    again = api.post("/api/v1/appointments/", booking_body(day), format="json", **headers)
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"branch": "nowhere"}, "branch"),
        ({"service": "nothing"}, "service"),
        ({"start": "next tuesday"}, "start"),
        ({"customer": {"name": "Lukas"}}, "customer.email"),
        ({"customer": {"name": "Lukas", "email": "not-an-address"}}, "customer.email"),
        ({"customer": {"email": "l@example.org"}}, "customer.name"),
        (
            {"customer": {"name": "L", "email": "l@example.org", "phone": "call me"}},
            "customer.phone",
        ),
        (
            {"customer": {"name": "L", "email": "l@example.org", "language": "fr"}},
            "customer.language",
        ),
        ({"advisor": 999999}, "advisor"),
    ],
)
def test_bad_booking_input_is_a_400_naming_the_field(api, day, anna, change, field):
    response = api.post("/api/v1/appointments/", booking_body(day, **change), format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"]


def test_a_start_off_the_grid_is_a_400(api, day, anna):
    response = api.post("/api/v1/appointments/", booking_body(day, 10, 7), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "off_grid"
    assert "start" in response.json()["errors"]


def test_a_start_in_the_past_is_a_400(api, anna):
    past = next_weekday(2, weeks_ahead=-2)
    response = api.post("/api/v1/appointments/", booking_body(past), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "in_past"


def test_malformed_json_is_a_400_with_detail(api, branch):
    response = api.post("/api/v1/appointments/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert response.json()["errors"]


def test_a_json_list_instead_of_an_object_is_a_400(api, branch):
    response = api.post("/api/v1/appointments/", [1, 2], format="json")
    assert response.status_code == 400


def test_errors_speak_the_request_language(api, branch):
    german = api.post("/api/v1/appointments/", {}, format="json", HTTP_ACCEPT_LANGUAGE="de")
    english = api.post("/api/v1/appointments/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert german.json()["detail"] != english.json()["detail"]
    assert "Please check your input" in english.json()["detail"]


def test_the_manage_link_reads_the_appointment(api, booked):
    response = api.get(f"/api/v1/appointments/{booked['manage_token']}/")
    assert response.status_code == 200
    assert response.json()["id"] == booked["id"]


def test_a_wrong_manage_token_is_a_404(api, booked):
    response = api.get("/api/v1/appointments/not-the-token/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_rescheduling_through_the_manage_link(api, booked, day):
    response = api.patch(
        f"/api/v1/appointments/{booked['manage_token']}/",
        {"start": local(day, 14).isoformat()},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["start"] == local(day, 14).isoformat()


def test_rescheduling_into_a_taken_slot_is_a_409(api, booked, day):
    api.post(
        "/api/v1/appointments/",
        booking_body(day, 14, customer={"name": "Eva", "email": "e@example.org"}),
        format="json",
    )
    response = api.patch(
        f"/api/v1/appointments/{booked['manage_token']}/",
        {"start": local(day, 14).isoformat()},
        format="json",
    )
    assert response.status_code == 409


def test_cancelling_through_the_manage_link_frees_the_slot(api, booked, day):
    response = api.post(f"/api/v1/appointments/{booked['manage_token']}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    again = api.post("/api/v1/appointments/", booking_body(day), format="json")
    assert again.status_code == 201


def test_the_qr_code_is_a_png(api, booked):
    response = api.get(f"/api/v1/appointments/{booked['manage_token']}/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_the_qr_code_holds_the_check_in_code(api, booked):
    cv2 = pytest.importorskip("cv2")
    import numpy as np

    response = api.get(f"/api/v1/appointments/{booked['manage_token']}/qr.png")
    image = cv2.imdecode(np.frombuffer(response.content, np.uint8), cv2.IMREAD_GRAYSCALE)
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert text == booked["code"]


def test_the_calendar_file_is_icalendar(api, booked, day):
    response = api.get(f"/api/v1/appointments/{booked['manage_token']}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == local(day, 10)


def test_a_cancelled_appointment_still_reads_with_its_status(api, booked):
    Appointment.objects.filter(id=booked["id"]).update(status=AppointmentStatus.CANCELLED)
    assert (
        api.get(f"/api/v1/appointments/{booked['manage_token']}/").json()["status"] == "cancelled"
    )


def test_bookings_are_throttled_per_ip_with_retry_after(api, day, anna, settings):
    settings.THROTTLES = {**settings.THROTTLES, "booking": "2/60"}
    for _ in range(2):
        api.post("/api/v1/appointments/", {}, format="json")
    response = api.post("/api/v1/appointments/", {}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]


def test_an_unknown_api_path_is_a_json_404(api, db):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_wrong_method_is_a_405_with_detail(api, branch):
    response = api.delete("/api/v1/branches/")
    assert response.status_code == 405
    assert response.json()["detail"]


def test_an_unreachable_database_is_a_503_not_a_500(api, branch, monkeypatch):
    from django.db import OperationalError

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("booking.api.views_public.BranchListView.get_queryset", unreachable)
    response = api.get("/api/v1/branches/")
    assert response.status_code == 503
    assert response.json()["detail"]
    assert response["Retry-After"]
