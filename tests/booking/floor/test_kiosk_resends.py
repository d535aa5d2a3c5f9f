"""A kiosk's request sent twice (a timeout, then a retry) has one effect."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import requests

from booking.models import EventKind, JourneyEvent, Service, Ticket
from booking.services import queue
from booking.services.devices import device_create
from tests.booking.floor.conftest import on_duty_all_week
from tests.booking.floor.test_floor_concurrency import simultaneously
from tests.conftest import make_advisor

pytestmark = pytest.mark.django_db


def take(kiosk, client_id, service="beratung"):
    return kiosk.post(
        "/api/v1/kiosk/tickets/",
        {"service": service, "client_id": str(client_id)},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_same_client_id_again_answers_200_with_the_same_ticket(kiosk, anna):
    client_id = uuid.uuid4()
    first, again = take(kiosk, client_id), take(kiosk, client_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["number"] == again.json()["number"] == "A001"
    assert Ticket.objects.count() == 1
    assert JourneyEvent.objects.filter(kind=EventKind.TICKET_ISSUED).count() == 1


def test_a_new_client_id_is_a_new_ticket(kiosk, anna):
    assert take(kiosk, uuid.uuid4()).json()["number"] == "A001"
    assert take(kiosk, uuid.uuid4()).json()["number"] == "A002"


def test_without_a_client_id_every_request_is_a_new_ticket(kiosk, anna):
    for _ in range(2):
        assert kiosk.post("/api/v1/kiosk/tickets/", {"service": "beratung"}).status_code == 201
    assert Ticket.objects.count() == 2


def test_a_resend_after_a_transfer_answers_the_visitors_current_ticket(kiosk, anna, service):
    client_id = uuid.uuid4()
    first = take(kiosk, client_id).json()
    other = Service.objects.create(slug="konto", name="Konto", walk_in=True, ticket_prefix="K")
    other.branches.add(anna.branches.get())
    successor = queue.ticket_transfer(ticket=Ticket.objects.get(id=first["id"]), to_service=other)
    again = take(kiosk, client_id)
    assert again.status_code == 200
    assert again.json()["id"] == successor.id
    assert again.json()["number"] == first["number"]


def test_the_same_client_id_for_another_service_is_409(kiosk, anna, branch):
    other = Service.objects.create(slug="konto", name="Konto", walk_in=True, ticket_prefix="K")
    other.branches.add(branch)
    anna.services.add(other)
    client_id = uuid.uuid4()
    take(kiosk, client_id)
    response = take(kiosk, client_id, service="konto")
    assert response.status_code == 409
    assert response.json()["code"] == "client_id_reused"
    assert response.json()["detail"]


def test_another_branchs_client_id_is_409(kiosk, anna, other_branch, service):
    service.branches.add(other_branch)
    on_duty_all_week(make_advisor(other_branch, [service], "Jonas Becker"), other_branch)
    _device, token = device_create(branch=other_branch, name="Altona")
    client_id = uuid.uuid4()
    assert take(kiosk, client_id).status_code == 201
    kiosk.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    response = take(kiosk, client_id)
    assert response.status_code == 409
    assert Ticket.objects.count() == 1


def test_a_malformed_client_id_is_400(kiosk, anna):
    response = take(kiosk, "twelve")
    assert response.status_code == 400
    assert "client_id" in response.json()["errors"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_copies_of_one_request_make_one_ticket(live_server, branch, anna):
    _device, token = device_create(branch=branch, name="Eingang")
    url = f"{live_server.url}/api/v1/kiosk/tickets/"
    body = {"service": "beratung", "client_id": str(uuid.uuid4())}
    headers = {"Authorization": f"Device {token}"}

    def send():
        return requests.post(url, json=body, headers=headers, timeout=60)

    responses = simultaneously([send] * 12)
    assert sorted(r.status_code for r in responses) == [200] * 11 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Ticket.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_copies_of_a_late_check_in_make_one_ticket_at_the_arrival(
    live_server, branch, make_appointment
):
    _device, token = device_create(branch=branch, name="Eingang")
    appointment = make_appointment(minutes=15)
    arrived = appointment.start - dt.timedelta(minutes=30)
    url = f"{live_server.url}/api/v1/kiosk/check-in/"
    body = {
        "code": appointment.code,
        "client_id": str(uuid.uuid4()),
        "checked_in_at": arrived.isoformat(),
    }
    headers = {"Authorization": f"Device {token}"}

    def send():
        return requests.post(url, json=body, headers=headers, timeout=60)

    responses = simultaneously([send] * 12)
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["ticket"]["id"] for r in responses}) == 1
    ticket = Ticket.objects.get()
    assert ticket.queued_at == arrived
    assert str(ticket.client_id) == body["client_id"]
    assert JourneyEvent.objects.filter(kind=EventKind.CHECKED_IN).count() == 1
