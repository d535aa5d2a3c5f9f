"""The branch queue: issuing tickets, calling the next visitor, and each ticket's moves.

A ticket moves waiting → called → serving → done, or to no_show, or is transferred
(the old row becomes ``transferred`` and a successor with the same number waits
for the new advisor or service, keeping its place). Every move is a conditional
update on the expected old status, so two desks can never take the same visitor.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from booking import events
from booking.dbwrites import Chain, chains_writes, insert, update
from booking.exceptions import Conflict, Forbidden, Invalid
from booking.models import (
    Advisor,
    AdvisorStatus,
    Appointment,
    AppointmentStatus,
    Branch,
    Channel,
    Customer,
    EventKind,
    JourneyEvent,
    NotificationKind,
    Service,
    Ticket,
    TicketCounter,
    TicketKind,
    TicketStatus,
)
from booking.selectors.catalog import walk_in_services
from booking.selectors.queue import advisors_on_duty, ticket_place
from booking.selectors.ticket_read import ticket_with_visit
from booking.timeutils import resolve_now

from .advisors import status_change
from .journey import event_record, ticket_event_build, ticket_event_record
from .next_visitor import next_visitor_call, next_visitor_claim
from .ticket_messages import (
    has_contact,
    message_due,
    queue_head_read,
    turn_soon_check,
    turn_soon_tell,
)

_COUNTERS = TicketCounter._meta.db_table
# Takes the day's next number: the row stays locked until the transaction ends.
_COUNTER_UPSERT = (
    f"INSERT INTO {_COUNTERS} (branch_id, day, prefix, last) VALUES (%s, %s, %s, 1) "
    f"ON CONFLICT (branch_id, day, prefix) DO UPDATE SET last = {_COUNTERS}.last + 1 "
    "RETURNING last"
)
# The prefix (the field's own value) and the counter, at least three digits: A007, A1000.
_NUMBER = (
    "%s || (SELECT CASE WHEN last < 1000 THEN lpad(last::text, 3, '0') ELSE last::text END"
    " FROM counter)"
)


def _next_number(branch: Branch, prefix: str, day: dt.date) -> str:
    """The next number of the day for a prefix, in one statement.

    The upsert locks the counter row until the transaction ends, so numbers are never
    handed out twice; PostgreSQL and SQLite both speak this dialect.
    """
    with connection.cursor() as cursor:
        cursor.execute(_COUNTER_UPSERT, [branch.id, day, prefix])
        (last,) = cursor.fetchone()
    return f"{prefix}{last:03d}"


def _queue_changed(branch: Branch) -> None:
    events.publish(events.QueueChanged(branch.id, branch.slug))


def _ticket_changed(ticket: Ticket) -> None:
    """The ticket's own status page looks again (others follow ``QueueChanged``)."""
    events.publish(events.TicketChanged(ticket.id, ticket.branch.slug))


def _in_walk_in_queue(ticket: Ticket) -> bool:
    """Waits in its service's queue (not in one advisor's line of appointments)."""
    return ticket.kind == TicketKind.WALK_IN or ticket.advisor_id is None


def _service_queue_moved(ticket: Ticket) -> None:
    """Someone in the ticket's service queue moved: tell who is now almost due."""
    turn_soon_check(branch_id=ticket.branch_id, service_id=ticket.service_id)


def ticket_build(
    *,
    branch: Branch,
    service: Service,
    kind: str,
    now: dt.datetime,
    appointment: Appointment | None = None,
    customer: Customer | None = None,
    advisor: Advisor | None = None,
    priority: bool = False,
    arrival: str = "",
    channel: str = Channel.KIOSK,
    promised_wait_minutes: int | None = None,
    **fields,
) -> Ticket:
    """A waiting ticket, not saved yet and without its number (``ticket_insert`` gives
    it both). The estimate shown now is kept as the ticket's promise; a caller that
    knows it already passes ``promised_wait_minutes``, otherwise the place is counted
    here and kept as ``place_when_issued`` for an answer given at the same moment.
    ``fields`` are further ticket fields (the visitor's contact, a client's id).
    """
    ticket = Ticket(
        branch=branch,
        service=service,
        day=branch.local_date(now),
        kind=kind,
        priority=priority,
        appointment=appointment,
        customer=customer,
        advisor=advisor,
        location=advisor.location if advisor else "",
        arrival=arrival,
        queued_at=now,
        channel=channel,
        promised_wait_minutes=promised_wait_minutes,
        **fields,
    )
    ticket.place_when_issued = None
    if promised_wait_minutes is None:
        # Counted before the insert, so the day's counter is not held while counting.
        place = ticket.place_when_issued = ticket_place(ticket, now)
        ticket.promised_wait_minutes = place.estimated_wait_minutes if place else None
    return ticket


