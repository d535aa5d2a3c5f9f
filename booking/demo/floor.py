"""The advisors' desks in the history: shifts, calling the next visitor, serving,
no-shows, and the service-level sweep at the minutes it would have found something."""

from __future__ import annotations

import datetime as dt

from booking.models import AdvisorStatus, PauseReason, Ticket
from booking.services import jobs, queue, service_levels
from booking.services.advisors import advisor_status_set
from booking.timeutils import at_local

from .world import Desk, Visitor, World

# The sweeps run every minute; the history runs them only when they have something to do.
SWEEP_EVERY = dt.timedelta(minutes=1)
# Where the morning job finds yesterday's leftovers.
MORNING_SWEEP = dt.time(7)


def open_day(world: World, day: dt.date) -> None:
    """Each advisor's shifts of ``day``, and the morning's clean-up of the day before."""
    tz = world.branch.tz
    world.timeline.at(at_local(day, MORNING_SWEEP, tz), _morning_sweep, world, day)
    for desk in world.desks.values():
        shifts = desk.hours.get(day.weekday(), [])
        for index, (begins, ends) in enumerate(shifts):
            last = index == len(shifts) - 1
            world.timeline.at(at_local(day, begins, tz), _shift_begins, world, desk)
            then = AdvisorStatus.OFFLINE if last else AdvisorStatus.PAUSED
            world.timeline.at(at_local(day, ends, tz), _shift_ends, world, desk, then)


def _morning_sweep(moment: dt.datetime, world: World, day: dt.date) -> None:
    """The jobs mark who still waited at closing time as not seen, and close their alerts."""
    jobs.mark_no_shows(now=moment)
    service_levels.wait_alerts_close(now=moment)
    for visitor in list(world.waiting.values()):
        if visitor.ticket.day < day:
            visitor.waiting = False
            del world.waiting[visitor.ticket.id]


def _shift_begins(moment: dt.datetime, world: World, desk: Desk) -> None:
    desk.on_shift = True
    desk.then = None
    advisor_status_set(advisor=desk.advisor, status=AdvisorStatus.AVAILABLE, now=moment)
    call_next(moment, world, desk)


def _shift_ends(moment: dt.datetime, world: World, desk: Desk, then: str) -> None:
    desk.on_shift = False
    desk.pending = None
    if desk.ticket is None:
        _step_away(desk, then, moment)
    else:
        desk.then = then


def _step_away(desk: Desk, status: str, moment: dt.datetime) -> None:
    reason = PauseReason.LUNCH if status == AdvisorStatus.PAUSED else ""
    advisor_status_set(advisor=desk.advisor, status=status, reason=reason, now=moment)


def wake(world: World, desk: Desk, at: dt.datetime) -> None:
    """The advisor looks at the queue at ``at`` if free and on shift then."""
    if not desk.on_shift or desk.ticket is not None:
        return
    if desk.pending is not None and desk.pending <= at:
        return
    desk.pending = at
    world.timeline.at(at, _look, world, desk)


def wake_for(world: World, ticket: Ticket, moment: dt.datetime) -> None:
    """A visitor joined the queue: one free advisor who could serve them looks up (a busy
    one calls the next visitor when done, so nobody is forgotten)."""
    free = [
        desk
        for desk in world.desks.values()
        if desk.on_shift
        and desk.ticket is None
        and ticket.service_id in desk.offers
        and ticket.advisor_id in (None, desk.advisor.id)
    ]
    if free:
        desk = world.rng.choice(free)
        wake(world, desk, moment + dt.timedelta(minutes=world.rng.uniform(0.3, 2)))


def _look(moment: dt.datetime, world: World, desk: Desk) -> None:
    if desk.pending != moment:
        return  # woken earlier meanwhile
    desk.pending = None
    call_next(moment, world, desk)


def _anyone_for(world: World, desk: Desk) -> bool:
    """Whether a waiting visitor could be this desk's next: if not, "call next" would
    find nobody, and the history saves asking."""
    return any(
        visitor.waiting
        and visitor.ticket.service_id in desk.offers
        and visitor.ticket.advisor_id in (None, desk.advisor.id)
        for visitor in world.waiting.values()
    )


