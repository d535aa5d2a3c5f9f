"""After the visit: the kiosk's rating, the managers' follow-up of low ratings, personal
messages with a rebooking link, and the customers' second rating."""

from __future__ import annotations

import datetime as dt
import uuid

from booking.models import LOW_SCORE, Alert, AlertStatus, Channel, Rating, Recovery, Ticket
from booking.services import alerts, jobs
from booking.services.ratings import rating_submit
from booking.services.recovery import (
    AFTER_REBOOKED_VISIT,
    WITHOUT_REBOOKING,
    recovery_rerate,
    recovery_send,
)
from booking.services.service_levels import waited_minutes
from booking.timeutils import at_local

from . import habits, visits
from .world import Visitor, World

RECOVERY_MESSAGE = (
    "Es tut uns leid, dass Ihr Besuch nicht so war, wie er sein sollte. "
    "Wir würden es gern wiedergutmachen."
)
RESOLVED_NOTE = "Kunde angerufen."
# Some follow-ups are forgotten: the overdue job reports them, and they stay open.
FORGOTTEN = 0.1
WRITES_BACK, REBOOKS, RERATES = 0.9, 0.6, 0.75
# When the manager looks at alerts.
OFFICE = (dt.time(8), dt.time(18))
# The every-minute jobs see a due time pass within the minute.
JOBS_DELAY = dt.timedelta(minutes=1)
# The re-rating job runs every few minutes; the history runs it once each evening.
RERATING_SWEEP = dt.time(18, 30)


def rate(world: World, ticket: Ticket, moment: dt.datetime) -> None:
    """About half of the visitors rate at the kiosk a few minutes after their visit."""
    rng = world.rng
    if rng.random() >= habits.RATING_SHARE:
        return
    waited = waited_minutes(ticket, ticket.called_at)
    score = habits.score(rng, waited)
    answer = {
        "client_id": uuid.UUID(int=rng.getrandbits(128)),
        "score": score,
        "tags": habits.tags(rng, score, waited),
        "comment": habits.comment(rng, score),
        "contact_ok": habits.contact_ok(rng) if score <= LOW_SCORE else None,
    }
    given = moment + dt.timedelta(minutes=rng.uniform(1, 6))
    world.timeline.at(given, _rated, world, ticket.id, answer)


def _rated(moment: dt.datetime, world: World, ticket_id: int, answer: dict) -> None:
    rating, _ = rating_submit(device=world.device, ticket_id=ticket_id, now=moment, **answer)
    if rating.is_low and world.manager is not None:
        _follow_up(world, Alert.objects.get(rating=rating), rating, moment)


def _follow_up(world: World, alert: Alert, rating: Rating, moment: dt.datetime) -> None:
    """A manager takes the alert within hours and resolves it within a day, or forgets
    it and is reminded by the overdue job. Every follow-up is done before now: the demo
    sends no e-mail about made-up ratings once it runs."""
    rng, timeline = world.rng, world.timeline
    latest = timeline.horizon - dt.timedelta(minutes=rng.uniform(5, 60))
    overdue = alert.due + JOBS_DELAY
    acknowledged = _at_work(world, moment + dt.timedelta(hours=rng.uniform(0.2, 4)))
    acknowledged = max(moment, min(acknowledged, latest))
    timeline.at(acknowledged, _acknowledge, world, alert)
    if rng.random() < FORGOTTEN and overdue < timeline.horizon:
        timeline.at(overdue, _report_overdue)
    else:
        resolved = _at_work(world, acknowledged + dt.timedelta(hours=rng.uniform(0.5, 16)))
        resolved = min(resolved, latest)
        timeline.at(max(resolved, acknowledged), _resolve, world, alert)
    written = _at_work(world, moment + dt.timedelta(hours=rng.uniform(2, 30)))
    # Only messages whose "did we put it right?" is asked before now: none is left to send.
    reachable = rating.appointment_id is not None or bool(rating.ticket.contact_phone)
    if (
        rating.contact_ok
        and reachable
        and rng.random() < WRITES_BACK
        and written + WITHOUT_REBOOKING < timeline.horizon
    ):
        timeline.at(written, _write_back, world, alert, rating)


def _at_work(world: World, moment: dt.datetime) -> dt.datetime:
    """The manager acts on working days between 08:00 and 18:00: later is the next
    working morning."""
    local = world.branch.local(moment)
    if local.weekday() < 5 and OFFICE[0] <= local.time() < OFFICE[1]:
        return moment
    day = local.date() + dt.timedelta(days=0 if local.time() < OFFICE[0] else 1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    minutes = world.rng.uniform(0, 90)
    return at_local(day, OFFICE[0], world.branch.tz) + dt.timedelta(minutes=minutes)


def _acknowledge(moment: dt.datetime, world: World, alert: Alert) -> None:
    alert.refresh_from_db()
    if alert.status == AlertStatus.RESOLVED:
        return
    alerts.alert_acknowledge(alert, user=world.manager, now=moment)


def _resolve(moment: dt.datetime, world: World, alert: Alert) -> None:
    alerts.alert_resolve(alert, user=world.manager, note=RESOLVED_NOTE, now=moment)


def _report_overdue(moment: dt.datetime) -> None:
    jobs.flag_overdue_alerts(now=moment)


def _write_back(moment: dt.datetime, world: World, alert: Alert, rating: Rating) -> None:
    """A personal message with a rebooking link; some book again through it."""
    found, _ = recovery_send(alert=alert, user=world.manager, message=RECOVERY_MESSAGE, now=moment)
    rng = world.rng
    customer = world.customer(rating.appointment.contact_email) if rating.appointment else None
    if customer is None or rng.random() >= REBOOKS or not world.bookable:
        return
    booked = moment + dt.timedelta(hours=rng.uniform(1, 48))
    day = (booked + dt.timedelta(days=rng.randint(2, 10))).date()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    start = at_local(day, dt.time(rng.choice([9, 10, 11, 14, 15])), world.branch.tz)
    # Only visits the history can finish, and ask about, before now.
    if start + dt.timedelta(days=1) + AFTER_REBOOKED_VISIT >= world.timeline.horizon:
        return
    visitor = Visitor(
        service=rating.appointment.service,
        customer=customer,
        start=start,
        booked_at=booked,
        channel=Channel.WEB,
        minutes_early=rng.uniform(0, 10),
        recovery_token=found.token,
    )
    world.timeline.at(booked, visits.book, world, visitor)


def open_evening(world: World, day: dt.date) -> None:
    world.timeline.at(at_local(day, RERATING_SWEEP, world.branch.tz), _ask_rerating, world)


def _ask_rerating(moment: dt.datetime, world: World) -> None:
    """The job asks "did we put it right?"; most answer within a day or so."""
    jobs.ask_for_rerating(now=moment)
    asked = Recovery.objects.filter(
        alert__branch=world.branch, rerating_sent_at=moment, rerated_score__isnull=True
    ).order_by("id")
    for found in asked:
        if world.rng.random() < RERATES:
            answered = moment + dt.timedelta(hours=world.rng.uniform(1, 30))
            score = world.rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 4, 4])[0]
            world.timeline.at(answered, _rerate, found.token, score)


def _rerate(moment: dt.datetime, token: str, score: int) -> None:
    recovery_rerate(token=token, score=score, now=moment)
