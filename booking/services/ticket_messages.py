"""Messages to visitors while they wait, each at most once per ticket.

"Almost your turn" when the visitor's place reaches ``NOTIFY_POSITION``, "please go to
Room 2" when called, and "your advisor runs about N minutes late". The floor's services
publish ``TicketMessageDue`` when one may be due; a task sends it here. A message is
claimed by its unique ``Notification`` row (ticket, kind) before it is sent, exactly as
appointment messages are, so a retried or duplicated job sends nothing twice.

Who gets them: a ticket's own contact (joined remotely or at the desk), by SMS when a
phone is known, else by e-mail; an appointment's visitor by SMS when the booking has a
phone number (they booked with their e-mail for the booking's own letters).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from booking import events
from booking.models import (
    Appointment,
    Channel,
    EventKind,
    Notification,
    NotificationKind,
    NotificationStatus,
    Ticket,
    TicketKind,
    TicketStatus,
)
from booking.selectors.dbfunctions import literal
from booking.selectors.visitor import ticket_status_url
from booking.sms import get_sms_backend
from booking.timeutils import resolve_now

from .notifications import STALE_CLAIM, notification_claim, notification_deliver, notification_skip

KINDS = (NotificationKind.TURN_SOON, NotificationKind.CALLED, NotificationKind.RUNNING_LATE)
JOURNEY = {
    NotificationKind.TURN_SOON: EventKind.TURN_SOON_SENT,
    NotificationKind.CALLED: EventKind.CALL_SENT,
    NotificationKind.RUNNING_LATE: EventKind.RUNNING_LATE,
}


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    language: str


def contact_of(ticket: Ticket) -> Contact:
    """Where messages about this ticket go (see the module's docstring)."""
    if ticket.contact_phone or ticket.contact_email or not ticket.appointment_id:
        return Contact(ticket.contact_phone, ticket.contact_email, ticket.language or "de")
    appointment = ticket.appointment
    return Contact(appointment.contact_phone, "", appointment.language or "de")


def has_contact(ticket: Ticket) -> bool:
    contact = contact_of(ticket)
    return bool(contact.phone or contact.email)


def message_due(ticket: Ticket, kind: str) -> None:
    """Publish that a message may be due, if anyone could receive it."""
    if has_contact(ticket):
        events.publish(events.TicketMessageDue(ticket.id, kind))


# The head of a service's walk-in queue, in ``ticket_place``'s order, with what reaches
# each visitor. Built once per process: every call and every issued ticket with a contact
# asks, and the ORM compiled this join anew each time.
_QUEUE_HEAD = """
SELECT t.id, t.contact_phone AS phone, t.contact_email AS email, a.contact_phone AS booked_phone
FROM {ticket} t LEFT JOIN {appointment} a ON a.id = t.appointment_id
WHERE t.branch_id = {branch} AND t.status = {waiting} AND t.service_id = {service}
    AND NOT (t.kind = {appointment_kind} AND t.advisor_id IS NOT NULL){besides}
ORDER BY t.priority DESC, t.queued_at, t.id
LIMIT {head:d}
"""


@functools.cache
def queue_head_statement(
    head: int, branch: str = "%s", service: str = "%s", besides: str = ""
) -> str:
    """The first ``head`` visitors of a service's walk-in queue with their ticket's and
    booking's contacts (the rows ``turn_soon_tell`` takes): the branch and the service
    are SQL (parameters by default); ``besides`` is more SQL for the ``WHERE``."""
    return _QUEUE_HEAD.format(
        head=head,
        branch=branch,
        service=service,
        besides=besides,
        ticket=Ticket._meta.db_table,
        appointment=Appointment._meta.db_table,
        waiting=literal(TicketStatus.WAITING),
        appointment_kind=literal(TicketKind.APPOINTMENT),
    )


def turn_soon_check(*, branch_id: int, service_id: int) -> None:
    """After a service's walk-in queue moved: the visitors now within ``NOTIFY_POSITION``
    of its head who can be told, and have not been, will be told.

    The order is the walk-in queue's (``ticket_place``): priority first, then first come.
    """
    turn_soon_tell(queue_head_read(branch_id=branch_id, service_id=service_id))


def queue_head_read(*, branch_id: int, service_id: int) -> list[tuple]:
    """The first ``NOTIFY_POSITION`` of a service's walk-in queue, as ``turn_soon_tell``
    takes them."""
    with connection.cursor() as cursor:
        cursor.execute(queue_head_statement(settings.NOTIFY_POSITION), [branch_id, service_id])
        return cursor.fetchall()


def turn_soon_tell(head: Sequence[Sequence]) -> None:
    """Tell those of the queue's head (rows of ``queue_head_statement``) who can be told
    and have not been."""
    reachable = [ticket_id for ticket_id, *contact in head if any(contact)]
    if not reachable:
        return
    told = set(
        Notification.objects.filter(
            ticket_id__in=reachable, kind=NotificationKind.TURN_SOON
        ).values_list("ticket_id", flat=True)
    )
    for ticket_id in reachable:
        if ticket_id not in told:
            events.publish(events.TicketMessageDue(ticket_id, NotificationKind.TURN_SOON))


def _still_wanted(ticket: Ticket, kind: str) -> bool:
    """A message that no longer fits the ticket (called already, served, left) is not sent."""
    if kind == NotificationKind.CALLED:
        return ticket.status == TicketStatus.CALLED
    if kind == NotificationKind.RUNNING_LATE:
        return ticket.status == TicketStatus.WAITING and bool(
            ticket.advisor_id and ticket.advisor.late_minutes
        )
    return ticket.status == TicketStatus.WAITING


def _texts(ticket: Ticket, kind: str, url: str | None) -> tuple[str, str]:
    """Subject and text, in the active language."""
    values = {
        "number": ticket.number,
        "branch": ticket.branch.name,
        "location": ticket.location or _("the counter"),
        "minutes": ticket.advisor.late_minutes if ticket.advisor_id else "",
        "url": url or "",
    }
    if kind == NotificationKind.CALLED:
        return (
            _("Number %(number)s: please go to %(location)s") % values,
            _("%(branch)s: number %(number)s, please go to %(location)s now. %(url)s") % values,
        )
    if kind == NotificationKind.RUNNING_LATE:
        return (
            _("Your advisor runs about %(minutes)s minutes late") % values,
            _(
                "%(branch)s, number %(number)s: your advisor runs about %(minutes)s minutes "
                "late. You may see the next free colleague instead: %(url)s"
            )
            % values,
        )
    return (
        _("Almost your turn: number %(number)s") % values,
        _(
            "%(branch)s: almost your turn, number %(number)s. Please come to the waiting "
            "area now. Your place: %(url)s"
        )
        % values,
    )


def ticket_message_send(
    *, ticket_id: int, kind: str, now: dt.datetime | None = None
) -> Notification | None:
    """Send one message about a ticket unless it was sent already.

    Returns the notification row if this call handled it, ``None`` if there was nothing
    to do. Raises ``TransientSendError`` when the send failed and may be retried.
    """
    if kind not in KINDS:
        return None
    now = resolve_now(now)
    ticket = (
        Ticket.objects.select_related("branch", "service", "advisor", "appointment")
        .filter(id=ticket_id)
        .first()
    )
    if ticket is None:
        return None
    note = notification_claim(kind=kind, key=ticket.number, now=now, ticket=ticket)
    if note is None:
        return None
    contact = contact_of(ticket)
    recipient = contact.phone or contact.email
    if not recipient or not _still_wanted(ticket, kind):
        return notification_skip(note)
    url = ticket_status_url(ticket)

    def send() -> None:
        subject, text = _texts(ticket, kind, url)
        if contact.phone:
            get_sms_backend().send(recipient, text)
        else:
            EmailMessage(subject=subject, body=text, to=[recipient]).send()

    return notification_deliver(
        note,
        recipient=recipient,
        send=send,
        language=contact.language,
        tz=ticket.branch.tz,
        journey={
            "kind": JOURNEY[kind],
            "channel": Channel.SMS if contact.phone else Channel.EMAIL,
            "branch": ticket.branch,
            "ticket": ticket,
            "appointment": ticket.appointment,
            "detail": {"message": kind, "number": ticket.number},
        },
    )


def ticket_messages_unsent(*, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """(ticket id, kind) of messages to open tickets whose send failed or whose sender
    died mid-send: the retry sweep hands them to the task again."""
    now = resolve_now(now)
    return list(
        Notification.objects.filter(
            ticket__status__in=[TicketStatus.WAITING, TicketStatus.CALLED],
            kind__in=KINDS,
        )
        .filter(
            Q(status=NotificationStatus.FAILED)
            | Q(status=NotificationStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .values_list("ticket_id", "kind")
    )
