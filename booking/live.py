"""Live updates over Channels: domain events become messages to the pages that follow them.

Staff and manager pages listen on ``branch.<slug>``, lobby screens on
``display.<slug>``, a visitor's status page on ``ticket.<id>``, all three on
``floor.<slug>`` (the queue's nudges), and every live connection of a user on
``user.<id>``. Messages carry what happened, not what to show: each consumer reads
what it shows itself, in its own language and with its own rights.
Over a network channel layer (Redis) messages leave from a publisher thread of their
own, so a request never waits for the broker.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import threading
from collections import deque

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from booking import events

logger = logging.getLogger(__name__)


def staff_group(branch_slug: str) -> str:
    return f"branch.{branch_slug}"


def display_group(branch_slug: str) -> str:
    return f"display.{branch_slug}"


def ticket_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def floor_group(branch_slug: str) -> str:
    """Every open staff page, lobby screen and visitor's status page of the branch: the
    queue's nudges reach them all with one message."""
    return f"floor.{branch_slug}"


# A nudge goes out at once; more to the same group within this window fold into one
# that follows at its end: a busy morning's check-ins should not each make every screen
# re-read the queue, and the first change of a quiet moment should not wait.
NUDGE_WINDOW = 0.1

# Messages in flight at once per process. Each holds one of the layer's Redis
# connections: a burst waits its turn in memory instead of opening a connection per
# message (opening one costs far more than a send, so an unbounded burst fed itself).
SENDERS = 4
# Messages kept while the broker is away; beyond this the oldest give way. A nudge only
# says "read again": a page that missed one catches up with the next.
OUTBOX_LIMIT = 10_000


class _Publisher:
    """One event loop on a daemon thread per process, owning the layer's connections.
    Messages wait in an outbox that up to ``SENDERS`` tasks on the loop empty in turn."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0
        self._windows: set[str] = set()
        self._trailing: dict[str, tuple[object, dict]] = {}
        # Touched only on the loop's thread.
        self._outbox: deque[tuple[object, str, dict]] = deque(maxlen=OUTBOX_LIMIT)
        self._senders: set[asyncio.Task] = set()  # the loop keeps only weak references
        self._lost = 0  # messages lost since the broker last took one

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():  # new process after a fork
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                self._windows.clear()
                self._trailing.clear()
                self._outbox.clear()
                self._senders.clear()
                self._lost = 0
                threading.Thread(
                    target=self._loop.run_forever, name="live-publisher", daemon=True
                ).start()
            return self._loop

    def _post(self, loop, layer, group: str, message: dict) -> None:
        if len(self._outbox) == OUTBOX_LIMIT:
            self._lose(f"more than {OUTBOX_LIMIT} waiting")
        self._outbox.append((layer, group, message))
        if len(self._senders) < SENDERS:
            self._senders.add(loop.create_task(self._send_all()))

    async def _send_all(self) -> None:
        try:
            while self._outbox:
                layer, group, message = self._outbox.popleft()
                try:
                    await layer.group_send(group, message)
                except Exception as error:  # a broker's hiccup loses this message only
                    self._lose(str(error))
                else:
                    self._recovered()
        finally:
            # At once, not in a done-callback: a message posted meanwhile needs a sender.
            self._senders.discard(asyncio.current_task())

    def _lose(self, why: str) -> None:
        # One line when an outage begins and one when it ends, not one a message.
        if not self._lost:
            logger.error("live update failed: %s", why)
        self._lost += 1

    def _recovered(self) -> None:
        if self._lost:
            logger.warning("live updates flow again; %d were lost", self._lost)
            self._lost = 0

    def submit(self, layer, group: str, message: dict) -> None:
        loop = self._running_loop()
        loop.call_soon_threadsafe(self._post, loop, layer, group, message)

    def nudge(self, layer, group: str, message: dict) -> None:
        """Send a content-free nudge now, or fold it into the one ending the group's
        window (the latest message wins)."""
        loop = self._running_loop()
        with self._lock:
            if group in self._windows:
                self._trailing[group] = (layer, message)
                return
            self._windows.add(group)
        loop.call_soon_threadsafe(self._fire, loop, layer, group, message)

    def _fire(self, loop, layer, group: str, message: dict) -> None:
        self._post(loop, layer, group, message)
        loop.call_later(NUDGE_WINDOW, self._window_over, loop, group)

    def _window_over(self, loop, group: str) -> None:
        with self._lock:
            trailing = self._trailing.pop(group, None)
            if trailing is None:
                self._windows.discard(group)
                return
        self._fire(loop, trailing[0], group, trailing[1])


_publisher = _Publisher()


def send(group: str, payload: dict, *, nudge: bool = False, kind: str = "live.event") -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": kind, "payload": payload}
    if isinstance(layer, InMemoryChannelLayer):
        # In-process consumers wait on the server's own loop; hand the message to it.
        try:
            asyncio.get_running_loop().create_task(layer.group_send(group, message))
        except RuntimeError:  # no loop runs in this thread
            async_to_sync(layer.group_send)(group, message)
    elif nudge:
        _publisher.nudge(layer, group, message)
    else:
        _publisher.submit(layer, group, message)


def on_queue_changed(event: events.QueueChanged) -> None:
    """Staff pages and lobby screens of the branch re-read what they show; visitors'
    status pages share one read per process and nudge (``v`` tells nudges apart). One
    message for all of them: a check-in costs one send, not one per kind of page."""
    send(floor_group(event.branch_slug), {"event": "queue", "v": secrets.token_hex(8)}, nudge=True)


def on_ticket_called(event: events.TicketCalled) -> None:
    """The lobby screen chimes and shows the number and place at once."""
    send(
        display_group(event.branch_slug),
        {"event": "called", "number": event.number, "location": event.location},
    )


def on_ticket_changed(event: events.TicketChanged) -> None:
    send(ticket_group(event.ticket_id), {"event": "ticket"}, nudge=True)


def on_rating_received(event: events.RatingReceived) -> None:
    send(staff_group(event.branch_slug), {"event": "rating", "id": event.rating_id})


def on_alert_changed(event: events.AlertChanged) -> None:
    send(staff_group(event.branch_slug), {"event": "alert", "id": event.alert_id})


def on_access_changed(event: events.AccessChanged) -> None:
    """Open connections of the user check their rights again (and close if they lost them)."""
    send(user_group(event.user_id), {}, kind="access.check")
