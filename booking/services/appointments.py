"""Booking, rescheduling and cancelling appointments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from booking import events
from booking.exceptions import Conflict, Invalid
from booking.models import (
    LIVE_STATUSES,
    Advisor,
    Appointment,
    AppointmentStatus,
    Branch,
    Channel,
    Customer,
    EventKind,
    NotificationKind,
    Service,
)
from booking.selectors.availability import available_slots, bookable_window, free_advisors_at
from booking.selectors.catalog import bookable_services
from booking.timeutils import local_midnight, resolve_now
from booking.validators import strip_control_characters

from .codes import new_code, new_manage_token
from .journey import event_record

UTC = dt.UTC


@dataclass(frozen=True)
class CustomerData:
    name: str
    email: str
    phone: str = ""
    language: str = "de"


def customer_for(data: CustomerData) -> Customer:
    """The customer record a booking's journey joins: one per e-mail address.

    Finding it changes nothing in it. Whoever books with an address can add to that
    journey, but never rewrite the name, e-mail or phone another booking uses: those
    are the booking's own (``Appointment.contact_*``).
    """
    email = data.email.strip()
    customer = (
        Customer.objects.filter(email__iexact=email, anonymized_at__isnull=True)
        .order_by("id")
        .first()
    )
    if customer is None:
        customer = Customer.objects.create(
            name=data.name.strip(), email=email, phone=data.phone.strip(), language=data.language
        )
    return customer


def contact_apply(appointment: Appointment, data: CustomerData) -> None:
    appointment.contact_name = data.name.strip()
    appointment.contact_email = data.email.strip()
    appointment.contact_phone = data.phone.strip()
    appointment.language = data.language or "de"


TOPIC_MAX_LENGTH = 500


def topic_clean(topic: str) -> str:
    """What the customer wants to talk about, without control characters."""
    topic = strip_control_characters(topic or "").strip()
    if len(topic) > TOPIC_MAX_LENGTH:
        raise Invalid(
            "topic_too_long",
            _("Please describe your topic in at most %(n)s characters.") % {"n": TOPIC_MAX_LENGTH},
            field="topic",
        )
    return topic


def _as_branch_time(start: dt.datetime, branch: Branch) -> dt.datetime:
    """Requests may carry any offset; one without is read as the branch's wall clock."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=branch.tz)
    return start.astimezone(UTC)


def _day_start(branch: Branch, start: dt.datetime) -> dt.datetime:
    return local_midnight(branch.local_date(start), branch.tz)


def _check_start(branch: Branch, service: Service, start: dt.datetime, now: dt.datetime) -> None:
    local = branch.local(start)
    if start < now:
        raise Invalid("in_past", _("This time is in the past."), field="start")
    earliest, latest = bookable_window(branch, now)
    if start < earliest:
        raise Invalid(
            "too_soon",
            _("Appointments must be booked at least %(minutes)s minutes ahead.")
            % {"minutes": branch.min_lead_minutes},
            field="start",
        )
    if start > latest:
        raise Invalid(
            "beyond_horizon",
            _("Appointments can be booked at most %(days)s days ahead.")
            % {"days": branch.horizon_days},
            field="start",
        )
    minutes = local.hour * 60 + local.minute
    if local.second or local.microsecond or minutes % branch.slot_minutes:
        raise Invalid(
            "off_grid",
            _("Appointments start every %(minutes)s minutes; please choose a listed time.")
            % {"minutes": branch.slot_minutes},
            field="start",
        )


def _check_service(branch: Branch, service: Service) -> None:
    if not bookable_services(branch).filter(id=service.id).exists():
        raise Invalid(
            "service_unavailable",
            _("This service cannot be booked online at this branch."),
            field="service",
        )


def _check_advisor(branch: Branch, service: Service, advisor: Advisor) -> None:
    offers = Advisor.objects.filter(
        id=advisor.id, active=True, branches=branch, services=service
    ).exists()
    if not offers:
        raise Invalid(
            "advisor_unavailable",
            _("This advisor does not offer this service at this branch."),
            field="advisor",
        )


