"""Leaving the queue from the phone: the place frees at once, and only while waiting."""

from __future__ import annotations

import pytest
from django.utils import timezone

from booking import events
from booking.models import EventKind, JourneyEvent, Ticket, TicketStatus
from booking.selectors.queue import queue_snapshot
from booking.selectors.visitor import visit_by_token
from booking.services import queue
from booking.services.visitor import ticket_leave

from .conftest import status_path, token_of


def answer_branch_id(answer: dict) -> int:
    return Ticket.objects.get(id=answer["id"]).branch_id


pytestmark = pytest.mark.django_db


def leave_path(answer: dict) -> str:
    return status_path(answer) + "leave/"


def test_leaving_answers_the_status_left(api, join):
    answer = api.post(leave_path(join()))
    assert answer.status_code == 200
    assert answer.json()["status"] == "left"
    assert answer.json()["can_leave"] is False


def test_leaving_is_a_journey_event(api, join):
    ticket = join(email="lukas@example.org")
    api.post(leave_path(ticket))
    event = JourneyEvent.objects.get(kind=EventKind.LEFT)
    assert (event.ticket_id, event.channel) == (ticket["id"], "web")
    assert event.customer.email == "lukas@example.org"


def test_everyone_behind_moves_up_at_once(api, join):
    first, second, third = join(), join("Mia"), join("Ben")
    api.post(leave_path(first))
    assert [api.get(status_path(t)).json()["position"] for t in (second, third)] == [1, 2]


def test_the_queue_snapshot_no_longer_holds_who_left(api, join, branch):
    ticket = join()
    api.post(leave_path(ticket))
    assert ticket["id"] not in [t.id for t in queue_snapshot(branch, timezone.now()).waiting]


def test_leaving_twice_answers_the_same_once(api, join):
    ticket = join()
    first = api.post(leave_path(ticket))
    second = api.post(leave_path(ticket))
    assert second.status_code == 200
    assert second.json() == first.json()
    assert JourneyEvent.objects.filter(kind=EventKind.LEFT).count() == 1


@pytest.mark.parametrize("move", ["call", "start", "finish"])
def test_a_visitor_called_served_or_done_cannot_leave(api, join, anna, branch, move):
    answer = join()
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    if move in ("start", "finish"):
        ticket = queue.ticket_start(ticket=ticket, advisor=anna)
    if move == "finish":
        queue.ticket_finish(ticket=ticket, advisor=anna)
    response = api.post(leave_path(answer))
    assert response.status_code == 409
    assert response.json()["detail"]
    assert Ticket.objects.get(id=answer["id"]).status != TicketStatus.LEFT


def test_leaving_with_an_unknown_link_is_404(api, db):
    response = api.post("/api/v1/tickets/status/unknown/leave/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_leaving_tells_the_ticket_and_the_queue(join, published):
    answer = join()
    published.clear()
    ticket_leave(visit=visit_by_token(token_of(answer)))
    assert events.QueueChanged(answer_branch_id(answer), "mitte") in published
    assert events.TicketChanged(answer["id"], "mitte") in published
