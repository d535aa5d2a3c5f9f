"""The status-page benchmark's baseline: the least a live page can be.

A Channels consumer that joins one group and passes each message on to its socket,
behind the same Redis channel layer as the project; nothing else (no database, no
sessions, no routing of the project). Any ``GET`` (``/healthz/``) answers 200, so a
starter can tell it is up.
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

GROUP = "bare"


class BareConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def bare_message(self, message) -> None:
        await self.send(text_data=message["text"])


async def up(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


application = ProtocolTypeRouter(
    {"http": up, "websocket": URLRouter([path("ws/bare/", BareConsumer.as_asgi())])}
)
