"""Check-in at the kiosk or the desk: find the appointment (by its code, or the booking
the desk picked), apply the branch's arrival policy, and give the visitor a ticket
routed to the right advisor.

Checking in again returns the same ticket. Wrong codes count against the kiosk so the
code space cannot be searched. A kiosk that was offline delivers its check-ins later
with the time the visitor really arrived (``arrived_at``): the visit is judged and
recorded at that time, and its ``client_id`` makes a resend harmless.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _

from booking.exceptions import Conflict, Invalid, NotFound
from booking.models import (
    Advisor,
    AdvisorStatus,
    Appointment,
    AppointmentStatus,
    Arrival,
    Branch,
    Channel,
    EventKind,
    KioskDevice,
    LatePolicy,
    Ticket,
    TicketKind,
    TicketStatus,
)
from booking.selectors.checkin import visit_locked, visit_locked_by_id
from booking.selectors.queue import (
    Place,
    advisors_on_duty,
    appointment_place,
    running_late,
    ticket_place,
)
from booking.throttling import throttle_check_recent, throttle_hit
from booking.timeutils import iso, resolve_now

from .codes import looks_like_code, normalize_code
from .journey import event_build
from .queue import issued_event, ticket_build, ticket_insert, ticket_issued


@dataclass(frozen=True)
class CheckIn:
    ticket: Ticket
    appointment: Appointment
    arrival: str
    message: str
    repeated: bool
    place: Place | None

    @property
    def advisor(self) -> Advisor | None:
        return self.ticket.advisor


def wrong_code(wrong_code_key: str | None, now: dt.datetime) -> NotFound:
    """An unknown code; with ``wrong_code_key`` it counts against that key's limit."""
    if wrong_code_key:
        throttle_hit("wrong_code", wrong_code_key, now=now.timestamp())
    return NotFound(
        "unknown_code",
        _("We could not find this code. Please check it and try again, or ask at the desk."),
    )


def _time(moment: dt.datetime, appointment: Appointment) -> str:
    return formats.time_format(moment.astimezone(appointment.branch.tz), "H:i")


def _refuse_other_visits(appointment: Appointment, branch: Branch, now: dt.datetime) -> None:
    local_start = appointment.start.astimezone(appointment.branch.tz)
    if appointment.branch_id != branch.id:
        raise Conflict(
            "wrong_branch",
            _("Your appointment is at %(branch)s, %(address)s. Please go there.")
            % {"branch": appointment.branch.name, "address": appointment.branch.address},
        )
    if appointment.status == AppointmentStatus.CANCELLED:
        raise Conflict(
            "cancelled",
            _("This appointment was cancelled. Please take a ticket or ask at the desk."),
        )
    branch = appointment.branch
    if appointment.status == AppointmentStatus.SERVED:
        raise Conflict("already_served", _("This appointment has already taken place."))
    if local_start.date() != branch.local_date(now):
        raise Conflict(
            "wrong_day",
            _("Your appointment is on %(date)s at %(time)s. Please come back then.")
            % {
                "date": formats.date_format(local_start, "DATE_FORMAT"),
                "time": _time(appointment.start, appointment),
            },
        )
    opens = appointment.start - dt.timedelta(minutes=branch.checkin_early_minutes)
    if now < opens:
        raise Conflict(
            "too_early",
            _("You are early: check-in opens at %(time)s. Your appointment is at %(start)s.")
            % {"time": _time(opens, appointment), "start": _time(appointment.start, appointment)},
        )


def _arrival(appointment: Appointment, now: dt.datetime) -> str:
    if now < appointment.start:
        return Arrival.EARLY
    late_after = appointment.start + dt.timedelta(minutes=appointment.branch.late_grace_minutes)
    return Arrival.ON_TIME if now <= late_after else Arrival.LATE


def route(appointment: Appointment, now: dt.datetime) -> Advisor | None:
    """The booked advisor, or a colleague on duty offering the service if they are away
    (``advisor_away``, as ``visit_locked`` read it).

    ``None`` leaves the visitor to whoever offering the service calls next.
    """
    if not appointment.advisor_away:
        return appointment.advisor
    colleagues = [
        advisor
        for advisor in advisors_on_duty(appointment.branch, now)
        if advisor.id != appointment.advisor_id
        and any(s.id == appointment.service_id for s in advisor.services.all())
    ]
    if not colleagues:
        return None
    load = dict(
        Ticket.objects.filter(advisor__in=colleagues, status=TicketStatus.WAITING)
        .values_list("advisor_id")
        .annotate(n=Count("id"))
    )
    return min(
        colleagues,
        key=lambda a: (a.status != AdvisorStatus.AVAILABLE, load.get(a.id, 0), a.name),
    )