def ticket_insert(
    ticket: Ticket,
    *,
    changed: tuple[Model, tuple[str, ...]] | None = None,
    journey: list[JourneyEvent] = (),
) -> None:
    """Insert a built ticket with the day's next number, with the ``changed`` fields of
    another row and ``journey`` events about the ticket (their ``number`` in ``detail``,
    if they have one, becomes the ticket's). Call inside a transaction.

    The counter's upsert locks its row until the transaction ends, so numbers are never
    handed out twice. On PostgreSQL everything goes in one statement, the last before
    the commit, so that lock, which every ticket of the day waits for, is held briefly.
    """
    prefix = ticket.service.ticket_prefix
    if chains_writes():
        chain = Chain()
        chain.raw("counter", _COUNTER_UPSERT, [ticket.branch_id, ticket.day, prefix])
        ticket.number = prefix
        chain.insert("ticket", ticket, expressions=[{"number": _NUMBER}], returning=("number",))
        if changed is not None:
            chain.update("changed", changed[0], *changed[1])
        if journey:
            chain.insert("journey", *journey, expressions=[_about_ticket(e) for e in journey])
        chain.run()
    else:
        ticket.number = _next_number(ticket.branch, prefix, ticket.day)
        insert(ticket)
        if changed is not None:
            update(changed[0], *changed[1])
    for event in journey:
        event.ticket = ticket
        if "number" in event.detail:
            event.detail["number"] = ticket.number
    if journey and not chains_writes():
        insert(*journey)


def _about_ticket(event: JourneyEvent) -> dict[str, str]:
    computed = {"ticket": "(SELECT id FROM ticket)"}
    if "number" in event.detail:
        computed["detail"] = "%s || jsonb_build_object('number', (SELECT number FROM ticket))"
    return computed


def ticket_issued(ticket: Ticket) -> None:
    """A new ticket waits: screens look again, and who is now almost due is told."""
    _queue_changed(ticket.branch)
    if _in_walk_in_queue(ticket) and has_contact(ticket):
        _service_queue_moved(ticket)


def ticket_issue(*, channel: str = Channel.KIOSK, **fields) -> Ticket:
    """Create a waiting ticket with the day's next number and record that it was issued
    (the keywords of ``ticket_build``). Call inside a transaction."""
    ticket = ticket_build(channel=channel, **fields)
    ticket_insert(ticket, journey=[issued_event(ticket, channel=channel, now=ticket.queued_at)])
    ticket_issued(ticket)
    return ticket


def issued_event(ticket: Ticket, *, channel: str, now: dt.datetime) -> JourneyEvent:
    return ticket_event_build(
        ticket,
        kind=EventKind.TICKET_ISSUED,
        channel=channel,
        at=now,
        detail={
            "number": ticket.number,
            "kind": ticket.kind,
            "service": ticket.service.slug,
            "priority": ticket.priority,
        },
    )


def walk_in_check(
    branch: Branch, service: Service, now: dt.datetime, advisor: Advisor | None = None
) -> None:
    """Tickets for this service are handed out here now: a walk-in service of the branch,
    and someone on duty offers it (or the named ``advisor`` is on duty and offers it)."""
    if not walk_in_services(branch).filter(id=service.id).exists():
        raise Invalid(
            "service_unavailable",
            _("There are no tickets for this service at this branch."),
            field="service",
        )
    on_duty = [a for a in advisors_on_duty(branch, now) if service in a.services.all()]
    if advisor is not None:
        _check_desk_advisor(branch, service, advisor, on_duty)
    elif not on_duty:
        raise Conflict(
            "service_closed",
            _("Nobody offers this service right now. Please ask at the desk."),
        )


