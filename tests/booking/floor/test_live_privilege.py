"""Least privilege on live channels: advisors' sockets carry the queue only; ratings and
alerts go to managers; a socket closes when its user logs out, is deactivated or loses
the branch."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import translation

from booking.routing import websocket_urlpatterns
from booking.services import queue
from booking.services.ratings import rating_submit

pytestmark = pytest.mark.django_db(transaction=True)

application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
FORBIDDEN = 4403


@pytest.fixture
def anna_user(django_user_model, anna):
    user = django_user_model.objects.create_user("anna", password="pw")
    anna.user = user
    anna.save()
    return user


@pytest.fixture
def boss(django_user_model, branch):
    user = django_user_model.objects.create_user("boss", password="pw")
    branch.managers.add(user)
    return user


def signed_in(username: str) -> tuple[Client, WebsocketCommunicator]:
    """A real session login, and a socket that carries its cookie."""
    client = Client()
    assert client.login(username=username, password="pw")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    socket = WebsocketCommunicator(
        application, "/ws/branches/mitte/", headers=[(b"cookie", cookie.encode())]
    )
    return client, socket


async def _open(socket: WebsocketCommunicator) -> None:
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from(timeout=5))["event"] == "queue"


async def _events_after(socket, action) -> list[str]:
    await sync_to_async(action)()
    events = []
    while not await socket.receive_nothing(timeout=0.5):
        events.append((await socket.receive_json_from(timeout=5))["event"])
    return events


def low_rating(device):
    return rating_submit(device=device, client_id=uuid.uuid4(), score=1, comment="Too long")


def test_advisors_get_no_ratings_or_alerts_and_managers_get_both(anna_user, boss, device):
    async def scenario():
        _anna, advisor_socket = await sync_to_async(signed_in)("anna")
        _boss, manager_socket = await sync_to_async(signed_in)("boss")
        await _open(advisor_socket)
        await _open(manager_socket)
        await sync_to_async(low_rating)(device)
        advisor_events = await _events_after(advisor_socket, lambda: None)
        manager_events = await _events_after(manager_socket, lambda: None)
        await advisor_socket.disconnect()
        await manager_socket.disconnect()
        return advisor_events, manager_events

    advisor_events, manager_events = async_to_sync(scenario)()
    assert "rating" not in advisor_events and "alert" not in advisor_events
    assert {"rating", "alert"} <= set(manager_events)


def closes_after(username: str, action) -> int:
    async def scenario():
        client, socket = await sync_to_async(signed_in)(username)
        await _open(socket)
        await sync_to_async(action)(client)
        output = await socket.receive_output(timeout=5)
        return output.get("code") if output["type"] == "websocket.close" else output

    return async_to_sync(scenario)()


def test_a_socket_closes_when_its_user_logs_out(anna_user):
    assert closes_after("anna", lambda client: client.logout()) == FORBIDDEN


def test_a_socket_closes_when_its_user_is_deactivated(anna_user):
    def deactivate(_client):
        anna_user.is_active = False
        anna_user.save()

    assert closes_after("anna", deactivate) == FORBIDDEN


def test_a_socket_closes_when_its_advisor_loses_the_branch(anna_user, anna, branch):
    assert closes_after("anna", lambda _client: anna.branches.remove(branch)) == FORBIDDEN


def test_a_socket_closes_when_a_manager_is_removed_from_the_branch(boss, branch):
    assert closes_after("boss", lambda _client: branch.managers.remove(boss)) == FORBIDDEN


def test_a_rating_sent_in_english_reaches_a_german_page_in_german(boss, device, service, anna):
    """The receiver's language, not the sender's: each socket renders what it shows."""

    async def scenario():
        _boss, socket = await sync_to_async(signed_in)("boss")  # a page without ?lang=: German
        await _open(socket)

        def rate_in_english():
            with translation.override("en"):
                ticket = queue.walk_in_take(branch=device.branch, service=service)
                rating_submit(device=device, client_id=uuid.uuid4(), score=4, ticket_id=ticket.id)

        await sync_to_async(rate_in_english)()
        messages = []
        while not await socket.receive_nothing(timeout=0.5):
            messages.append(await socket.receive_json_from(timeout=5))
        await socket.disconnect()
        return messages

    rating = next(m["rating"] for m in async_to_sync(scenario)() if m["event"] == "rating")
    assert rating["service_name"] == "Beratung"
