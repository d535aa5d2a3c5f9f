"""Taps that race: a leave against a call, and the same leave or join many times at once."""

from __future__ import annotations

import uuid

import pytest
import requests

from booking.models import EventKind, JourneyEvent, Ticket, TicketStatus
from booking.services import queue
from tests.booking.floor.test_floor_concurrency import simultaneously

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_simultaneous_leaves_leave_once(live_server, branch, service, anna):
    ticket = queue.walk_in_take(branch=branch, service=service)
    url = f"{live_server.url}/api/v1/tickets/status/{ticket.status_token}/leave/"
    responses = simultaneously([lambda: requests.post(url, timeout=60)] * 10)
    assert {r.status_code for r in responses} == {200}
    assert {r.json()["status"] for r in responses} == {"left"}
    assert JourneyEvent.objects.filter(kind=EventKind.LEFT).count() == 1


def test_a_leave_racing_a_call_ends_one_way_only(live_server, branch, service, anna, staff_user):
    ticket = queue.walk_in_take(branch=branch, service=service)
    leave = f"{live_server.url}/api/v1/tickets/status/{ticket.status_token}/leave/"
    call = f"{live_server.url}/api/v1/branches/mitte/call-next/"
    headers = {"Authorization": f"Token {staff_user}"}
    left, called = simultaneously(
        [
            lambda: requests.post(leave, timeout=60),
            lambda: requests.post(call, headers=headers, timeout=60),
        ]
    )
    status = Ticket.objects.get(id=ticket.id).status
    if status == TicketStatus.LEFT:
        assert (left.status_code, called.status_code) == (200, 204)
    else:
        assert status == TicketStatus.CALLED
        assert (left.status_code, called.status_code) == (409, 200)


def test_simultaneous_joins_with_one_client_id_take_one_number(live_server, anna):
    body = {"service": "beratung", "name": "Lukas Meier", "client_id": str(uuid.uuid4())}
    url = f"{live_server.url}/api/v1/branches/mitte/queue/join/"
    responses = simultaneously([lambda: requests.post(url, json=body, timeout=60)] * 8)
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Ticket.objects.count() == 1
