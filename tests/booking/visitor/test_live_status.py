"""The status page's socket: one visit's news, live, and one shared read per queue change."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from booking import consumers_visitor
from booking.consumers_visitor import TicketStatusConsumer
from booking.routing import websocket_urlpatterns
from booking.services import queue

pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(websocket_urlpatterns)


def page(ticket, lang: str = "en") -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/tickets/{ticket.status_token}/?lang={lang}")


async def until(communicator, condition, tries: int = 5) -> dict:
    """The first message that meets ``condition`` (earlier ones may be older news)."""
    for _ in range(tries):
        message = await communicator.receive_json_from(timeout=5)
        if condition(message):
            return message
    raise AssertionError("the page never showed it")


@pytest.fixture
def take(branch, service, anna):
    return lambda: queue.walk_in_take(branch=branch, service=service)


def test_the_page_first_gets_the_visits_status(take):
    ticket = take()

    async def scenario():
        communicator = page(ticket)
        connected, _ = await communicator.connect()
        assert connected
        first = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return first

    first = async_to_sync(scenario)()
    assert (first["number"], first["status"], first["position"]) == (ticket.number, "waiting", 1)
    assert first["texts"]["message"] == "You are next."


def test_an_unknown_link_is_refused(db):
    async def scenario():
        communicator = WebsocketCommunicator(application, "/ws/tickets/unknown/")
        return await communicator.connect()

    assert async_to_sync(scenario)() == (False, 4404)


def test_the_page_moves_up_when_the_one_ahead_is_called(take, anna, branch):
    take()
    second = take()

    async def scenario():
        communicator = page(second)
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        await sync_to_async(queue.ticket_call_next)(advisor=anna, branch=branch)
        moved = await until(communicator, lambda m: m["position"] == 1)
        await communicator.disconnect()
        return moved

    moved = async_to_sync(scenario)()
    assert moved["texts"]["message"] == "You are next."


def test_the_page_says_where_to_go_once_called(take, anna, branch):
    ticket = take()

    async def scenario():
        communicator = page(ticket, lang="de")
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        await sync_to_async(queue.ticket_call_next)(advisor=anna, branch=branch)
        called = await until(communicator, lambda m: m["status"] == "called")
        await communicator.disconnect()
        return called

    called = async_to_sync(scenario)()
    assert called["location"] == "Raum 2"
    assert "Raum 2" in called["texts"]["message"]


def test_the_page_follows_the_visit_through_a_transfer(take, anna, jonas, branch):
    ticket = take()

    async def scenario():
        communicator = page(ticket)
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        await sync_to_async(queue.ticket_transfer)(ticket=ticket, to_advisor=jonas)
        await until(communicator, lambda m: m["location"] == "Raum 3")
        await sync_to_async(queue.ticket_call_next)(advisor=jonas, branch=branch)
        called = await until(communicator, lambda m: m["status"] == "called")
        await communicator.disconnect()
        return called

    called = async_to_sync(scenario)()
    assert (called["number"], called["location"]) == (ticket.number, "Raum 3")


def test_pages_of_one_branch_share_one_read_per_queue_change(take, anna, branch, monkeypatch):
    tickets = [take() for _ in range(4)]
    reads, nudges = [], set()
    read, hear = consumers_visitor.waiting_entries, TicketStatusConsumer.hear

    def counted(*args):
        reads.append(args)
        return read(*args)

    def heard(consumer, payload):
        if payload.get("event") == "queue":
            nudges.add(payload["v"])
        hear(consumer, payload)

    monkeypatch.setattr(consumers_visitor, "waiting_entries", counted)
    monkeypatch.setattr(TicketStatusConsumer, "hear", heard)

    async def scenario():
        pages = [page(t) for t in tickets[1:]]
        for communicator in pages:
            await communicator.connect()
            await communicator.receive_json_from(timeout=5)
        await sync_to_async(queue.ticket_call_next)(advisor=anna, branch=branch)
        moved = [await until(c, lambda m: m["position"] is not None) for c in pages]
        for communicator in pages:
            await communicator.disconnect()
        return moved

    moved = async_to_sync(scenario)()
    assert [m["position"] for m in moved] == [1, 2, 3]
    # Three pages heard each nudge (a nudge of the tickets' issue may come late too).
    assert len(reads) == len(nudges)


def test_a_page_hears_only_of_its_own_visit(take, anna, branch):
    take()
    mine = take()

    async def scenario():
        communicator = page(mine)
        await communicator.connect()
        heard = [await communicator.receive_json_from(timeout=5)]
        await sync_to_async(queue.ticket_call_next)(advisor=anna, branch=branch)
        while heard[-1]["position"] != 1:
            heard.append(await communicator.receive_json_from(timeout=5))
        await communicator.disconnect()
        return heard

    heard = async_to_sync(scenario)()
    assert {message["number"] for message in heard} == {mine.number}
