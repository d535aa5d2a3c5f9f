"""Live updates over Channels, published after the transaction commits.

Staff and manager pages listen on ``branch.<slug>``, lobby screens on
``display.<slug>``. Queue changes go out as a nudge: each consumer reads the queue
itself, in its own language and with its own permissions, so a check-in pays for no
snapshot. Over a network channel layer (Redis) messages leave from a publisher
thread of their own, so a request never waits for the broker.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

from booking.models import Alert, Branch, Rating, Ticket

logger = logging.getLogger(__name__)


def staff_group(branch_slug: str) -> str:
    return f"branch.{branch_slug}"


def display_group(branch_slug: str) -> str:
    return f"display.{branch_slug}"


# Nudges to the same group within this window go out once: a busy morning's check-ins
# should not each make every screen re-read the queue.
NUDGE_WINDOW = 0.1


class _Publisher:
    """One event loop on a daemon thread per process, owning the layer's connections."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0
        self._pending_nudges: set[str] = set()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():  # new process after a fork
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                threading.Thread(
                    target=self._loop.run_forever, name="live-publisher", daemon=True
                ).start()
            return self._loop

    def submit(self, layer, group: str, message: dict) -> None:
        future = asyncio.run_coroutine_threadsafe(
            layer.group_send(group, message), self._running_loop()
        )
        future.add_done_callback(_log_failure)

    def nudge(self, layer, group: str, message: dict) -> None:
        """Send a content-free nudge, folding repeats within ``NUDGE_WINDOW`` into one."""
        with self._lock:
            if group in self._pending_nudges:
                return
            self._pending_nudges.add(group)
        loop = self._running_loop()

        def fire() -> None:
            with self._lock:
                self._pending_nudges.discard(group)
            loop.create_task(layer.group_send(group, message)).add_done_callback(_log_failure)

        loop.call_soon_threadsafe(loop.call_later, NUDGE_WINDOW, fire)


def _log_failure(future) -> None:
    if future.exception() is not None:
        logger.error("live update failed: %s", future.exception())


_publisher = _Publisher()


def _send(group: str, payload: dict, *, nudge: bool = False) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "live.event", "payload": payload}
    if isinstance(layer, InMemoryChannelLayer):
        # In-process consumers wait on the server's own loop; hand the message to it.
        async_to_sync(layer.group_send)(group, message)
    elif nudge:
        _publisher.nudge(layer, group, message)
    else:
        _publisher.submit(layer, group, message)


def _after_commit(group: str, payload: dict, *, nudge: bool = False) -> None:
    transaction.on_commit(lambda: _send(group, payload, nudge=nudge))


def queue_changed(branch: Branch) -> None:
    """Staff pages and lobby screens of the branch re-read what they show."""
    _after_commit(staff_group(branch.slug), {"event": "queue"}, nudge=True)
    _after_commit(display_group(branch.slug), {"event": "display"}, nudge=True)


def ticket_called(ticket: Ticket) -> None:
    """A visitor was called: the lobby screen chimes and shows the number and place."""
    _after_commit(
        display_group(ticket.branch.slug),
        {"event": "called", "number": ticket.number, "location": ticket.location},
    )


def rating_received(rating: Rating) -> None:
    from booking.api.payloads import rating_payload

    _after_commit(
        staff_group(rating.branch.slug), {"event": "rating", "rating": rating_payload(rating)}
    )


def alert_changed(alert: Alert) -> None:
    from booking.api.payloads import alert_payload

    _after_commit(staff_group(alert.branch.slug), {"event": "alert", "alert": alert_payload(alert)})
