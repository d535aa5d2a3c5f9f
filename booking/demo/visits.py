"""The history's visitors: bookings (some moved, some cancelled, some never come),
check-ins at the kiosk, walk-ins, and walk-ins who give up and leave the queue."""

from __future__ import annotations

import datetime as dt

from booking.exceptions import BookingError
from booking.models import Channel, NotificationKind
from booking.selectors.visitor import Visit
from booking.services import jobs, recovery
from booking.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from booking.services.checkin import checkin_perform
from booking.services.notifications import (
    EMAIL_REMINDER_WINDOW,
    SMS_REMINDER_WINDOW,
    notification_send,
)
from booking.services.queue import walk_in_take
from booking.services.visitor import ticket_leave
from booking.timeutils import at_local

from . import floor, habits
from .world import Visitor, World

# Shares of the bookings that are cancelled, never come, or are moved once first.
CANCELLED, NO_SHOW, MOVED = 0.08, 0.06, 0.1
# Of the walk-ins, some are not there when called; of those who give up waiting, most
# say so by their status link and the others just go.
GONE_WHEN_CALLED, LEAVES_BY_LINK = 0.03, 0.6
APPOINTMENT_SHARE = 0.45
# Walk-ins who take their number at the desk and leave a mobile number there (texts
# when it is nearly their turn, a way to reach them after a low rating).
AT_THE_DESK = 0.2
# The no-show job runs every minute; the history runs it when a booking's grace is over.
SWEEP_DELAY = dt.timedelta(minutes=1)


def plan_day(world: World, day: dt.date, visits_per_day: int) -> None:
    """Who comes (or books to come) on ``day``; their steps go on the timeline."""
    rng = world.rng
    opens = at_local(day, dt.time(9), world.branch.tz)
    for _ in range(round(visits_per_day * rng.uniform(0.8, 1.2))):
        arrival = opens + dt.timedelta(minutes=habits.arrival_minute(rng))
        if world.bookable and rng.random() < APPOINTMENT_SHARE:
            _plan_booking(world, arrival)
        elif world.walk_in:
            visitor = Visitor(service=rng.choice(world.walk_in))
            if rng.random() < AT_THE_DESK:
                visitor.customer = rng.choice([c for c in world.customers if c.phone])
            if rng.random() < GONE_WHEN_CALLED:
                visitor.fate = "gone"
            else:
                visitor.patience = habits.patience_minutes(rng)
            world.timeline.at(arrival, _walk_in, world, visitor)


def _plan_booking(world: World, arrival: dt.datetime) -> None:
    rng = world.rng
    grid = world.branch.slot_minutes
    start = arrival.replace(minute=arrival.minute - arrival.minute % grid)
    visitor = Visitor(
        service=rng.choice(world.bookable),
        customer=rng.choice(world.customers),
        start=start,
        booked_at=start - dt.timedelta(days=rng.uniform(1, 14)),
        channel=habits.booked_via(rng),
        fate=_booking_fate(rng.random()),
        minutes_early=rng.uniform(-3, 15),
    )
    if visitor.fate == "served" and rng.random() < MOVED:
        # Booked a week later first, then moved to this day (if that week is past too).
        later = start + dt.timedelta(days=7)
        today = world.branch.local_date(world.timeline.horizon)
        visitor.first_start = later if world.branch.local_date(later) < today else None
    world.timeline.at(visitor.booked_at, book, world, visitor)


def _booking_fate(draw: float) -> str:
    if draw < CANCELLED:
        return "cancelled"
    return "no_show" if draw < CANCELLED + NO_SHOW else "served"


