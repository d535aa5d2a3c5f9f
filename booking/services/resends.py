"""Requests a kiosk may send twice (a timeout, then a retry): the second finds the first.

A kiosk makes a ``client_id`` (uuid) per request and keeps it when it resends; the
ticket stores it under a unique constraint, so even two copies racing each other make
one ticket.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError
from django.utils.translation import gettext as _

from booking.exceptions import Conflict
from booking.models import Branch, Channel, Service, Ticket, TicketKind

from .queue import walk_in_take


def ticket_for_client(client_id: uuid.UUID) -> Ticket | None:
    """The ticket a request with this id made, as it stands now (after any transfers)."""
    ticket = (
        Ticket.objects.filter(client_id=client_id)
        .select_related("branch", "service", "advisor", "appointment")
        .first()
    )
    if ticket is None:
        return None
    while True:
        try:
            ticket = ticket.transferred_to
        except Ticket.DoesNotExist:
            return ticket


def walk_in_take_once(
    *,
    branch: Branch,
    service: Service,
    client_id: uuid.UUID,
    now: dt.datetime | None = None,
    channel: str = Channel.KIOSK,
) -> tuple[Ticket, bool]:
    """A walk-in ticket for this request; ``False`` when the request was seen before."""
    first = Ticket.objects.filter(client_id=client_id).only("id").first()
    if first is None:
        try:
            ticket = walk_in_take(
                branch=branch, service=service, now=now, channel=channel, client_id=client_id
            )
            return ticket, True
        except IntegrityError:
            # The same request, resent while the first copy was still being answered.
            if not Ticket.objects.filter(client_id=client_id).exists():
                raise
    root = Ticket.objects.select_related("service").get(client_id=client_id)
    if root.branch_id != branch.id or root.kind != TicketKind.WALK_IN or root.service != service:
        raise Conflict(
            "client_id_reused",
            _("This request id (%(client_id)s) belongs to another request.")
            % {"client_id": client_id},
        )
    return ticket_for_client(client_id), False
