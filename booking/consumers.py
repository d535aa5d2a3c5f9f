"""WebSocket consumers for live pages.

``/ws/branches/<slug>/`` (staff login): queue snapshots for everyone working there;
ratings and alerts for the branch's managers only.
``/ws/display/<slug>/`` (no login): called numbers and places for the lobby screen.

Every message is rendered here, for this connection: in its language, with its rights.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.sessions.models import Session
from django.utils import timezone, translation

from booking import live
from booking.models import Alert, Branch, Rating
from booking.presenters.floor import (
    ALERT_RELATED,
    alert_payload,
    display_payload,
    queue_payload,
    rating_payload,
)
from booking.selectors.access import managed_branches, staff_branch_of

FORBIDDEN = 4403
NOT_FOUND = 4404


class LatestOnly:
    """Runs ``refresh`` in the background; requests that arrive while it runs fold into
    one more run.

    A consumer handles its messages one after another: if each queue nudge waited for
    its own read, a busy minute would leave a page reading (and the process's database
    thread working) through a backlog of snapshots nobody will see. The page needs only
    the newest one.
    """

    def __init__(self, refresh: Callable[[], Awaitable[None]]) -> None:
        self._refresh = refresh
        self._wanted = False
        self._task: asyncio.Task | None = None

    def request(self) -> None:
        self._wanted = True
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        while self._wanted:
            self._wanted = False
            await self._refresh()


def query_language(scope) -> str:
    query = dict(
        part.split("=", 1)
        for part in scope.get("query_string", b"").decode().split("&")
        if "=" in part
    )
    return query.get("lang", "de") if query.get("lang") in ("de", "en") else "de"


class BranchConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.slug = self.scope["url_route"]["kwargs"]["branch"]
        self.language = query_language(self.scope)
        self.user = self.scope.get("user")
        self.branch = None
        access = await self._access()
        if access is None:
            await self.close(code=FORBIDDEN)
            return
        self.branch, self.is_manager = access
        self.queue_refresh = LatestOnly(self._send_queue)
        for group in self._groups():
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self._send_queue()

    async def disconnect(self, code) -> None:
        if self.branch is not None:
            self.queue_refresh.cancel()
            for group in self._groups():
                await self.channel_layer.group_discard(group, self.channel_name)

    def _groups(self) -> tuple[str, ...]:
        return (
            live.staff_group(self.slug),
            live.floor_group(self.slug),
            live.user_group(self.user.pk),
        )

    async def live_event(self, message) -> None:
        payload = message["payload"]
        event = payload.get("event")
        if event == "queue":
            self.queue_refresh.request()
        elif event in ("rating", "alert"):
            # Least privilege: ratings and alerts (with comments) reach managers only.
            if self.is_manager:
                rendered = await self._render(event, payload["id"])
                if rendered is not None:
                    await self.send_json({"event": event, event: rendered})
        else:
            await self.send_json(payload)

    async def access_check(self, message) -> None:
        """The user logged out, was deactivated or lost a branch: look again."""
        access = await self._access()
        if access is None:
            await self.close(code=FORBIDDEN)
            return
        self.branch, self.is_manager = access

    @database_sync_to_async
    def _access(self) -> tuple[Branch, bool] | None:
        user = self.user
        if user is None or not getattr(user, "pk", None):
            return None
        user.refresh_from_db(fields=["is_active", "is_superuser"])
        if not user.is_active or not self._session_alive():
            return None
        branch = staff_branch_of(user, self.slug)
        if branch is None:
            return None
        return branch, managed_branches(user).filter(id=branch.id).exists()

    def _session_alive(self) -> bool:
        session = self.scope.get("session")
        key = getattr(session, "session_key", None)
        if key is None:
            return True  # not a session login (tests authenticate the scope directly)
        return Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()

    async def _send_queue(self) -> None:
        await self.send_json({"event": "queue", "queue": await self._queue()})

    @database_sync_to_async
    def _queue(self) -> dict:
        with translation.override(self.language):
            return queue_payload(self.branch, timezone.now())

    @database_sync_to_async
    def _render(self, event: str, object_id: int) -> dict | None:
        with translation.override(self.language):
            if event == "rating":
                rating = (
                    Rating.objects.select_related("branch", "service", "advisor")
                    .filter(id=object_id, branch=self.branch)
                    .first()
                )
                return rating_payload(rating) if rating else None
            alert = (
                Alert.objects.select_related(*ALERT_RELATED)
                .filter(id=object_id, branch=self.branch)
                .first()
            )
            return alert_payload(alert) if alert else None


class DisplayConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.slug = self.scope["url_route"]["kwargs"]["branch"]
        self.branch = await self._branch()
        if self.branch is None:
            await self.close(code=NOT_FOUND)
            return
        self.display_refresh = LatestOnly(self._send_display)
        for group in self._groups():
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self._send_display()

    async def disconnect(self, code) -> None:
        if getattr(self, "branch", None) is not None:
            self.display_refresh.cancel()
            for group in self._groups():
                await self.channel_layer.group_discard(group, self.channel_name)

    def _groups(self) -> tuple[str, ...]:
        return live.display_group(self.slug), live.floor_group(self.slug)

    async def live_event(self, message) -> None:
        payload = message["payload"]
        if payload.get("event") == "queue":
            self.display_refresh.request()
        else:
            await self.send_json(payload)

    async def receive_json(self, content, **kwargs) -> None:
        """Lobby screens send nothing; anything they send is ignored."""

    @database_sync_to_async
    def _branch(self) -> Branch | None:
        return Branch.objects.filter(slug=self.slug, active=True).first()

    async def _send_display(self) -> None:
        await self.send_json({"event": "display", **(await self._display())})

    @database_sync_to_async
    def _display(self) -> dict:
        return display_payload(self.branch, timezone.now())