def _message(ticket: Ticket, appointment: Appointment) -> str:
    if ticket.kind == TicketKind.WALK_IN:
        return _(
            "Your number is %(number)s. Please take a seat; we will call you on the screen."
        ) % {"number": ticket.number}
    if ticket.advisor is None:
        return _("Your number is %(number)s. A colleague will call you on the screen shortly.") % {
            "number": ticket.number
        }
    late = ticket.advisor.late_minutes
    if late:
        return _(
            "%(advisor)s is running about %(minutes)s minutes late and will meet you in "
            "%(location)s at about %(time)s."
        ) % {
            "advisor": ticket.advisor.name,
            "minutes": late,
            "location": ticket.advisor.location or _("the branch"),
            "time": _time(appointment.start + dt.timedelta(minutes=late), appointment),
        }
    return _("%(advisor)s will meet you in %(location)s at %(time)s.") % {
        "advisor": ticket.advisor.name,
        "location": ticket.advisor.location or _("the branch"),
        "time": _time(appointment.start, appointment),
    }


# An offline kiosk's check-in is believed this long after the visitor arrived, and its
# clock may run this far ahead of the server's.
MAX_DELIVERY_DELAY = dt.timedelta(hours=24)
CLOCK_AHEAD = dt.timedelta(minutes=10)


def _arrival_time(arrived_at: dt.datetime, branch: Branch, now: dt.datetime) -> dt.datetime:
    if arrived_at.tzinfo is None:
        arrived_at = arrived_at.replace(tzinfo=branch.tz)
    if arrived_at > now + CLOCK_AHEAD:
        raise Invalid(
            "checked_in_at",
            _("This check-in time lies in the future."),
            field="checked_in_at",
        )
    if arrived_at < now - MAX_DELIVERY_DELAY:
        raise Invalid(
            "checked_in_at",
            _("This check-in is more than a day old; please ask the visitor at the desk."),
            field="checked_in_at",
        )
    # A kiosk clock a little ahead: the visitor cannot have arrived after now.
    return min(arrived_at, now)


def _refuse_settled_visits(appointment: Appointment, now: dt.datetime) -> None:
    """A check-in delivered late finds its visit over or given up meanwhile."""
    if appointment.status == AppointmentStatus.NO_SHOW:
        raise Conflict(
            "marked_no_show",
            _("This visit was marked as missed before the check-in arrived."),
        )
    local_start = appointment.start.astimezone(appointment.branch.tz)
    if local_start.date() != appointment.branch.local_date(now):
        raise Conflict("visit_over", _("The day of this visit is over."))


def _client_id_reused(client_id: uuid.UUID) -> Conflict:
    return Conflict(
        "client_id_reused",
        _("This request id (%(client_id)s) belongs to another request.") % {"client_id": client_id},
    )


def _issue(
    appointment: Appointment,
    arrival: str,
    arrived_at: dt.datetime,
    now: dt.datetime,
    channel: str,
    client_id: uuid.UUID | None,
) -> Ticket:
    """The visit's ticket (not saved yet), queued from the arrival, routed among the
    advisors there now."""
    branch = appointment.branch
    if arrival != Arrival.LATE:
        advisor = route(appointment, now)
        return ticket_build(
            branch=branch,
            service=appointment.service,
            kind=TicketKind.APPOINTMENT,
            now=arrived_at,
            appointment=appointment,
            customer=appointment.customer,
            advisor=advisor,
            arrival=arrival,
            channel=channel,
            client_id=client_id,
            # An advisor's visitor is promised their start; the promise costs no query.
            promised_wait_minutes=(
                appointment_place(0, appointment.start, arrived_at).estimated_wait_minutes
                if advisor is not None
                else None
            ),
        )
    if branch.late_policy == LatePolicy.REFUSE:
        raise Conflict(
            "too_late",
            _("Your appointment was at %(time)s and the time has passed. Please ask at the desk.")
            % {"time": _time(appointment.start, appointment)},
        )
    return ticket_build(
        branch=branch,
        service=appointment.service,
        kind=TicketKind.WALK_IN,
        now=arrived_at,
        appointment=appointment,
        customer=appointment.customer,
        arrival=arrival,
        priority=branch.late_policy == LatePolicy.PRIORITY_WALK_IN,
        channel=channel,
        client_id=client_id,
    )


def kiosk_key(device: KioskDevice) -> str:
    """Wrong codes count per kiosk, at check-in and at ratings alike."""
    return f"device:{device.id}"


def checkin_at_kiosk(
    *,
    device: KioskDevice,
    code: str,
    now: dt.datetime | None = None,
    arrived_at: dt.datetime | None = None,
    client_id: uuid.UUID | None = None,
) -> CheckIn:
    """A kiosk scan: the kiosk's branch, and wrong codes count against the kiosk so that
    the code space cannot be searched. ``arrived_at`` and ``client_id`` come with a
    check-in an offline kiosk delivers late (see ``checkin_perform``)."""
    return checkin_perform(
        branch=device.branch,
        channel=Channel.KIOSK,
        code=code,
        wrong_code_key=kiosk_key(device),
        detail={"device": device.name},
        now=now,
        arrived_at=arrived_at,
        client_id=client_id,
    )


