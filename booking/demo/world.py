"""What the history knows beyond the database: the branch's people and each visitor's
intentions (when they come, whether they wait, whether they rate)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser

from booking.models import Advisor, Appointment, Branch, KioskDevice, Service, Ticket
from booking.services.appointments import CustomerData

from .stamps import Stamps
from .timeline import Timeline


@dataclass
class Visitor:
    service: Service
    customer: CustomerData | None = None
    # An appointment's start as planned; ``first_start``: booked there, moved later.
    start: dt.datetime | None = None
    first_start: dt.datetime | None = None
    booked_at: dt.datetime | None = None
    channel: str = ""
    # "served", "cancelled", "no_show" (booked, never came) or "gone" (not there when called).
    fate: str = "served"
    minutes_early: float = 0.0
    # Leaves the queue by the status link after this many minutes (walk-ins).
    patience: float | None = None
    recovery_token: str | None = None
    appointment: Appointment | None = None
    ticket: Ticket | None = None
    waiting: bool = False
    past_target: bool = False


@dataclass
class Desk:
    """An advisor's day: on shift or not, and who sits with them."""

    advisor: Advisor
    offers: set[int]
    hours: dict[int, list[tuple[dt.time, dt.time]]]
    on_shift: bool = False
    ticket: Ticket | None = None
    # The status to take once the visitor leaves, when the shift ended meanwhile.
    then: str | None = None
    # The moment of the one call this desk waits for (earlier wake-ups replace later ones).
    pending: dt.datetime | None = None


@dataclass
class World:
    branch: Branch
    rng: random.Random
    timeline: Timeline
    stamps: Stamps
    bookable: list[Service]
    walk_in: list[Service]
    desks: dict[int, Desk]
    device: KioskDevice
    manager: AbstractBaseUser | None
    customers: list[CustomerData]
    # After a visit is served: the rating, maybe (set by the history, see ``aftercare``).
    on_served: Callable[[World, Ticket, dt.datetime], None]
    visitors: dict[int, Visitor] = field(default_factory=dict)
    # Those of them in the queue now, by ticket id.
    waiting: dict[int, Visitor] = field(default_factory=dict)
    visits: int = 0

    def customer(self, email: str) -> CustomerData | None:
        return next((c for c in self.customers if c.email == email), None)
