"""WebSocket consumers for live pages.

``/ws/branches/<slug>/`` (staff login): queue snapshots, ratings and alerts.
``/ws/display/<slug>/`` (no login): called numbers and places for the lobby screen.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone, translation

from booking import live
from booking.models import Branch
from booking.selectors.access import staff_branches

FORBIDDEN = 4403
NOT_FOUND = 4404


def _language(scope) -> str:
    query = dict(
        part.split("=", 1)
        for part in scope.get("query_string", b"").decode().split("&")
        if "=" in part
    )
    return query.get("lang", "de") if query.get("lang") in ("de", "en") else "de"


class BranchConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.slug = self.scope["url_route"]["kwargs"]["branch"]
        self.language = _language(self.scope)
        self.branch = await self._branch_for(self.scope.get("user"))
        if self.branch is None:
            await self.close(code=FORBIDDEN)
            return
        await self.channel_layer.group_add(live.staff_group(self.slug), self.channel_name)
        await self.accept()
        await self.send_json({"event": "queue", "queue": await self._queue()})

    async def disconnect(self, code) -> None:
        if getattr(self, "branch", None) is not None:
            await self.channel_layer.group_discard(live.staff_group(self.slug), self.channel_name)

    async def live_event(self, message) -> None:
        payload = message["payload"]
        if payload.get("event") == "queue":
            payload = {"event": "queue", "queue": await self._queue()}
        await self.send_json(payload)

    @database_sync_to_async
    def _branch_for(self, user) -> Branch | None:
        return staff_branches(user).filter(slug=self.slug).first() if user else None

    @database_sync_to_async
    def _queue(self) -> dict:
        from booking.api.payloads import queue_payload

        with translation.override(self.language):
            return queue_payload(self.branch, timezone.now())


class DisplayConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.slug = self.scope["url_route"]["kwargs"]["branch"]
        self.branch = await self._branch()
        if self.branch is None:
            await self.close(code=NOT_FOUND)
            return
        await self.channel_layer.group_add(live.display_group(self.slug), self.channel_name)
        await self.accept()
        await self.send_json({"event": "display", **(await self._display())})

    async def disconnect(self, code) -> None:
        if getattr(self, "branch", None) is not None:
            await self.channel_layer.group_discard(live.display_group(self.slug), self.channel_name)

    async def live_event(self, message) -> None:
        payload = message["payload"]
        if payload.get("event") == "display":
            payload = {"event": "display", **(await self._display())}
        await self.send_json(payload)

    async def receive_json(self, content, **kwargs) -> None:
        """Lobby screens send nothing; anything they send is ignored."""

    @database_sync_to_async
    def _branch(self) -> Branch | None:
        return Branch.objects.filter(slug=self.slug, active=True).first()

    @database_sync_to_async
    def _display(self) -> dict:
        from booking.api.payloads import display_payload

        return display_payload(self.branch, timezone.now())