def _slot_gone(branch, service, start, now, exclude_appointment_id=None) -> Exception:
    """Taken by someone else (409), or never offered at all (400)?"""
    day = branch.local_date(start)
    offered = any(
        slot.start == start
        for slot in available_slots(
            branch=branch,
            service=service,
            first=day,
            last=day,
            now=now,
            exclude_appointment_id=exclude_appointment_id,
            include_bookings=False,
        )
    )
    if offered:
        return Conflict(
            "slot_taken", _("Sorry, this time has just been taken. Please choose another.")
        )
    return Invalid(
        "not_available",
        _("No advisor is available at this time. Please choose a listed time."),
        field="start",
    )


def _candidates(
    *, free: list[int], wanted_id: int | None, customer: Customer | None, day_start: dt.datetime
) -> list[int]:
    """Who to try, in order: the wanted advisor only, else the customer's last advisor,
    else whoever has the fewest appointments that day."""
    if wanted_id is not None:
        return [wanted_id] if wanted_id in free else []
    load = dict(
        Appointment.objects.filter(
            advisor_id__in=free,
            status__in=LIVE_STATUSES,
            start__gte=day_start,
            start__lt=day_start + dt.timedelta(days=1),
        )
        .values_list("advisor_id")
        .annotate(n=Count("id"))
    )
    order = sorted(free, key=lambda advisor_id: (load.get(advisor_id, 0), advisor_id))
    last = last_advisor_id(customer) if customer is not None else None
    if last in order:
        order.remove(last)
        order.insert(0, last)
    return order


def last_advisor_id(customer: Customer) -> int | None:
    """The advisor the customer last saw; failing that, the one they last booked."""
    visits = customer.appointments.order_by("-start").values_list("advisor_id", flat=True)
    served = visits.filter(status=AppointmentStatus.SERVED).first()
    return served or visits.exclude(status=AppointmentStatus.CANCELLED).first()


def _violated(error: IntegrityError) -> str:
    """Which constraint an insert or update broke: 'overlap', 'code', 'idempotency' or ''."""
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    name = getattr(getattr(cause, "diag", None), "constraint_name", None) or str(error)
    if sqlstate == "23P01" or "no_double_booking" in name:
        return "overlap"
    if "idempotency_key" in name:
        return "idempotency"
    if "code" in name:
        return "code"
    return ""


def _save_claiming_slot(appointment: Appointment, *, create: bool) -> bool:
    """Insert or update in a savepoint; False if the advisor's time was taken meanwhile.

    A check-in code collision (1 in 10^12) simply draws a new code.
    """
    for _attempt in range(5):
        try:
            with transaction.atomic():
                if create:
                    appointment.save(force_insert=True)
                else:
                    appointment.save()
            return True
        except IntegrityError as error:
            violated = _violated(error)
            if violated == "overlap":
                if create:
                    appointment.pk = None
                return False
            if violated == "code":
                if create:
                    appointment.pk = None
                appointment.code = new_code()
                continue
            raise
    raise RuntimeError("could not draw a unique check-in code")


def occupy(appointment: Appointment, service: Service, start: dt.datetime) -> None:
    """Set the appointment's times: the service's duration, widened by its buffers."""
    appointment.start = start
    appointment.end = start + service.duration
    appointment.occupied_from = start - service.buffer_before
    appointment.occupied_until = appointment.end + service.buffer_after


def _notify_after_commit(appointment: Appointment, kind: str) -> None:
    events.publish(events.AppointmentMessageDue(appointment.id, kind))