def walk_in_take(
    *,
    branch: Branch,
    service: Service,
    now: dt.datetime | None = None,
    channel: str = Channel.KIOSK,
    advisor: Advisor | None = None,
    name: str = "",
    phone: str = "",
    client_id: uuid.UUID | None = None,
) -> Ticket:
    """A visitor without an appointment takes a number for a service.

    At the desk staff may note a name and phone (for the status link and messages) and
    send the visitor to one ``advisor``, who alone will call them. ``client_id`` (a
    kiosk's id for the request) is kept on the ticket; see
    ``booking.services.resends.walk_in_take_once`` for a resent request.
    """
    now = resolve_now(now)
    walk_in_check(branch, service, now, advisor)
    with transaction.atomic():
        return ticket_issue(
            branch=branch,
            service=service,
            kind=TicketKind.WALK_IN,
            now=now,
            channel=channel,
            advisor=advisor,
            contact_name=name.strip(),
            contact_phone=phone.strip(),
            client_id=client_id,
        )


def _check_desk_advisor(
    branch: Branch, service: Service, advisor: Advisor, on_duty: list[Advisor]
) -> None:
    if not Advisor.objects.filter(
        id=advisor.id, branches=branch, services=service, active=True
    ).exists():
        raise Invalid(
            "advisor_unavailable",
            _("This advisor does not offer this service at this branch."),
            field="advisor",
        )
    if advisor.id not in {a.id for a in on_duty}:
        raise Conflict(
            "advisor_away",
            _("%(advisor)s is not on duty now. Please choose a colleague.")
            % {"advisor": advisor.name},
        )


ANY_DESK = object()


def _claim(ticket_id: int, from_statuses, *, desk=ANY_DESK, **changes) -> bool:
    """Move a ticket if it is in one of ``from_statuses`` and, unless ``desk`` is
    ``ANY_DESK``, waiting or with that desk (an Advisor, or None for someone without
    one): one conditional update, so two desks never both win."""
    found = Ticket.objects.filter(id=ticket_id, status__in=list(from_statuses))
    if desk is not ANY_DESK:
        mine = Q(advisor=desk) if desk is not None else Q(pk__in=[])
        found = found.filter(Q(status=TicketStatus.WAITING) | mine)
    return bool(found.update(**changes))


# A visitor called to or served at a desk belongs to that desk until they are done.
HELD_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)


def _refused(ticket: Ticket, advisor: Advisor | None, from_statuses, action: str) -> Exception:
    """Why a move did not happen: another desk has the visitor (403), or the ticket is in
    another state (409)."""
    if (
        ticket.status in from_statuses
        and ticket.status in HELD_STATUSES
        and ticket.advisor_id != (advisor.id if advisor else None)
    ):
        return Forbidden(
            "not_your_visitor",
            _("Ticket %(number)s is with %(advisor)s; only they or a manager can do this.")
            % {"number": ticket.number, "advisor": ticket.advisor.name if ticket.advisor else "-"},
        )
    return _wrong_state(ticket, action)


def _wrong_state(ticket: Ticket, action: str) -> Conflict:
    return Conflict(
        "wrong_state",
        _("Ticket %(number)s is %(status)s and cannot be %(action)s.")
        % {"number": ticket.number, "status": ticket.get_status_display(), "action": action},
    )


def _set_status(advisor: Advisor, status: str, now: dt.datetime) -> None:
    # Calling and finishing change the status too; each change is a period of its own.
    with transaction.atomic():
        status_change(advisor_id=advisor.id, status=status, now=now)


def ticket_call_next(
    *, advisor: Advisor, branch: Branch, now: dt.datetime | None = None
) -> Ticket | None:
    """Give the advisor the next visitor (now called), or None if nobody waits for them.

    The order and how two desks never take one visitor: ``booking.services.next_visitor``.
    """
    now = resolve_now(now)
    if chains_writes():
        called = next_visitor_call(advisor=advisor, branch=branch, now=now)
        if called is None:
            return None
        ticket, queue_head = _called_by(called.ticket, advisor, branch), called.queue_head
    else:
        with transaction.atomic():
            claimed = next_visitor_claim(advisor=advisor, branch=branch, now=now)
            if claimed is None:
                return None
            ticket = _called_by(ticket_with_visit(claimed.ticket_id), advisor, branch)
            _call_record(ticket, advisor, now)
        queue_head = _queue_head(ticket) if claimed.from_service_queue else None
    _call_tell(ticket, queue_head=queue_head)
    return ticket


def _called_by(ticket: Ticket, advisor: Advisor, branch: Branch) -> Ticket:
    # The caller's branch and advisor are the ticket's now: no need to read them again.
    ticket.branch = branch
    ticket.advisor = advisor
    return ticket


