"""An advisor's own status: available, busy, paused (with a reason) or offline, and
"running late, about N minutes", told once to each visitor waiting for them.

Every change of status closes the advisor's open ``StatusPeriod`` and opens the next,
so the day's paused minutes by reason can be summed (``booking.selectors.stats``).
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from booking import events
from booking.dbwrites import insert_from
from booking.exceptions import Invalid
from booking.models import (
    Advisor,
    AdvisorStatus,
    Channel,
    EventKind,
    JourneyEvent,
    NotificationKind,
    PauseReason,
    StatusPeriod,
    Ticket,
    TicketStatus,
)
from booking.timeutils import resolve_now

from .journey import events_record, ticket_event_build

# Not a status of its own: the advisor's status stays what it was.
RUNNING_LATE = "running_late"
MAX_LATE_MINUTES = 240


@functools.cache
def _status_change_statement() -> str:
    """The advisor's new status, if it differs (named parameters ``status``, ``reason``,
    ``now`` and ``advisor``). Built once per process: every call of a visitor runs it,
    mostly changing nothing."""
    return (
        f"UPDATE {Advisor._meta.db_table} SET status = %(status)s, "
        "pause_reason = %(reason)s, status_changed_at = %(now)s WHERE id = %(advisor)s "
        "AND NOT (status = %(status)s AND pause_reason = %(reason)s)"
    )


@functools.cache
def status_change_parts(guard: str) -> str:
    """``status_change`` as parts of a ``WITH`` on PostgreSQL (``chains_writes``), run
    only where ``guard`` holds, with the parameters of ``_status_change_statement``;
    the part ``status_changed`` holds the advisor's id if it changed."""
    period = StatusPeriod._meta.db_table
    opened = insert_from(
        StatusPeriod,
        # Only once the open period is closed: PostgreSQL checks that an advisor has at
        # most one (status_period_one_open) row by row, so the insert must come second.
        "status_changed WHERE (SELECT count(*) FROM period_closed) >= 0",
        {
            "advisor": "id",
            "status": "%(status)s",
            "reason": "%(reason)s",
            "start": "%(now)s",
            "end": "NULL",
        },
    )
    return (
        f"status_changed AS ({_status_change_statement()} AND {guard} RETURNING id), "
        f'period_closed AS (UPDATE {period} SET "end" = GREATEST(start, %(now)s) '
        'WHERE advisor_id IN (SELECT id FROM status_changed) AND "end" IS NULL RETURNING id), '
        f"period_opened AS ({opened})"
    )


def status_change(*, advisor_id: int, status: str, now: dt.datetime, reason: str = "") -> bool:
    """Set the status (and pause reason) if either differs, closing the open period and
    opening the next. Call inside a transaction: the update locks the advisor's row, so
    two changes at once record their periods one after the other."""
    with connection.cursor() as cursor:
        cursor.execute(
            _status_change_statement(),
            {
                "status": status,
                "reason": reason,
                "now": connection.ops.adapt_datetimefield_value(now),
                "advisor": advisor_id,
            },
        )
        changed = cursor.rowcount
    if not changed:
        return False
    # A period never ends before it began, even if a caller's clock is behind.
    StatusPeriod.objects.filter(advisor_id=advisor_id, end__isnull=True).update(
        end=Greatest("start", Value(now))
    )
    StatusPeriod.objects.create(advisor_id=advisor_id, status=status, reason=reason, start=now)
    return True


def advisor_status_set(
    *,
    advisor: Advisor,
    status: str,
    reason: str = "",
    minutes: int | None = None,
    now: dt.datetime | None = None,
) -> Advisor:
    """The advisor sets their status; ``paused`` needs a ``reason``. ``running_late``
    (with ``minutes``) keeps the status and tells the waiting visitors; any other status
    ends running late."""
    now = resolve_now(now)
    if status == RUNNING_LATE:
        return advisor_running_late(advisor=advisor, minutes=minutes, now=now)
    if status not in AdvisorStatus.values:
        raise Invalid("unknown_status", _("This is not a status."), field="status")
    if status == AdvisorStatus.PAUSED:
        if reason not in PauseReason.values:
            raise Invalid(
                "pause_reason_required",
                _("Please say why you pause: lunch, admin, training or other."),
                field="reason",
            )
    else:
        reason = ""
    with transaction.atomic():
        status_change(advisor_id=advisor.id, status=status, reason=reason, now=now)
        was_late = Advisor.objects.filter(id=advisor.id, late_minutes__isnull=False).update(
            late_minutes=None, late_since=None
        )
        if was_late:
            _estimates_moved(advisor)
        _queue_changed(advisor)
    advisor.refresh_from_db()
    return advisor


def advisor_running_late(
    *, advisor: Advisor, minutes: int | None, now: dt.datetime | None = None
) -> Advisor:
    """ "Running late, about ``minutes`` minutes": the estimates of the advisor's waiting
    visitors move by that much, and each of them is told once (a journey event and a
    message), however often the advisor says it."""
    now = resolve_now(now)
    if minutes is None or not 1 <= minutes <= MAX_LATE_MINUTES:
        raise Invalid(
            "late_minutes",
            _("Say how late you run: %(low)s to %(high)s minutes.")
            % {"low": 1, "high": MAX_LATE_MINUTES},
            field="minutes",
        )
    with transaction.atomic():
        # The update holds the advisor's row until the commit: a second "running late"
        # at the same moment waits here and then sees who has been told already.
        Advisor.objects.filter(id=advisor.id).update(late_minutes=minutes)
        Advisor.objects.filter(id=advisor.id, late_since__isnull=True).update(late_since=now)
        waiting = _waiting_for(advisor)
        told = set(
            JourneyEvent.objects.filter(
                kind=EventKind.RUNNING_LATE, ticket__in=[t.id for t in waiting]
            ).values_list("ticket_id", flat=True)
        )
        untold = [ticket for ticket in waiting if ticket.id not in told]
        if untold:
            events_record(
                [
                    ticket_event_build(
                        ticket,
                        kind=EventKind.RUNNING_LATE,
                        channel=Channel.STAFF,
                        at=now,
                        detail={
                            "number": ticket.number,
                            "advisor": advisor.name,
                            "minutes": minutes,
                        },
                    )
                    for ticket in untold
                ]
            )
        for ticket in untold:
            events.publish(events.TicketMessageDue(ticket.id, NotificationKind.RUNNING_LATE))
        _estimates_moved(advisor, waiting)
        _queue_changed(advisor)
    advisor.refresh_from_db()
    return advisor


def _waiting_for(advisor: Advisor) -> list[Ticket]:
    return list(
        Ticket.objects.filter(advisor_id=advisor.id, status=TicketStatus.WAITING)
        .select_related("branch", "appointment", "customer")
        .order_by("id")
    )


def _estimates_moved(advisor: Advisor, waiting: list[Ticket] | None = None) -> None:
    """Each waiting visitor's status page shows the new estimate."""
    for ticket in _waiting_for(advisor) if waiting is None else waiting:
        events.publish(events.TicketChanged(ticket.id, ticket.branch.slug))


def _queue_changed(advisor: Advisor) -> None:
    for branch in advisor.branches.all():
        events.publish(events.QueueChanged(branch.id, branch.slug))