def appointment_book(
    *,
    branch: Branch,
    service: Service,
    start: dt.datetime,
    customer: CustomerData,
    advisor: Advisor | None = None,
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    topic: str = "",
    now: dt.datetime | None = None,
) -> tuple[Appointment, bool]:
    """Book a slot. Returns the appointment and whether it was created now.

    With an ``idempotency_key`` seen before, returns that booking instead (``False``).
    ``topic`` is what the customer wants to talk about, shown to the advisor.
    """
    now = resolve_now(now)
    start = _as_branch_time(start, branch)
    topic = topic_clean(topic)
    if idempotency_key:
        existing = _replay(idempotency_key, branch, service, start, customer)
        if existing is not None:
            return existing, False
    _check_service(branch, service)
    if advisor is not None:
        _check_advisor(branch, service, advisor)
    _check_start(branch, service, start, now)
    try:
        with transaction.atomic():
            appointment = _book_locked(
                branch=branch,
                service=service,
                start=start,
                customer_data=customer,
                advisor=advisor,
                channel=channel,
                idempotency_key=idempotency_key,
                topic=topic,
                now=now,
            )
    except IntegrityError as error:
        if idempotency_key and _violated(error) == "idempotency":
            existing = _replay(idempotency_key, branch, service, start, customer)
            if existing is not None:
                return existing, False
        raise
    return appointment, True


def _replay(key, branch, service, start, customer) -> Appointment | None:
    existing = Appointment.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    same = (
        existing.branch_id == branch.id
        and existing.service_id == service.id
        and existing.start == start
        and existing.contact_email.lower() == customer.email.strip().lower()
    )
    if not same:
        raise Conflict(
            "idempotency_mismatch",
            _("This Idempotency-Key was already used for a different booking."),
        )
    return existing


def _lock_email(email: str) -> None:
    """Serialise bookings of one e-mail address until the transaction ends, so two
    simultaneous ones cannot both slip under the limit. (SQLite's IMMEDIATE transactions
    serialise every booking already.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [email.lower()])


def _check_live_bookings(branch: Branch, email: str, now: dt.datetime) -> None:
    """One address holds at most ``MAX_LIVE_BOOKINGS_PER_EMAIL`` live future bookings
    per branch: nobody can empty a day's slots with one address."""
    limit = settings.MAX_LIVE_BOOKINGS_PER_EMAIL
    _lock_email(email)
    held = Appointment.objects.filter(
        branch=branch, contact_email__iexact=email, status__in=LIVE_STATUSES, start__gt=now
    ).count()
    if held >= limit:
        raise Conflict(
            "booking_limit",
            _(
                "You already have %(count)s upcoming appointments at this branch. Please "
                "cancel one (the link is in its e-mail) before booking another."
            )
            % {"count": held},
        )


def _book_locked(
    *, branch, service, start, customer_data, advisor, channel, idempotency_key, topic, now
):
    _check_live_bookings(branch, customer_data.email.strip(), now)
    free = free_advisors_at(branch=branch, service=service, start=start, now=now)
    customer = customer_for(customer_data)
    candidates = _candidates(
        free=free,
        wanted_id=advisor and advisor.id,
        customer=customer,
        day_start=_day_start(branch, start),
    )
    appointment = Appointment(
        branch=branch,
        service=service,
        customer=customer,
        code=new_code(),
        manage_token=new_manage_token(),
        idempotency_key=idempotency_key or None,
        channel=channel,
        topic=topic,
    )
    contact_apply(appointment, customer_data)
    occupy(appointment, service, start)
    for advisor_id in candidates:
        appointment.advisor_id = advisor_id
        if _save_claiming_slot(appointment, create=True):
            break
    else:
        raise _slot_gone(branch, service, start, now)
    event_record(
        kind=EventKind.BOOKED,
        channel=channel,
        branch=branch,
        appointment=appointment,
        customer=customer,
        at=now,
        detail={
            "service": service.slug,
            "start": start.isoformat(),
            "advisor": appointment.advisor_id,
        },
    )
    _notify_after_commit(appointment, NotificationKind.CONFIRMATION)
    return appointment


def _lock(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("branch", "service")
        .get(id=appointment.id)
    )