def _call_record(ticket: Ticket, advisor: Advisor, now: dt.datetime) -> None:
    """What a call writes besides the ticket (``next_visitor_call`` writes the same in its
    statement); inside the call's transaction."""
    status_change(advisor_id=advisor.id, status=AdvisorStatus.BUSY, now=now)
    ticket_event_record(
        ticket,
        kind=EventKind.CALLED,
        channel=Channel.DISPLAY,
        at=now,
        detail={"number": ticket.number, "advisor": advisor.name, "location": advisor.location},
    )


def _queue_head(ticket: Ticket) -> list[tuple]:
    return queue_head_read(branch_id=ticket.branch_id, service_id=ticket.service_id)


def _call_tell(ticket: Ticket, *, queue_head: Sequence[Sequence] | None) -> None:
    """Who hears of a call: screens, the visitor's page and phone, and, if the visitor
    came from their service's queue, those now almost due in it (``queue_head``)."""
    events.publish(
        events.TicketCalled(ticket.id, ticket.branch.slug, ticket.number, ticket.location)
    )
    _queue_changed(ticket.branch)
    _ticket_changed(ticket)
    message_due(ticket, NotificationKind.CALLED)
    if queue_head is not None:
        turn_soon_tell(queue_head)


def ticket_call(*, ticket: Ticket, advisor: Advisor, now: dt.datetime | None = None) -> Ticket:
    """Call this visitor (or call a called one again when they did not come)."""
    now = resolve_now(now)
    from_service_queue = ticket.status == TicketStatus.WAITING and _in_walk_in_queue(ticket)
    with transaction.atomic():
        claimed = _claim(
            ticket.id,
            [TicketStatus.WAITING],
            status=TicketStatus.CALLED,
            advisor=advisor,
            location=advisor.location,
            called_at=now,
        ) or bool(
            Ticket.objects.filter(id=ticket.id, status=TicketStatus.CALLED, advisor=advisor).update(
                called_at=now
            )
        )
        ticket.refresh_from_db()
        if not claimed:
            raise _wrong_state(ticket, _("called"))
        _call_record(ticket, advisor, now)
    _call_tell(ticket, queue_head=_queue_head(ticket) if from_service_queue else None)
    return ticket


def _move(
    ticket: Ticket,
    *,
    from_statuses,
    to: str,
    action: str,
    event: str,
    now: dt.datetime,
    actor: Advisor | None,
    any_desk: bool,
    **changes,
) -> Ticket:
    """``actor`` must be the desk that has the visitor, unless ``any_desk`` (a manager of
    the branch, or the no-show sweep)."""
    with transaction.atomic():
        desk = ANY_DESK if any_desk else actor
        if not _claim(ticket.id, from_statuses, desk=desk, status=to, **changes):
            ticket.refresh_from_db()
            raise _refused(ticket, actor, from_statuses, action)
        ticket.refresh_from_db()
        ticket_event_record(
            ticket,
            kind=event,
            channel=Channel.STAFF,
            at=now,
            detail={"number": ticket.number, "advisor": ticket.advisor and ticket.advisor.name},
        )
        _queue_changed(ticket.branch)
        _ticket_changed(ticket)
    return ticket


def ticket_start(
    *, ticket: Ticket, advisor: Advisor, any_desk: bool = False, now: dt.datetime | None = None
) -> Ticket:
    now = resolve_now(now)
    ticket = _move(
        ticket,
        from_statuses=[TicketStatus.CALLED],
        to=TicketStatus.SERVING,
        action=_("started"),
        event=EventKind.STARTED,
        now=now,
        actor=advisor,
        any_desk=any_desk,
        started_at=now,
        advisor=advisor,
        location=advisor.location,
    )
    _set_status(advisor, AdvisorStatus.BUSY, now)
    return ticket


def ticket_finish(
    *, ticket: Ticket, advisor: Advisor, any_desk: bool = False, now: dt.datetime | None = None
) -> Ticket:
    now = resolve_now(now)
    ticket = _move(
        ticket,
        from_statuses=[TicketStatus.SERVING],
        to=TicketStatus.DONE,
        action=_("finished"),
        event=EventKind.FINISHED,
        now=now,
        actor=advisor,
        any_desk=any_desk,
        finished_at=now,
    )
    if ticket.appointment_id:
        Appointment.objects.filter(id=ticket.appointment_id).update(status=AppointmentStatus.SERVED)
    _set_status(advisor, AdvisorStatus.AVAILABLE, now)
    return ticket