def call_next(moment: dt.datetime, world: World, desk: Desk) -> None:
    if not desk.on_shift or desk.ticket is not None or not _anyone_for(world, desk):
        return
    ticket = queue.ticket_call_next(advisor=desk.advisor, branch=world.branch, now=moment)
    if ticket is None:
        return  # idle until a visitor joins
    desk.ticket = ticket
    visitor = world.visitors.get(ticket.id)
    if visitor is not None:
        stopped_waiting(world, visitor, moment)
    if visitor is not None and visitor.fate == "gone":
        minutes = world.rng.uniform(3, 6)
        world.timeline.at(moment + dt.timedelta(minutes=minutes), _not_there, world, desk, ticket)
        return
    minutes = world.rng.uniform(0.5, 2)
    world.timeline.at(moment + dt.timedelta(minutes=minutes), _start, world, desk, ticket)


def _start(moment: dt.datetime, world: World, desk: Desk, ticket: Ticket) -> None:
    ticket = queue.ticket_start(ticket=ticket, advisor=desk.advisor, now=moment)
    minutes = ticket.service.duration_minutes * world.rng.uniform(0.6, 1.3)
    world.timeline.at(moment + dt.timedelta(minutes=minutes), _finish, world, desk, ticket)


def _finish(moment: dt.datetime, world: World, desk: Desk, ticket: Ticket) -> None:
    ticket = queue.ticket_finish(ticket=ticket, advisor=desk.advisor, now=moment)
    world.on_served(world, ticket, moment)
    _free(moment, world, desk)


def _not_there(moment: dt.datetime, world: World, desk: Desk, ticket: Ticket) -> None:
    queue.ticket_no_show(ticket=ticket, advisor=desk.advisor, now=moment)
    _free(moment, world, desk)


def _free(moment: dt.datetime, world: World, desk: Desk) -> None:
    desk.ticket = None
    if desk.then is not None:
        _step_away(desk, desk.then, moment)
        desk.then = None
        return
    wake(world, desk, moment + dt.timedelta(minutes=world.rng.uniform(0.5, 3)))


def waiting(world: World, visitor: Visitor, ticket: Ticket, moment: dt.datetime) -> None:
    """The visitor holds a waiting ticket: wake the desks, and have the sweep look when
    the wait passes the branch's target."""
    visitor.ticket = ticket
    visitor.waiting = True
    world.visitors[ticket.id] = visitor
    world.waiting[ticket.id] = visitor
    world.stamps.add(ticket, moment)
    world.visits += 1
    deadline = service_levels.wait_deadline(ticket, world.branch)
    world.timeline.at(_next_sweep(deadline), _past_target, world, visitor)
    wake_for(world, ticket, moment)
    if ticket.appointment_id is not None:
        desk = world.desks.get(ticket.advisor_id)
        due = ticket.appointment.start - dt.timedelta(minutes=world.branch.call_ahead_minutes)
        if desk is not None and due > moment:
            wake(world, desk, due)


def stopped_waiting(world: World, visitor: Visitor, moment: dt.datetime) -> None:
    """Called or gone: the sweep closes the visitor's wait alert, if they had one."""
    visitor.waiting = False
    world.waiting.pop(visitor.ticket.id, None)
    if visitor.past_target:
        world.timeline.at(_next_sweep(moment), _sweep)


def _past_target(moment: dt.datetime, world: World, visitor: Visitor) -> None:
    """What the sweep does at this minute for this visitor (the history knows who waits,
    so it need not look through every branch)."""
    if visitor.waiting:
        visitor.past_target = True
        service_levels.wait_alert_open(ticket=visitor.ticket, now=moment)


def _sweep(moment: dt.datetime) -> None:
    service_levels.wait_alerts_close(now=moment)


def _next_sweep(moment: dt.datetime) -> dt.datetime:
    """The first whole minute after ``moment``, when the every-minute sweep runs."""
    return moment.replace(second=0, microsecond=0) + SWEEP_EVERY