def appointment_is_changeable(appointment: Appointment, now: dt.datetime) -> bool:
    """Can the customer still move or cancel it: booked, and not begun."""
    return appointment.status == AppointmentStatus.BOOKED and appointment.start > now


def _check_changeable(appointment: Appointment, now: dt.datetime) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(
            "wrong_state",
            _("This appointment is %(status)s and can no longer be changed.")
            % {"status": appointment.get_status_display()},
        )
    if appointment.start <= now:
        raise Conflict("already_started", _("This appointment has already begun."))


def appointment_reschedule(
    *,
    appointment: Appointment,
    start: dt.datetime,
    advisor: Advisor | None = None,
    channel: str = Channel.WEB,
    now: dt.datetime | None = None,
) -> Appointment:
    now = resolve_now(now)
    branch, service = appointment.branch, appointment.service
    start = _as_branch_time(start, branch)
    if advisor is not None:
        _check_advisor(branch, service, advisor)
    _check_start(branch, service, start, now)
    with transaction.atomic():
        appointment = _lock(appointment)
        _check_changeable(appointment, now)
        previous = {"start": appointment.start.isoformat(), "advisor": appointment.advisor_id}
        free = free_advisors_at(
            branch=branch,
            service=service,
            start=start,
            now=now,
            exclude_appointment_id=appointment.id,
        )
        # Keep the same advisor when they are free, unless the customer chose another.
        if advisor is not None:
            wanted_id = advisor.id
        else:
            wanted_id = appointment.advisor_id if appointment.advisor_id in free else None
        candidates = _candidates(
            free=free,
            wanted_id=wanted_id,
            customer=appointment.customer,
            day_start=_day_start(branch, start),
        )
        occupy(appointment, service, start)
        appointment.revision += 1
        for advisor_id in candidates:
            appointment.advisor_id = advisor_id
            if _save_claiming_slot(appointment, create=False):
                break
        else:
            raise _slot_gone(branch, service, start, now, exclude_appointment_id=appointment.id)
        event_record(
            kind=EventKind.RESCHEDULED,
            channel=channel,
            branch=branch,
            appointment=appointment,
            at=now,
            detail={
                "from": previous,
                "start": start.isoformat(),
                "advisor": appointment.advisor_id,
            },
        )
        _notify_after_commit(appointment, NotificationKind.RESCHEDULED)
    return appointment


def appointment_cancel(
    *, appointment: Appointment, channel: str = Channel.WEB, now: dt.datetime | None = None
) -> Appointment:
    """Cancel and free the slot at once. Cancelling twice is harmless."""
    now = resolve_now(now)
    with transaction.atomic():
        appointment = _lock(appointment)
        if appointment.status == AppointmentStatus.CANCELLED:
            return appointment
        _check_changeable(appointment, now)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.revision += 1
        appointment.save(update_fields=["status", "cancelled_at", "revision"])
        event_record(
            kind=EventKind.CANCELLED,
            channel=channel,
            branch=appointment.branch,
            appointment=appointment,
            at=now,
        )
        _notify_after_commit(appointment, NotificationKind.CANCELLED)
    return appointment


def appointment_change_phone(
    *,
    appointment: Appointment,
    phone: str,
    channel: str = Channel.WEB,
    now: dt.datetime | None = None,
) -> Appointment:
    """The holder of the manage link sets (or clears) the mobile number this booking's
    SMS go to. Only this booking changes; no other booking of the same address does."""
    now = resolve_now(now)
    phone = phone.strip()
    with transaction.atomic():
        appointment = _lock(appointment)
        _check_changeable(appointment, now)
        if appointment.contact_phone == phone:
            return appointment
        appointment.contact_phone = phone
        appointment.save(update_fields=["contact_phone"])
        event_record(
            kind=EventKind.CONTACT_CHANGED,
            channel=channel,
            branch=appointment.branch,
            appointment=appointment,
            at=now,
            detail={"field": "phone"},
        )
    return appointment
