"""Read side of the visitor's phone: where a status link leads, and what the queue says.

A status link carries the first ticket's token; a transfer hands the visit on to a
successor with the same number, so the link keeps leading to the visit's current ticket.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from booking.models import Advisor, AdvisorStatus, Branch, Ticket, TicketStatus

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


def waiting_entries(branch: Branch | int, now: dt.datetime) -> dict[str, WaitingEntry]:
    """Every waiting visit of the branch by number: one read for all its status pages.

    Positions and estimates come from ``places``, exactly as the queue and the status
    API compute them.
    """
    branch_id = branch if isinstance(branch, int) else branch.id
    waiting = list(
        Ticket.objects.filter(branch_id=branch_id, status=TicketStatus.WAITING)
        .select_related("branch", "service", "advisor", "appointment")
        .only(
            "id",
            "number",
            "kind",
            "priority",
            "queued_at",
            "status",
            "branch",
            "service_id",
            "advisor",
            "appointment__start",
            "branch__timezone",
            "service__duration_minutes",
            "advisor__late_minutes",
            "advisor__id",
        )
    )
    if not waiting:
        return {}
    serving = list(
        Ticket.objects.filter(
            branch_id=branch_id, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        ).only("id", "service_id")
    )
    found = places(waiting[0].branch, waiting, serving, now)
    switchable: dict[tuple[int, int], bool] = {}
    entries = {}
    for ticket in waiting:
        late = late_minutes(ticket)
        switch = False
        if late is not None:
            key = (ticket.advisor_id, ticket.service_id)
            if key not in switchable:
                switchable[key] = switch_colleague(ticket, now) is not None
            switch = switchable[key]
        entries[ticket.number] = WaitingEntry(found[ticket.id], late, switch)
    return entries
