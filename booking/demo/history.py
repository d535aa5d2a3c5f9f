"""Make and remove the demo history of a branch (called by ``seed_demo``)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction

from booking.models import (
    Advisor,
    Alert,
    AlertKind,
    Appointment,
    Branch,
    Customer,
    JourneyEvent,
    KioskDevice,
    Rating,
    StatusPeriod,
    Ticket,
    TicketCounter,
)
from booking.selectors.catalog import bookable_services, walk_in_services
from booking.services.devices import device_create
from booking.timeutils import local_midnight, resolve_now

from . import aftercare, floor, outbox, people, visits
from .people import HISTORY_DOMAIN
from .stamps import Stamps
from .timeline import Timeline
from .world import Desk, World


def clear_history(branches: list[Branch], before: dt.date) -> None:
    """Remove past visits of these branches (today and later stay) and the history's
    customers, bookings, numbers and advisor statuses."""
    tickets = Ticket.objects.filter(branch__in=branches, day__lt=before)
    appointments = Appointment.objects.filter(
        branch__in=branches, customer__email__endswith=HISTORY_DOMAIN
    )
    Rating.objects.filter(branch__in=branches, ticket__in=tickets).delete()
    Rating.objects.filter(branch__in=branches, appointment__in=appointments).delete()
    JourneyEvent.objects.filter(customer__email__endswith=HISTORY_DOMAIN).delete()
    JourneyEvent.objects.filter(branch__in=branches, ticket__in=tickets).delete()
    # Wait alerts outlive their tickets (``SET_NULL``).
    Alert.objects.filter(kind=AlertKind.WAIT, ticket__in=tickets).delete()
    tickets.filter(transferred_from__isnull=False).delete()
    tickets.delete()
    appointments.delete()
    Customer.objects.filter(email__endswith=HISTORY_DOMAIN, appointments__isnull=True).delete()
    TicketCounter.objects.filter(branch__in=branches, day__lt=before).delete()
    for branch in branches:
        StatusPeriod.objects.filter(
            advisor__branches=branch, start__lt=local_midnight(before, branch.tz)
        ).delete()


@transaction.atomic
def generate_history(
    branch: Branch,
    *,
    days: int,
    visits_per_day: int,
    seed: int = 1,
    now: dt.datetime | None = None,
) -> int:
    """Replay ``days`` of past visits at ``branch`` up to ``now``; returns how many
    visitors took a ticket. The same ``seed`` makes the same history."""
    horizon = resolve_now(now)
    rng = random.Random(f"{branch.slug}-{seed}")
    desks = _desks(branch)
    offered = {service_id for desk in desks.values() for service_id in desk.offers}
    world = World(
        branch=branch,
        rng=rng,
        timeline=Timeline(horizon),
        stamps=Stamps(),
        bookable=[s for s in bookable_services(branch).order_by("id") if s.id in offered],
        walk_in=[s for s in walk_in_services(branch).order_by("id") if s.id in offered],
        desks=desks,
        device=_kiosk(branch),
        manager=branch.managers.order_by("id").first(),
        customers=people.customers(rng, branch.slug, max(50, visits_per_day * 4)),
        on_served=aftercare.rate,
    )
    today = branch.local_date(horizon)
    for offset in range(days, 0, -1):
        day = today - dt.timedelta(days=offset)
        floor.open_day(world, day)
        if day.weekday() < 5:
            visits.plan_day(world, day, visits_per_day)
        aftercare.open_evening(world, day)
    with outbox.silent(), world.stamps.watching():
        world.timeline.run()
    world.stamps.save()
    return world.visits


def _desks(branch: Branch) -> dict[int, Desk]:
    desks = {}
    advisors = (
        Advisor.objects.filter(branches=branch, active=True)
        .prefetch_related("services", "working_hours")
        .order_by("id")
    )
    for advisor in advisors:
        hours: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
        for shift in sorted(advisor.working_hours.all(), key=lambda h: (h.weekday, h.start)):
            if shift.branch_id == branch.id:
                hours[shift.weekday].append((shift.start, shift.end))
        desks[advisor.id] = Desk(
            advisor=advisor, offers={s.id for s in advisor.services.all()}, hours=dict(hours)
        )
    return desks


def _kiosk(branch: Branch) -> KioskDevice:
    """The kiosk at the door, where the history's visitors check in and rate."""
    device = KioskDevice.objects.filter(branch=branch, revoked_at__isnull=True).order_by("id")
    return device.first() or device_create(branch=branch, name="Eingang")[0]
