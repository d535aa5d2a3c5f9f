"""Visit ratings from the kiosk: one per visit, idempotent by the kiosk's client id.

A rating of 1 or 2 opens an alert and tells the branch's managers at once.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from booking import events
from booking.exceptions import Conflict, Invalid, NotFound
from booking.models import (
    Appointment,
    Branch,
    Channel,
    EventKind,
    KioskDevice,
    Rating,
    Ticket,
)
from booking.selectors.queue import visit_wait_minutes
from booking.throttling import throttle_check
from booking.timeutils import resolve_now
from booking.validators import strip_control_characters

from .alerts import alert_raise
from .checkin import kiosk_key, wrong_code
from .codes import looks_like_code, normalize_code
from .journey import event_record

# How far a kiosk's clock may run ahead before its given_at is not believed.
CLOCK_SKEW = dt.timedelta(minutes=10)
# An offline kiosk's rating is believed for this long after it was given.
MAX_DELAY = dt.timedelta(hours=24)
# Today's ticket number as printed and shown ("A012"): a prefix of one or two letters.
TICKET_NUMBER = re.compile(r"^[A-Z]{1,2}[0-9]{3,4}$")


def _visit(
    branch: Branch, ticket_id: int | None, code: str | None, *, device: KioskDevice, now
) -> tuple[Ticket | None, Appointment | None]:
    ticket = appointment = None
    if ticket_id:
        found = Ticket.objects.filter(id=ticket_id, branch=branch).select_related("appointment")
        ticket = found.first()
        if ticket is None:
            raise NotFound("unknown_ticket", _("We could not find this ticket at this branch."))
        ticket = ticket.visit_root
        appointment = ticket.appointment
    if code:
        # Guessing codes here is as closed as at the check-in: the same per-kiosk limit.
        throttle_check("wrong_code", kiosk_key(device), now=now.timestamp())
        text = normalize_code(code)
        if TICKET_NUMBER.match(text):
            found_ticket = _todays_ticket(branch, text, now)
            if found_ticket is None:
                raise wrong_code(kiosk_key(device), now)
            if ticket is None:
                ticket = found_ticket
                appointment = appointment or found_ticket.appointment
            return ticket, appointment
        appointment = (
            Appointment.objects.filter(code=text, branch=branch).order_by("-start").first()
            if looks_like_code(text)
            else None
        )
        if appointment is None:
            raise wrong_code(kiosk_key(device), now)
        if ticket is None:
            first = appointment.tickets.filter(transferred_from__isnull=True).first()
            ticket = first
    return ticket, appointment


def _todays_ticket(branch: Branch, number: str, now: dt.datetime) -> Ticket | None:
    """The first ticket of today's visit with this number (a transfer keeps the number)."""
    return (
        Ticket.objects.filter(branch=branch, day=branch.local_date(now), number=number)
        .select_related("appointment")
        .order_by("id")
        .first()
    )


def _when(given_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if given_at is None:
        return now
    if given_at.tzinfo is None:
        given_at = given_at.replace(tzinfo=dt.UTC)
    if given_at > now + CLOCK_SKEW or given_at < now - MAX_DELAY:
        raise Invalid("given_at", _("This rating time is not plausible."), field="given_at")
    return min(given_at, now)


def rating_submit(
    *,
    device: KioskDevice,
    client_id: uuid.UUID,
    score: int,
    tags: list[str] | None = None,
    comment: str = "",
    ticket_id: int | None = None,
    code: str | None = None,
    given_at: dt.datetime | None = None,
    contact_ok: bool | None = None,
    now: dt.datetime | None = None,
) -> tuple[Rating, bool]:
    """Store a rating; the same ``client_id`` again returns the first one (``False``).

    ``code`` is a booking's check-in code or today's ticket number ("A012"), so walk-ins'
    ratings join their waits. ``contact_ok`` answers "May we contact you about this?".
    """
    now = resolve_now(now)
    branch = device.branch
    existing = Rating.objects.filter(client_id=client_id).first()
    if existing is not None:
        return existing, False
    if not 1 <= score <= 5:
        raise Invalid("score", _("A rating is a score from 1 to 5."), field="score")
    ticket, appointment = _visit(branch, ticket_id, code, device=device, now=now)
    rating = Rating(
        branch=branch,
        client_id=client_id,
        score=score,
        tags=list(tags or []),
        comment=strip_control_characters(comment).strip(),
        ticket=ticket,
        appointment=appointment,
        customer=(appointment and appointment.customer) or (ticket and ticket.customer),
        service=(ticket and ticket.service) or (appointment and appointment.service),
        advisor=_served_by(ticket, appointment),
        device=device,
        given_at=_when(given_at, now),
        wait_minutes=visit_wait_minutes(ticket) if ticket else None,
        contact_ok=contact_ok,
    )
    try:
        with transaction.atomic():
            rating.save(force_insert=True)
            event_record(
                kind=EventKind.RATED,
                channel=Channel.RATING,
                branch=branch,
                customer=rating.customer,
                appointment=appointment,
                ticket=ticket,
                at=rating.given_at,
                detail={"score": score, "tags": rating.tags},
            )
            events.publish(events.RatingReceived(rating.id, branch.slug))
            if rating.is_low:
                alert_raise(rating, now=now)
    except IntegrityError:
        again = Rating.objects.filter(client_id=client_id).first()
        if again is not None:
            return again, False
        raise Conflict(
            "already_rated", _("This visit has already been rated. Thank you!")
        ) from None
    return rating, True


def _served_by(ticket: Ticket | None, appointment: Appointment | None):
    if ticket is not None:
        last = (
            Ticket.objects.filter(
                branch_id=ticket.branch_id,
                day=ticket.day,
                number=ticket.number,
                advisor__isnull=False,
            )
            .order_by("-id")
            .first()
        )
        if last is not None:
            return last.advisor
    return appointment.advisor if appointment else None