def book(moment: dt.datetime, world: World, visitor: Visitor) -> None:
    """The customer books (on the web, or staff for them); a slot taken meanwhile or a
    customer at their booking limit means no visit, as it would."""
    try:
        appointment, _ = appointment_book(
            branch=world.branch,
            service=visitor.service,
            start=visitor.first_start or visitor.start,
            customer=visitor.customer,
            channel=visitor.channel,
            now=moment,
        )
    except BookingError:
        return
    visitor.appointment = appointment
    if visitor.recovery_token:
        recovery.recovery_mark_booked(
            token=visitor.recovery_token, appointment=appointment, now=moment
        )
    rng, timeline = world.rng, world.timeline
    share = rng.uniform(0.1, 0.9)
    if visitor.fate == "cancelled":
        timeline.at(moment + (appointment.start - moment) * share, _cancel, world, visitor)
    elif visitor.first_start is not None:
        later = min(appointment.start, visitor.start)
        timeline.at(moment + (later - moment) * share, _move, world, visitor)
    else:
        _expect(world, visitor, moment)


def _cancel(moment: dt.datetime, world: World, visitor: Visitor) -> None:
    appointment_cancel(appointment=visitor.appointment, channel=Channel.WEB, now=moment)


def _move(moment: dt.datetime, world: World, visitor: Visitor) -> None:
    try:
        visitor.appointment = appointment_reschedule(
            appointment=visitor.appointment, start=visitor.start, now=moment
        )
    except BookingError:
        # The new time was gone: they keep the old one.
        visitor.start = visitor.first_start
    _expect(world, visitor, moment)


def _expect(world: World, visitor: Visitor, moment: dt.datetime) -> None:
    """The reminder sweeps before the visit, then the visit (or the no-show job)."""
    start = visitor.appointment.start
    reminders = [(NotificationKind.REMINDER_EMAIL, EMAIL_REMINDER_WINDOW)]
    if visitor.customer.phone:
        reminders.append((NotificationKind.REMINDER_SMS, SMS_REMINDER_WINDOW))
    for kind, (soonest, latest) in reminders:
        # When the reminder job first finds the visit in its window.
        due = max(moment + SWEEP_DELAY, start - latest + SWEEP_DELAY)
        if due <= start - soonest:
            world.timeline.at(due, _remind, visitor, kind)
    if visitor.fate == "no_show":
        grace = dt.timedelta(minutes=world.branch.late_grace_minutes)
        world.timeline.at(start + grace + SWEEP_DELAY, _mark_no_shows)
        return
    arrival = start - dt.timedelta(minutes=visitor.minutes_early)
    world.timeline.at(arrival, _check_in, world, visitor)


def _remind(moment: dt.datetime, visitor: Visitor, kind: str) -> None:
    """What the reminder job hands on for this visit (the message checks it is still due)."""
    notification_send(appointment_id=visitor.appointment.id, kind=kind, now=moment)


def _mark_no_shows(moment: dt.datetime) -> None:
    jobs.mark_no_shows(now=moment)


def _check_in(moment: dt.datetime, world: World, visitor: Visitor) -> None:
    try:
        checked_in = checkin_perform(
            branch=world.branch,
            channel=Channel.KIOSK,
            code=visitor.appointment.code,
            detail={"device": world.device.name},
            now=moment,
        )
    except BookingError:
        return  # refused (too late, moved meanwhile): the no-show job has the last word
    floor.waiting(world, visitor, checked_in.ticket, moment)


def _walk_in(moment: dt.datetime, world: World, visitor: Visitor) -> None:
    person = visitor.customer
    try:
        if person is not None:
            ticket = walk_in_take(
                branch=world.branch,
                service=visitor.service,
                now=moment,
                channel=Channel.DESK,
                name=person.name,
                phone=person.phone,
            )
        else:
            ticket = walk_in_take(branch=world.branch, service=visitor.service, now=moment)
    except BookingError:
        return  # nobody offers it now (the lunch break): they come another day
    floor.waiting(world, visitor, ticket, moment)
    if visitor.patience is not None:
        gives_up = moment + dt.timedelta(minutes=visitor.patience)
        world.timeline.at(gives_up, _give_up, world, visitor)


def _give_up(moment: dt.datetime, world: World, visitor: Visitor) -> None:
    if not visitor.waiting:
        return
    if world.rng.random() < LEAVES_BY_LINK:
        ticket = visitor.ticket
        ticket_leave(visit=Visit(root=ticket, current=ticket), now=moment)
        floor.stopped_waiting(world, visitor, moment)
    else:
        visitor.fate = "gone"
