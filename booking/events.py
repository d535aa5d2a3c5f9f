"""Domain events: what happened on the floor or to a booking, told after the commit.

Services ``publish`` an event inside their transaction; the subscribers (live pages,
messages, see ``booking.subscriptions``) run once it has committed, and never if it
rolls back. Services therefore know nothing of WebSockets, Celery or e-mail.
Events carry ids and the few values every subscriber needs, never model instances,
so a subscriber reads what it shows in its own language and with its own rights.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base of every domain event."""


@dataclass(frozen=True)
class QueueChanged(Event):
    """Someone joined, left, moved or was served in a branch's queue."""

    branch_id: int
    branch_slug: str


@dataclass(frozen=True)
class TicketCalled(Event):
    """A visitor was called to a place (the lobby screen chimes)."""

    ticket_id: int
    branch_slug: str
    number: str
    location: str


@dataclass(frozen=True)
class TicketChanged(Event):
    """One ticket's status, place or estimate may have changed (its status page updates)."""

    ticket_id: int
    branch_slug: str


@dataclass(frozen=True)
class RatingReceived(Event):
    rating_id: int
    branch_slug: str


@dataclass(frozen=True)
class AlertChanged(Event):
    """An alert was opened, acknowledged, resolved or followed up."""

    alert_id: int
    branch_slug: str
    opened: bool = False
    # "rating" or "wait": only a new low rating is e-mailed to the managers.
    kind: str = "rating"


@dataclass(frozen=True)
class AppointmentMessageDue(Event):
    """A message about an appointment should go out (confirmation, change, cancellation)."""

    appointment_id: int
    kind: str


@dataclass(frozen=True)
class TicketMessageDue(Event):
    """A message to a waiting visitor should go out ("almost your turn", "please go to")."""

    ticket_id: int
    kind: str


@dataclass(frozen=True)
class RecoveryMessageDue(Event):
    """A recovery message or its later "did we put it right?" link should go out."""

    recovery_id: int
    kind: str


@dataclass(frozen=True)
class AccessChanged(Event):
    """A user's rights may have shrunk: their open live connections check them again."""

    user_id: int


E = TypeVar("E", bound=Event)
Handler = Callable[[Event], None]
_handlers: dict[type[Event], list[Handler]] = defaultdict(list)
# While set, published events are kept here instead of told to the subscribers.
_held: ContextVar[list[Event] | None] = ContextVar("held_events", default=None)


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call ``handler(event)`` after every committed ``event_type`` (idempotent)."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: Event) -> None:
    """Tell the subscribers once the current transaction commits (at once outside one)."""
    held = _held.get()
    if held is not None:
        held.append(event)
        return
    transaction.on_commit(lambda: dispatch(event))


@contextmanager
def held() -> Iterator[list[Event]]:
    """Keep the events published inside in the list yielded, for the caller to handle
    (the demo history delivers its past messages itself, and tells no live page)."""
    events: list[Event] = []
    token = _held.set(events)
    try:
        yield events
    finally:
        _held.reset(token)


def dispatch(event: Event) -> None:
    """Run every subscriber; one that fails is logged and does not stop the others."""
    for handler in _handlers[type(event)]:
        try:
            handler(event)
        except Exception:
            logger.exception("subscriber %s failed on %s", handler.__qualname__, event)
