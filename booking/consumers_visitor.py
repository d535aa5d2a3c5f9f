"""``/ws/tickets/<status_token>/`` (no login): one visitor's status page, live.

A page listens to its visit's ticket (``ticket.<id>``: called, left, transferred,
served) through its own channel. When the queue moves, every waiting page of the
branch needs its new place, and a busy branch has hundreds open: so each server process
keeps one channel for the branch's queue nudges (``floor.<slug>``) and hands each
nudge to its own pages of that branch, which then share one read of the branch's
waiting visitors. A call thus costs one message and one query per process, however
many phones follow (``tests/bench/bench_status_pages.py``). Only connections live in
a process; everything a page shows is read from the database.
"""

from __future__ import annotations

import asyncio
import logging
import random
import weakref
from collections.abc import Coroutine

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.utils import timezone, translation

from booking import live
from booking.consumers import NOT_FOUND, query_language
from booking.models import TicketStatus
from booking.presenters.visitor import status_payload, with_waiting_entry
from booking.selectors.visitor import WaitingEntry, visit_by_token, waiting_entries

logger = logging.getLogger(__name__)

# Estimates of appointments count down with the clock, not with the queue: look again
# this often (spread, so that pages opened together do not ask together).
REFRESH_SECONDS = 60
# Group memberships expire in the channel layer (a day by default): renew them hourly.
REJOIN_SECONDS = 3600
# Hundreds of pages closing at once (a deploy, closing time) would each take a Redis
# connection for their group changes; a process queues them instead.
GROUP_CHANGES_AT_ONCE = 32


class _Local:
    """What one server process (one event loop) keeps for its status pages: connections
    and a moment's shared read, never anything another process would need."""

    def __init__(self) -> None:
        self.group_changes = asyncio.Semaphore(GROUP_CHANGES_AT_ONCE)
        # Per branch: the nudge the latest shared read of its waiting visitors is for.
        self.shared: dict[int, tuple[object, asyncio.Future]] = {}
        self.rooms: dict[str, _Room] = {}


_locals: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Local] = weakref.WeakKeyDictionary()


def _local() -> _Local:
    loop = asyncio.get_running_loop()
    if loop not in _locals:
        _locals[loop] = _Local()
    return _locals[loop]


async def _group_change(change: Coroutine) -> None:
    async with _local().group_changes:
        await change


async def shared_waiting(branch_id: int, version: object) -> dict[str, WaitingEntry]:
    """The branch's waiting visitors as of the nudge ``version``: read once per process."""
    shared = _local().shared
    latest = shared.get(branch_id)
    if latest is None or latest[0] != version:
        future = asyncio.ensure_future(
            database_sync_to_async(waiting_entries)(branch_id, timezone.now())
        )
        shared[branch_id] = latest = (version, future)
    return await asyncio.shield(latest[1])


class _Room:
    """This process's open status pages of one branch, and the one channel that hears
    the branch's queue nudges for all of them."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.pages: set[TicketStatusConsumer] = set()
        self.task: asyncio.Task | None = None

    def join(self, page: TicketStatusConsumer) -> None:
        self.pages.add(page)
        if self.task is None:
            self.task = asyncio.ensure_future(self._listen())

    def leave(self, page: TicketStatusConsumer) -> bool:
        """Returns whether the room is empty now (and stops listening)."""
        self.pages.discard(page)
        if self.pages:
            return False
        if self.task is not None:
            self.task.cancel()
            self.task = None
        return True

    async def _listen(self) -> None:
        layer = get_channel_layer()
        group = live.floor_group(self.slug)
        channel = await layer.new_channel()
        loop = asyncio.get_running_loop()
        try:
            while True:
                try:
                    await _group_change(layer.group_add(group, channel))
                    renew_at = loop.time() + REJOIN_SECONDS
                    while (left := renew_at - loop.time()) > 0:
                        try:
                            message = await asyncio.wait_for(layer.receive(channel), left)
                        except TimeoutError:
                            break
                        for page in list(self.pages):
                            page.hear(message.get("payload", {}))
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.exception("status pages of %s lost their queue nudges", self.slug)
                    await asyncio.sleep(1)
        finally:
            # Cancelled: the last page left. The membership also expires by itself.
            asyncio.ensure_future(_group_change(layer.group_discard(group, channel)))


def _room(slug: str) -> _Room:
    rooms = _local().rooms
    if slug not in rooms:
        rooms[slug] = _Room(slug)
    return rooms[slug]


class TicketStatusConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.token = self.scope["url_route"]["kwargs"]["token"]
        self.language = query_language(self.scope)
        self.groups_joined: set[str] = set()
        self.last: dict | None = None
        self.slug: str | None = None
        self.tasks: list[asyncio.Task] = []
        read = await self._read()
        if read is None:
            await self.close(code=NOT_FOUND)
            return
        await self.accept()
        # Everything this page hears is handled in order, by one task of its own.
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.tasks = [
            asyncio.ensure_future(self._work()),
            asyncio.ensure_future(self._refresh_now_and_then()),
        ]
        await self._show(read)
        self.slug = read[2]
        _room(self.slug).join(self)

    async def disconnect(self, code) -> None:
        if self.slug is not None and _room(self.slug).leave(self):
            _local().rooms.pop(self.slug, None)
        for task in self.tasks:
            task.cancel()
        # Let them stop first: one may be joining a group right now.
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for group in list(self.groups_joined):
            await _group_change(self.channel_layer.group_discard(group, self.channel_name))

    async def receive_json(self, content, **kwargs) -> None:
        """A status page sends nothing; anything it sends is ignored."""

    async def live_event(self, message) -> None:
        """News of this visit's own ticket."""
        self.hear(message["payload"])

    def hear(self, payload: dict) -> None:
        self.inbox.put_nowait(payload)

    async def _work(self) -> None:
        while True:
            payload = await self.inbox.get()
            try:
                await self._handle(payload)
            except OSError:
                return  # the page went away (its disconnect follows)
            except Exception:
                logger.exception("status page update failed")

    async def _handle(self, payload: dict) -> None:
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
                self.hear({"event": "refresh"})
            await asyncio.sleep(REFRESH_SECONDS)

    async def _show(self, read: tuple[dict, list[str], str, int]) -> None:
        data, groups, _slug, self.branch_id = read
        for group in groups:
            if group not in self.groups_joined:
                await _group_change(self.channel_layer.group_add(group, self.channel_name))
                self.groups_joined.add(group)
        await self._send_if_new(data)

    async def _send_if_new(self, data: dict) -> None:
        if data != self.last:
            self.last = data
            await self.send_json(data)

    @database_sync_to_async
    def _read(self) -> tuple[dict, list[str], str, int] | None:
        """The status, the groups that tell of its ticket (a transfer adds one), and its
        branch."""
        visit = visit_by_token(self.token)
        if visit is None:
            return None
        with translation.override(self.language):
            data = status_payload(visit, timezone.now())
        groups = {live.ticket_group(visit.root.id), live.ticket_group(visit.current.id)}
        branch = visit.root.branch
        return data, sorted(groups), branch.slug, branch.id
