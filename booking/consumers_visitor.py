"""``/ws/tickets/<status_token>/`` (no login): one visitor's status page, live.

The socket listens to its visit's ticket (``ticket.<id>``: called, left, transferred,
served) and to the branch's status pages' nudge (``status.<slug>``: the queue moved).
When the queue moves, every waiting page of the branch needs its new place: they
share one read of the branch's waiting visitors per process and nudge, rather than
each reading its own, so a call costs one query however many phones follow.
"""

from __future__ import annotations

import asyncio
import random

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone, translation

from booking import live
from booking.consumers import NOT_FOUND, query_language
from booking.models import TicketStatus
from booking.presenters.visitor import status_payload, with_waiting_entry
from booking.selectors.visitor import WaitingEntry, visit_by_token, waiting_entries

# Estimates of appointments count down with the clock, not with the queue: look again
# this often (spread, so that pages opened together do not ask together).
REFRESH_SECONDS = 60

# Per process: the latest shared read of a branch's waiting visitors, by nudge.
_shared: dict[int, tuple[object, asyncio.Future]] = {}


async def shared_waiting(branch_id: int, version: object) -> dict[str, WaitingEntry]:
    """The branch's waiting visitors as of the nudge ``version``: read once per process."""
    key = (version, id(asyncio.get_running_loop()))
    latest = _shared.get(branch_id)
    if latest is None or latest[0] != key:
        future = asyncio.ensure_future(
            database_sync_to_async(waiting_entries)(branch_id, timezone.now())
        )
        _shared[branch_id] = latest = (key, future)
    return await asyncio.shield(latest[1])


class TicketStatusConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.token = self.scope["url_route"]["kwargs"]["token"]
        self.language = query_language(self.scope)
        self.groups_joined: set[str] = set()
        self.last: dict | None = None
        self.refresher: asyncio.Task | None = None
        read = await self._read()
        if read is None:
            await self.close(code=NOT_FOUND)
            return
        await self.accept()
        await self._show(read)
        self.refresher = asyncio.ensure_future(self._refresh_now_and_then())

    async def disconnect(self, code) -> None:
        if self.refresher is not None:
            self.refresher.cancel()
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """A status page sends nothing; anything it sends is ignored."""

    async def live_event(self, message) -> None:
        payload = message["payload"]
        if payload.get("event") != "queue":
            await self._refresh()  # this visit's own ticket changed
            return
        if self.last is None or self.last["status"] != TicketStatus.WAITING:
            return  # called, served or gone: only the ticket's own news matters now
        entries = await shared_waiting(self.branch_id, payload.get("v"))
        entry = entries.get(self.last["number"])
        if entry is None:
            await self._refresh()  # no longer waiting: read what happened
            return
        with translation.override(self.language):
            await self._send_if_new(with_waiting_entry(self.last, entry))

    async def _refresh(self) -> None:
        read = await self._read()
        if read is not None:
            await self._show(read)

    async def _refresh_now_and_then(self) -> None:
        await asyncio.sleep(REFRESH_SECONDS * random.uniform(0.5, 1.0))
        while True:
            if self.last is not None and self.last["status"] == TicketStatus.WAITING:
                await self._refresh()
            await asyncio.sleep(REFRESH_SECONDS)

    async def _show(self, read: tuple[dict, list[str], int]) -> None:
        data, groups, self.branch_id = read
        for group in groups:
            if group not in self.groups_joined:
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.add(group)
        await self._send_if_new(data)

    async def _send_if_new(self, data: dict) -> None:
        if data != self.last:
            self.last = data
            await self.send_json(data)

    @database_sync_to_async
    def _read(self) -> tuple[dict, list[str], int] | None:
        """The status, and the groups that tell of its changes (a transfer adds one)."""
        visit = visit_by_token(self.token)
        if visit is None:
            return None
        with translation.override(self.language):
            data = status_payload(visit, timezone.now())
        groups = {
            live.ticket_group(visit.root.id),
            live.ticket_group(visit.current.id),
            live.status_group(visit.root.branch.slug),
        }
        return data, sorted(groups), visit.root.branch_id
