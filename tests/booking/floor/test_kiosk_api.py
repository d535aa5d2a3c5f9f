"""The kiosk API as the Kivy app uses it."""

from __future__ import annotations

import uuid

import pytest
from rest_framework import serializers

from booking.models import DeviceMode, KioskDevice, Rating, Ticket
from booking.presenters import floor as p
from booking.selectors.queue import Place
from booking.services.devices import device_create, device_revoke

pytestmark = pytest.mark.django_db


def test_the_kiosk_learns_its_branch_mode_and_walk_in_services(kiosk, service):
    body = kiosk.get("/api/v1/kiosk/").json()
    assert body["branch"] == {"slug": "mitte", "name": "Filiale Mitte"}
    assert body["mode"] == "both"
    assert body["walk_in_services"] == [{"slug": "beratung", "name": "Beratung"}]
    assert body["languages"] == ["de", "en"]


def test_seen_devices_record_when(kiosk, service):
    kiosk.get("/api/v1/kiosk/")
    assert KioskDevice.objects.get().last_seen is not None


def test_without_a_token_the_kiosk_api_is_401(api, branch):
    response = api.get("/api/v1/kiosk/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_revoked_device_is_401(api, branch):
    device, token = device_create(branch=branch, name="Alt")
    device_revoke(device)
    api.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    response = api.get("/api/v1/kiosk/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_revoking_a_device_that_just_called_stops_it_at_once(api, branch):
    device, token = device_create(branch=branch, name="Tablet")
    api.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    assert api.get("/api/v1/kiosk/").status_code == 200
    device_revoke(KioskDevice.objects.get(id=device.id))
    assert api.get("/api/v1/kiosk/").status_code == 401


def test_a_new_token_retires_the_old_one_at_once(api, branch):
    from booking.services.devices import device_rotate

    device, old = device_create(branch=branch, name="Tablet")
    api.credentials(HTTP_AUTHORIZATION=f"Device {old}")
    assert api.get("/api/v1/kiosk/").status_code == 200
    new = device_rotate(KioskDevice.objects.get(id=device.id))
    assert api.get("/api/v1/kiosk/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Device {new}")
    assert api.get("/api/v1/kiosk/").status_code == 200


def test_check_in_answers_with_ticket_name_advisor_place_and_time(kiosk, make_appointment, anna):
    appointment = make_appointment(minutes=20)
    response = kiosk.post(
        "/api/v1/kiosk/check-in/",
        {"code": appointment.code},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["first_name"] == "Lukas"
    assert body["advisor"] == {"id": anna.id, "name": "Anna Weber"}
    assert body["location"] == "Raum 2"
    assert body["arrival"] == "early"
    assert body["start"] == appointment.start.astimezone(appointment.branch.tz).isoformat()
    local = appointment.start.astimezone(appointment.branch.tz).strftime("%H:%M")
    assert body["message"] == f"Anna Weber will meet you in Raum 2 at {local}."
    ticket = body["ticket"]
    assert {
        "id",
        "number",
        "kind",
        "service",
        "status",
        "position",
        "estimated_wait_minutes",
        "advisor",
        "location",
        "created",
    } <= set(ticket)
    assert ticket["status"] == "waiting" and ticket["kind"] == "appointment"


def test_check_in_speaks_the_devices_language_without_a_header(api, branch, make_appointment):
    _device, token = device_create(branch=branch, name="EN", language="en")
    api.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    appointment = make_appointment(minutes=20)
    body = api.post("/api/v1/kiosk/check-in/", {"code": appointment.code}, format="json").json()
    assert "will meet you" in body["message"]


def test_the_same_code_twice_returns_the_same_ticket(kiosk, make_appointment):
    appointment = make_appointment(minutes=20)
    first = kiosk.post("/api/v1/kiosk/check-in/", {"code": appointment.code}, format="json").json()
    again = kiosk.post("/api/v1/kiosk/check-in/", {"code": appointment.code}, format="json").json()
    assert again["ticket"]["id"] == first["ticket"]["id"]


def test_an_unknown_code_is_404_with_detail(kiosk, branch):
    response = kiosk.post("/api/v1/kiosk/check-in/", {"code": "ZZZZ-9999"}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_code"
    assert response.json()["detail"]


def test_a_cancelled_code_is_409_saying_what_to_do(kiosk, make_appointment):
    appointment = make_appointment(minutes=20, status="cancelled")
    response = kiosk.post("/api/v1/kiosk/check-in/", {"code": appointment.code}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "cancelled"


def test_an_empty_code_is_400(kiosk, branch):
    response = kiosk.post("/api/v1/kiosk/check-in/", {}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()["errors"]


def test_too_many_wrong_codes_are_429_with_retry_after(kiosk, branch, settings):
    settings.THROTTLES = {**settings.THROTTLES, "wrong_code": "20/600"}
    for _ in range(20):
        assert (
            kiosk.post("/api/v1/kiosk/check-in/", {"code": "ZZZZ9999"}, format="json").status_code
            == 404
        )
    response = kiosk.post("/api/v1/kiosk/check-in/", {"code": "ZZZZ9999"}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_walk_in_ticket_comes_with_position_and_estimate(kiosk, service, anna):
    response = kiosk.post("/api/v1/kiosk/tickets/", {"service": "beratung"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "A001"
    assert body["kind"] == "walk_in"
    assert body["position"] == 1
    assert body["estimated_wait_minutes"] == 0
    assert body["advisor"] is None


def test_a_walk_in_for_an_unknown_service_is_400(kiosk, service, anna):
    response = kiosk.post("/api/v1/kiosk/tickets/", {"service": "nothing"}, format="json")
    assert response.status_code == 400
    assert "service" in response.json()["errors"]


def test_a_rating_is_201_and_its_resend_200(kiosk, service):
    body = {"score": 5, "tags": ["friendly"], "client_id": str(uuid.uuid4())}
    assert kiosk.post("/api/v1/kiosk/ratings/", body, format="json").status_code == 201
    assert kiosk.post("/api/v1/kiosk/ratings/", body, format="json").status_code == 200
    assert Rating.objects.count() == 1


def test_a_second_rating_of_a_visit_is_409(kiosk, make_appointment):
    appointment = make_appointment(minutes=20)
    for expected in (201, 409):
        body = {"score": 4, "code": appointment.code, "client_id": str(uuid.uuid4())}
        assert kiosk.post("/api/v1/kiosk/ratings/", body, format="json").status_code == expected


@pytest.mark.parametrize("score", [0, 6, "five", None])
def test_a_score_outside_one_to_five_is_400(kiosk, branch, score):
    body = {"score": score, "client_id": str(uuid.uuid4())}
    assert kiosk.post("/api/v1/kiosk/ratings/", body, format="json").status_code == 400


def test_a_rating_without_client_id_is_400(kiosk, branch):
    assert kiosk.post("/api/v1/kiosk/ratings/", {"score": 3}, format="json").status_code == 400


def test_a_survey_kiosk_may_not_check_in(api, branch, make_appointment):
    _device, token = device_create(branch=branch, name="Umfrage", mode=DeviceMode.SURVEY)
    api.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    response = api.post("/api/v1/kiosk/check-in/", {"code": make_appointment().code}, format="json")
    assert response.status_code == 403
    body = {"score": 5, "client_id": str(uuid.uuid4())}
    assert api.post("/api/v1/kiosk/ratings/", body, format="json").status_code == 201


def test_staff_tokens_do_not_open_the_kiosk_api(staff_api, branch):
    assert staff_api.get("/api/v1/kiosk/").status_code in (401, 403)


@pytest.mark.parametrize("serializer", [p.TicketOut, p.StaffTicketOut])
def test_a_written_out_ticket_says_what_its_documented_fields_say(
    serializer, kiosk, make_appointment
):
    code = make_appointment(minutes=20).code
    kiosk.post("/api/v1/kiosk/check-in/", {"code": code}, format="json")
    ticket = Ticket.objects.select_related("branch", "service", "advisor", "customer").get()
    ticket.position, ticket.estimated_wait_minutes = 1, 20  # what the fields would read
    place = Place(1, 20)
    written = serializer(ticket, context={"places": {ticket.id: place}}).data
    walked = serializers.Serializer.to_representation(serializer(ticket), ticket)
    assert written == walked