def checkin_perform(
    *,
    branch: Branch,
    channel: str,
    code: str | None = None,
    appointment_id: int | None = None,
    wrong_code_key: str | None = None,
    detail: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    arrived_at: dt.datetime | None = None,
    client_id: uuid.UUID | None = None,
) -> CheckIn:
    """Check a visitor in at ``branch``: by the code they scanned or typed, or by the
    booking the desk picked (``appointment_id``). The same visit again returns the same
    ticket. With ``wrong_code_key`` wrong codes count against that key and are throttled.

    ``arrived_at`` (a check-in an offline kiosk delivers late, up to a day old) is when
    the visitor was there: the check-in window, the arrival class, the ticket's place
    in the queue and the journey are taken from it. Such a check-in of a visit marked
    no-show meanwhile, or of a day that is over, is refused (409). ``client_id`` is the
    kiosk's id for this check-in, kept on the ticket.
    """
    now = resolve_now(now)
    delivered_late = arrived_at is not None
    arrived_at = now if arrived_at is None else _arrival_time(arrived_at, branch, now)
    if code is not None:
        if wrong_code_key:
            throttle_check_recent("wrong_code", wrong_code_key, now=now.timestamp())
        code = normalize_code(code)
        if not looks_like_code(code):
            raise wrong_code(wrong_code_key, now)
    appointment = None
    try:
        with transaction.atomic():
            if code is not None:
                appointment = visit_locked(code, now)
            else:
                appointment = visit_locked_by_id(appointment_id, now)
            if appointment is None:
                raise wrong_code(wrong_code_key, now)
            if appointment.branch_id == branch.id:
                appointment.branch = branch
            if appointment.checked_in_at is not None:
                existing = _visit_ticket(appointment)
                if existing is not None:
                    return _result(existing, appointment, now, repeated=True)
            _refuse_other_visits(appointment, branch, arrived_at)
            if delivered_late:
                _refuse_settled_visits(appointment, now)
            arrival = _arrival(appointment, arrived_at)
            ticket = _issue(appointment, arrival, arrived_at, now, channel, client_id)
            appointment.status = AppointmentStatus.CHECKED_IN
            appointment.checked_in_at = arrived_at
            checked_in = event_build(
                kind=EventKind.CHECKED_IN,
                channel=channel,
                branch=appointment.branch,
                appointment=appointment,
                ticket=ticket,
                at=arrived_at,
                detail={
                    "arrival": arrival,
                    **(detail or {}),
                    "minutes_early": round((appointment.start - arrived_at).total_seconds() / 60),
                    **({"delivered_at": iso(now, appointment.branch.tz)} if delivered_late else {}),
                },
            )
            # The ticket, the visit's new state and its journey go in together, last.
            ticket_insert(
                ticket,
                changed=(appointment, ("status", "checked_in_at")),
                journey=[checked_in, issued_event(ticket, channel=channel, now=arrived_at)],
            )
            ticket_issued(ticket)
    except IntegrityError:
        # Another scan of the same code won the race on a database without row locks.
        existing = _visit_ticket(appointment) if appointment else None
        if existing is None:
            if client_id is not None and Ticket.objects.filter(client_id=client_id).exists():
                raise _client_id_reused(client_id) from None
            raise
        return _result(existing, appointment, now, repeated=True)
    place = None if delivered_late else ticket.place_when_issued
    if ticket.kind == TicketKind.APPOINTMENT and ticket.advisor_id == appointment.advisor_id:
        # Counted by the locked read, before this ticket existed.
        place = running_late(
            appointment_place(appointment.waiting_ahead, appointment.start, now),
            ticket.advisor.late_minutes,
        )
    return _result(ticket, appointment, now, repeated=False, place=place)


def _visit_ticket(appointment: Appointment) -> Ticket | None:
    """The visit's current ticket (after transfers, the latest one)."""
    return (
        Ticket.objects.filter(appointment=appointment)
        .select_related("advisor", "service", "branch", "appointment")
        .order_by("-id")
        .first()
    )


def _result(
    ticket: Ticket,
    appointment: Appointment,
    now: dt.datetime,
    *,
    repeated: bool,
    place: Place | None = None,
) -> CheckIn:
    appointment.branch = ticket.branch
    return CheckIn(
        ticket=ticket,
        appointment=appointment,
        arrival=ticket.arrival,
        message=_message(ticket, appointment),
        repeated=repeated,
        place=place or ticket_place(ticket, now),
    )
