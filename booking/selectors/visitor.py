"""Read side of the visitor's phone: where a status link leads, and what the queue says.

A status link carries the first ticket's token; a transfer hands the visit on to a
successor with the same number, so the link keeps leading to the visit's current ticket.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from booking.models import Advisor, AdvisorStatus, Branch, Service, Ticket, TicketStatus

from .queue import Place, advisors_on_duty, places

_RELATED = ("branch", "service", "advisor", "appointment")


@dataclass(frozen=True)
class Visit:
    """The ticket whose link the visitor holds (``root``) and the visit's ticket now."""

    root: Ticket
    current: Ticket


def visit_by_token(token: str) -> Visit | None:
    """The visit a status link leads to, or ``None`` for an unknown token."""
    if not token or len(token) > 64:
        return None
    root = Ticket.objects.select_related(*_RELATED).filter(status_token=token).first()
    if root is None:
        return None
    if root.status != TicketStatus.TRANSFERRED:
        return Visit(root, root)
    # A transfer hands the number on; the visit's live ticket is the one not handed on.
    current = (
        Ticket.objects.select_related(*_RELATED)
        .filter(branch_id=root.branch_id, day=root.day, number=root.number)
        .exclude(status=TicketStatus.TRANSFERRED)
        .order_by("-id")
        .first()
    )
    return Visit(root, current or root)


def status_token_of(ticket: Ticket) -> str | None:
    """The token of the visit's link: the first ticket's, also for a transfer's successor."""
    if ticket.transferred_from_id is None:
        return ticket.status_token
    return (
        Ticket.objects.filter(
            branch_id=ticket.branch_id,
            day=ticket.day,
            number=ticket.number,
            transferred_from__isnull=True,
        )
        .values_list("status_token", flat=True)
        .first()
    )


def status_url(token: str | None) -> str | None:
    """The absolute address of a status page (``/t/<token>/``), for links in messages."""
    return f"{settings.SITE_URL}/t/{token}/" if token else None


def ticket_status_url(ticket: Ticket) -> str | None:
    return status_url(status_token_of(ticket))


def late_minutes(ticket: Ticket) -> int | None:
    """How late the advisor this waiting visitor waits for runs, if they said so."""
    advisor = ticket.advisor
    if ticket.status != TicketStatus.WAITING or advisor is None:
        return None
    return advisor.late_minutes or None


# Whom to prefer among colleagues: at their desk and free, then busy, then the rest.
_READINESS = {AdvisorStatus.AVAILABLE: 0, AdvisorStatus.BUSY: 1}


def switch_colleague(ticket: Ticket, now: dt.datetime) -> Advisor | None:
    """Who could see this visitor instead of their late advisor: a colleague on duty who
    offers the service and is not late; free ones first, then the least waited for."""
    colleagues = [
        advisor
        for advisor in advisors_on_duty(ticket.branch, now)
        if advisor.id != ticket.advisor_id
        and not advisor.late_minutes
        and any(service.id == ticket.service_id for service in advisor.services.all())
    ]
    if not colleagues:
        return None
    waiting: dict[int, int] = {}
    for advisor_id in Ticket.objects.filter(
        advisor__in=colleagues, status=TicketStatus.WAITING
    ).values_list("advisor_id", flat=True):
        waiting[advisor_id] = waiting.get(advisor_id, 0) + 1
    return min(
        colleagues,
        key=lambda a: (_READINESS.get(a.status, 2), waiting.get(a.id, 0), a.name),
    )


def can_switch(ticket: Ticket, now: dt.datetime) -> bool:
    return late_minutes(ticket) is not None and switch_colleague(ticket, now) is not None


@dataclass(frozen=True)
class WaitingEntry:
    """What a waiting visitor's status page shows that a queue change may move."""

    place: Place
    late_minutes: int | None
    can_switch: bool


@dataclass(frozen=True)
class _Appointment:
    start: dt.datetime


@dataclass(frozen=True)
class _Advisor:
    late_minutes: int | None


@dataclass
class _Waiting:
    """A waiting ticket with just what ``places`` reads: all of a branch's in one query,
    without building model instances (a busy branch has hundreds)."""

    id: int
    number: str
    kind: str
    priority: bool
    queued_at: dt.datetime
    advisor_id: int | None
    service_id: int
    appointment_id: int | None
    appointment: _Appointment | None
    late_minutes: int | None
    service: Service | None = None
    branch: Branch | None = None
    status: str = TicketStatus.WAITING

    @property
    def advisor(self) -> _Advisor | None:
        return _Advisor(self.late_minutes) if self.advisor_id else None


def waiting_entries(branch_id: int, now: dt.datetime) -> dict[str, WaitingEntry]:
    """Every waiting visit of the branch by number: one read for all its status pages.

    Positions and estimates come from ``places``, exactly as the queue and the status
    API compute them.
    """
    rows = Ticket.objects.filter(branch_id=branch_id, status=TicketStatus.WAITING).values_list(
        "id",
        "number",
        "kind",
        "priority",
        "queued_at",
        "advisor_id",
        "service_id",
        "appointment_id",
        "appointment__start",
        "advisor__late_minutes",
    )
    waiting = [_Waiting(*row[:8], _Appointment(row[8]) if row[7] else None, row[9]) for row in rows]
    if not waiting:
        return {}
    branch = Branch.objects.get(id=branch_id)
    services = Service.objects.in_bulk({t.service_id for t in waiting})
    for ticket in waiting:
        ticket.service, ticket.branch = services[ticket.service_id], branch
    serving = list(
        Ticket.objects.filter(
            branch_id=branch_id, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        ).only("id", "service_id")
    )
    found = places(branch, waiting, serving, now)  # type: ignore[arg-type]
    switchable: dict[tuple[int | None, int], bool] = {}
    entries = {}
    for ticket in waiting:
        late = ticket.late_minutes if ticket.advisor_id else None
        switch = False
        if late:
            key = (ticket.advisor_id, ticket.service_id)
            if key not in switchable:
                switchable[key] = switch_colleague(ticket, now) is not None  # type: ignore[arg-type]
            switch = switchable[key]
        entries[ticket.number] = WaitingEntry(found[ticket.id], late or None, switch)
    return entries
