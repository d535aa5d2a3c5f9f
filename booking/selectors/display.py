"""What the lobby screen keeps in sight: the last calls of the day, whatever came of them."""

from __future__ import annotations

import datetime as dt

from booking.models import Branch, Ticket, TicketStatus

RECENT_CALLS = 6


def recent_calls(branch: Branch, now: dt.datetime, *, limit: int = RECENT_CALLS) -> list[dict]:
    """The day's last ``limit`` numbers called, newest first, each with its latest call.

    A visitor who looked away when their number came up still finds it here after their
    visit began; ``current`` marks the calls still waiting for their visitor. Numbers and
    places only, never names.
    """
    rows = (
        Ticket.objects.filter(branch=branch, day=branch.local_date(now), called_at__isnull=False)
        .order_by("-called_at", "-id")
        .values("number", "location", "called_at", "status")
    )
    recent: dict[str, dict] = {}
    # A transfer hands the number on and it may be called again: the latest call counts.
    for row in rows[: limit * 4]:
        if row["number"] not in recent:
            recent[row["number"]] = {**row, "current": row["status"] == TicketStatus.CALLED}
        if len(recent) == limit:
            break
    return list(recent.values())
