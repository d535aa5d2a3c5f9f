"""Live updates over Channels: published after the transaction commits.

Staff and manager pages listen on ``branch.<slug>``; lobby screens on
``display.<slug>`` (numbers and places only).
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from booking.models import Alert, Branch, Rating, Ticket

logger = logging.getLogger(__name__)


def staff_group(branch_slug: str) -> str:
    return f"branch.{branch_slug}"


def display_group(branch_slug: str) -> str:
    return f"display.{branch_slug}"


def _send(group: str, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "live.event", "payload": payload})
    except Exception:  # a missed live update must never fail the request that caused it
        logger.exception("live update to %s failed", group)


def _after_commit(send) -> None:
    transaction.on_commit(send)


def queue_changed(branch: Branch) -> None:
    """Tell staff pages and lobby screens to show the branch's new queue.

    Staff pages get a nudge and read the queue themselves, in their own language and
    with their own permissions; lobby screens get the numbers directly.
    """

    def send() -> None:
        from booking.api.payloads import display_payload

        _send(staff_group(branch.slug), {"event": "queue"})
        _send(
            display_group(branch.slug),
            {"event": "display", **display_payload(branch, timezone.now())},
        )

    _after_commit(send)


def ticket_called(ticket: Ticket) -> None:
    """A visitor was called: the lobby screen chimes and shows the number."""
    number, location, slug = ticket.number, ticket.location, ticket.branch.slug

    def send() -> None:
        _send(display_group(slug), {"event": "called", "number": number, "location": location})

    _after_commit(send)


def rating_received(rating: Rating) -> None:
    def send() -> None:
        from booking.api.payloads import rating_payload

        _send(
            staff_group(rating.branch.slug), {"event": "rating", "rating": rating_payload(rating)}
        )

    _after_commit(send)


def alert_changed(alert: Alert) -> None:
    def send() -> None:
        from booking.api.payloads import alert_payload

        _send(staff_group(alert.branch.slug), {"event": "alert", "alert": alert_payload(alert)})

    _after_commit(send)
