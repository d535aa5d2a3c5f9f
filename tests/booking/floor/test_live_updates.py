"""Live updates over WebSockets: staff pages and the lobby screen."""

from __future__ import annotations

import asyncio
import os

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from booking.routing import websocket_urlpatterns
from booking.services import queue

pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(websocket_urlpatterns)


async def _connect(path: str, user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path)
    communicator.scope["user"] = user
    return communicator


@pytest.fixture
def anna_user(django_user_model, anna):
    user = django_user_model.objects.create_user("anna")
    anna.user = user
    anna.save()
    return user


def test_a_staff_page_gets_the_queue_and_then_every_change(branch, service, anna, anna_user):
    async def scenario():
        communicator = await _connect("/ws/branches/mitte/", anna_user)
        connected, _ = await communicator.connect()
        assert connected
        first = await communicator.receive_json_from(timeout=5)
        assert first["event"] == "queue" and first["queue"]["waiting"] == []
        await sync_to_async(queue.walk_in_take)(branch=branch, service=service)
        update = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return update

    update = async_to_sync(scenario)()
    assert update["event"] == "queue"
    assert [t["number"] for t in update["queue"]["waiting"]] == ["A001"]


def test_anonymous_visitors_cannot_listen_to_the_staff_channel(branch):
    async def scenario():
        communicator = await _connect("/ws/branches/mitte/", AnonymousUser())
        connected, code = await communicator.connect()
        return connected, code

    assert async_to_sync(scenario)() == (False, 4403)


def test_staff_of_another_branch_cannot_listen(branch, other_branch, anna_user):
    async def scenario():
        communicator = await _connect("/ws/branches/altona/", anna_user)
        connected, _ = await communicator.connect()
        return connected

    assert async_to_sync(scenario)() is False


def test_the_lobby_screen_hears_calls_with_number_and_place_only(branch, service, anna):
    queue.walk_in_take(branch=branch, service=service)

    async def scenario():
        communicator = await _connect("/ws/display/mitte/", AnonymousUser())
        connected, _ = await communicator.connect()
        assert connected
        initial = await communicator.receive_json_from(timeout=5)
        await sync_to_async(queue.ticket_call_next)(advisor=anna, branch=branch)
        messages = [await communicator.receive_json_from(timeout=5) for _ in range(2)]
        await communicator.disconnect()
        return initial, messages

    initial, messages = async_to_sync(scenario)()
    assert initial == {"event": "display", "called": [], "waiting": 1, "recent": []}
    called = next(m for m in messages if m["event"] == "called")
    assert called == {"event": "called", "number": "A001", "location": "Raum 2"}
    display = next(m for m in messages if m["event"] == "display")
    assert display["called"][0]["number"] == "A001"
    assert "Lukas" not in str(messages)


def test_a_lobby_screen_for_an_unknown_branch_is_refused(db):
    async def scenario():
        communicator = await _connect("/ws/display/nowhere/", AnonymousUser())
        return await communicator.connect()

    assert async_to_sync(scenario)() == (False, 4404)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis channel layer")
def test_a_quiet_page_keeps_listening_past_the_layers_blocking_pop(db):
    """redis-py gives reads a 5-second timeout, as long as the layer's blocking pop:
    a screen nobody writes to must not lose its connection to that race."""
    layer = get_channel_layer()

    async def listen_quietly():
        channel = await layer.new_channel()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(layer.receive(channel), timeout=layer.brpop_timeout * 2)

    async_to_sync(listen_quietly)()