def ticket_no_show(
    *,
    ticket: Ticket,
    advisor: Advisor | None = None,
    any_desk: bool = False,
    now: dt.datetime | None = None,
) -> Ticket:
    """The visitor did not come when called (or left the queue)."""
    now = resolve_now(now)
    ticket = _move(
        ticket,
        from_statuses=[TicketStatus.WAITING, TicketStatus.CALLED],
        to=TicketStatus.NO_SHOW,
        action=_("marked as no-show"),
        event=EventKind.NO_SHOW,
        now=now,
        actor=advisor,
        any_desk=any_desk,
        finished_at=now,
    )
    if ticket.appointment_id:
        Appointment.objects.filter(id=ticket.appointment_id).update(
            status=AppointmentStatus.NO_SHOW
        )
    if _in_walk_in_queue(ticket):
        _service_queue_moved(ticket)
    if advisor is not None:
        _set_status(advisor, AdvisorStatus.AVAILABLE, now)
    return ticket


def ticket_transfer(
    *,
    ticket: Ticket,
    to_advisor: Advisor | None = None,
    to_service: Service | None = None,
    by: Advisor | None = None,
    any_desk: bool = False,
    now: dt.datetime | None = None,
    event: str = EventKind.TRANSFERRED,
    channel: str = Channel.STAFF,
) -> Ticket:
    """Hand the visitor to another advisor or service; they keep their number and place,
    their contact and promise, and their status link (the first ticket's)."""
    now = resolve_now(now)
    branch = ticket.branch
    service = to_service or ticket.service
    if to_service is not None and not branch.services.filter(id=to_service.id).exists():
        raise Invalid(
            "service_unavailable", _("This service is not offered at this branch."), field="service"
        )
    if (
        to_advisor is not None
        and not Advisor.objects.filter(
            id=to_advisor.id, branches=branch, services=service, active=True
        ).exists()
    ):
        raise Invalid(
            "advisor_unavailable",
            _("This advisor does not offer this service at this branch."),
            field="advisor",
        )
    from_statuses = [TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]
    with transaction.atomic():
        if not _claim(
            ticket.id,
            from_statuses,
            desk=ANY_DESK if any_desk else by,
            status=TicketStatus.TRANSFERRED,
            finished_at=now,
        ):
            ticket.refresh_from_db()
            raise _refused(ticket, by, from_statuses, _("transferred"))
        successor = Ticket.objects.create(
            branch=branch,
            service=service,
            day=ticket.day,
            number=ticket.number,
            kind=ticket.kind,
            priority=True,
            appointment=ticket.appointment,
            customer=ticket.customer,
            advisor=to_advisor,
            location=to_advisor.location if to_advisor else "",
            arrival=ticket.arrival,
            transferred_from=ticket,
            queued_at=ticket.queued_at,
            status_token=None,
            channel=ticket.channel,
            promised_wait_minutes=ticket.promised_wait_minutes,
            contact_name=ticket.contact_name,
            contact_phone=ticket.contact_phone,
            contact_email=ticket.contact_email,
            language=ticket.language,
        )
        event_record(
            kind=event,
            channel=channel,
            branch=branch,
            ticket=successor,
            appointment=ticket.appointment,
            customer=ticket.customer,
            at=now,
            detail={
                "number": ticket.number,
                "from_service": ticket.service.slug,
                "service": service.slug,
                "advisor": to_advisor and to_advisor.name,
            },
        )
        _queue_changed(branch)
        _ticket_changed(ticket)
        _ticket_changed(successor)
        if _in_walk_in_queue(ticket):
            _service_queue_moved(ticket)
        if _in_walk_in_queue(successor) and successor.service_id != ticket.service_id:
            _service_queue_moved(successor)
    if by is not None:
        _set_status(by, AdvisorStatus.AVAILABLE, now)
    return successor


# Long enough that an advisor who forgot to press "start" is not mistaken for a no-show.
CALLED_EXPIRY = dt.timedelta(minutes=30)


def tickets_expire(*, now: dt.datetime | None = None) -> int:
    """No-show for visitors called but never seen, and for tickets left from earlier days."""
    now = resolve_now(now)
    expired = 0
    for branch in Branch.objects.all():
        stale = Ticket.objects.filter(branch=branch).filter(
            Q(status=TicketStatus.CALLED, called_at__lt=now - CALLED_EXPIRY)
            | Q(status=TicketStatus.WAITING, day__lt=branch.local_date(now))
        )
        for ticket in stale:
            try:
                ticket_no_show(ticket=ticket, any_desk=True, now=now)
            except Conflict:
                continue  # someone acted on it meanwhile
            expired += 1
    return expired
