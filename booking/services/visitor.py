"""What a visitor does from their phone: join the queue from outside, leave it, and see
the next free colleague instead of a late advisor."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from booking import events
from booking.exceptions import Conflict, Invalid
from booking.models import (
    Branch,
    Channel,
    EventKind,
    JourneyEvent,
    Notification,
    Service,
    Ticket,
    TicketKind,
    TicketStatus,
)
from booking.selectors.visitor import Visit, late_minutes, switch_colleague, visit_by_token
from booking.timeutils import resolve_now

from .appointments import CustomerData, customer_for
from .journey import ticket_event_record
from .queue import ticket_issue, ticket_transfer, walk_in_check
from .ticket_messages import turn_soon_check

# Bidi embeddings, overrides and isolates: they can make a name read as something else.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def person_name_check(name: str, *, field: str = "name") -> str:
    """A name as typed, trimmed; control and bidi-override characters are refused."""
    name = name.strip()
    if not name:
        raise Invalid("invalid_name", _("Please enter your name."), field=field)
    if any(ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc" for ch in name):
        raise Invalid(
            "invalid_name",
            _("The name contains characters that cannot be used in a name."),
            field=field,
        )
    return name


def _refuse_closed_queue(branch: Branch) -> None:
    if not (branch.active and branch.remote_queue):
        raise Conflict(
            "remote_queue_off",
            _(
                "This branch takes no queue sign-ups from outside right now. Please take a "
                "number at the kiosk in the branch."
            ),
        )


def queue_join(
    *,
    branch: Branch,
    service: Service,
    name: str,
    phone: str = "",
    email: str = "",
    language: str = "de",
    client_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> tuple[Ticket, bool]:
    """Join a walk-in queue from outside; ``(ticket, created)``.

    Open while the branch allows it and someone on duty offers the service. The same
    ``client_id`` again (a resent form, a retried request) finds the first ticket.
    """
    now = resolve_now(now)
    if client_id is not None and (existing := _joined_before(client_id, branch)) is not None:
        return existing, False
    name = person_name_check(name)
    _refuse_closed_queue(branch)
    walk_in_check(branch, service, now)
    email, phone = email.strip(), phone.strip()
    customer = None
    if email:
        contact = CustomerData(name=name, email=email, phone=phone, language=language)
        customer = customer_for(contact)
    try:
        with transaction.atomic():
            ticket = ticket_issue(
                branch=branch,
                service=service,
                kind=TicketKind.WALK_IN,
                now=now,
                customer=customer,
                channel=Channel.WEB,
                contact_name=name,
                contact_phone=phone,
                contact_email=email,
                language=language,
                client_id=client_id,
            )
    except IntegrityError:
        # The same client id won a race with itself (a double submit): answer the first.
        existing = _joined_before(client_id, branch) if client_id is not None else None
        if existing is None:
            raise
        return existing, False
    return ticket, True


def _joined_before(client_id: uuid.UUID, branch: Branch) -> Ticket | None:
    existing = Ticket.objects.filter(client_id=client_id).first()
    if existing is not None and existing.branch_id != branch.id:
        raise Conflict("client_id_used", _("This request was already made for another branch."))
    return existing


def _cannot_leave(ticket: Ticket) -> Conflict:
    if ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING):
        return Conflict(
            "wrong_state",
            _("Number %(number)s has been called already. Please speak to our staff.")
            % {"number": ticket.number},
        )
    return Conflict(
        "wrong_state",
        _("Number %(number)s is no longer waiting.") % {"number": ticket.number},
    )


def ticket_leave(*, visit: Visit, now: dt.datetime | None = None) -> Ticket:
    """The visitor leaves the queue; everyone behind moves up at once.

    Leaving again answers the same (``left``); a visitor called, served or gone cannot.
    """
    now = resolve_now(now)
    ticket = visit.current
    with transaction.atomic():
        left = Ticket.objects.filter(id=ticket.id, status=TicketStatus.WAITING).update(
            status=TicketStatus.LEFT, finished_at=now
        )
        ticket.refresh_from_db()
        if not left:
            if ticket.status == TicketStatus.LEFT:
                return ticket
            raise _cannot_leave(ticket)
        ticket_event_record(
            ticket,
            kind=EventKind.LEFT,
            channel=Channel.WEB,
            at=now,
            detail={"number": ticket.number, "service": ticket.service.slug},
        )
        events.publish(events.QueueChanged(ticket.branch_id, ticket.branch.slug))
        events.publish(events.TicketChanged(ticket.id, ticket.branch.slug))
        turn_soon_check(branch_id=ticket.branch_id, service_id=ticket.service_id)
    return ticket


def _switched(ticket: Ticket) -> bool:
    return (
        ticket.transferred_from_id is not None
        and JourneyEvent.objects.filter(ticket=ticket, kind=EventKind.SWITCHED).exists()
    )


def ticket_switch(*, visit: Visit, now: dt.datetime | None = None) -> Ticket:
    """The visitor of a late advisor sees the next free colleague who offers the service
    instead; they keep their number and place. A resent switch answers the first one."""
    now = resolve_now(now)
    ticket = visit.current
    if ticket.status == TicketStatus.WAITING and _switched(ticket):
        return ticket
    if ticket.status != TicketStatus.WAITING:
        raise Conflict(
            "wrong_state",
            _("Number %(number)s is no longer waiting.") % {"number": ticket.number},
        )
    if late_minutes(ticket) is None:
        raise Conflict(
            "not_late",
            _("Your advisor is on time. Please wait to be called."),
        )
    colleague = switch_colleague(ticket, now)
    if colleague is None:
        raise Conflict(
            "no_colleague",
            _("No colleague offers this service right now. Please wait for your advisor."),
        )
    try:
        return ticket_transfer(
            ticket=ticket,
            to_advisor=colleague,
            now=now,
            event=EventKind.SWITCHED,
            channel=Channel.WEB,
        )
    except Conflict:
        # A second tap lost the race to the first: answer what the first one did.
        again = visit_by_token(visit.root.status_token)
        if again is not None and _switched(again.current):
            return again.current
        raise


# A waiting visitor's contact is for messages about that visit; the journey keeps the
# customer (when they gave an e-mail), not the contact on the ticket.
TICKET_CONTACT_DAYS = 2


def ticket_contacts_forget(*, now: dt.datetime | None = None) -> int:
    """Clear the name, phone and e-mail on tickets of past days (and where their
    messages went); returns how many tickets had some."""
    now = resolve_now(now)
    before = now.date() - dt.timedelta(days=TICKET_CONTACT_DAYS)
    tickets = Ticket.objects.filter(day__lt=before).exclude(
        contact_name="", contact_phone="", contact_email=""
    )
    with transaction.atomic():
        Notification.objects.filter(ticket__in=tickets).exclude(recipient="").update(recipient="")
        return tickets.update(contact_name="", contact_phone="", contact_email="")
