"""Which delivery reacts to which domain event: the one place the wiring is written."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save

from booking import events, live, tasks
from booking.models import (
    Absence,
    Advisor,
    AdvisorStatus,
    Appointment,
    Branch,
    Closure,
    KioskDevice,
    Service,
    WorkingHours,
)
from booking.selectors import availability_cache
from booking.selectors.access import advisor_of
from booking.services.advisors import advisor_status_set
from booking.services.devices import device_forget


def connect() -> None:
    """Called once from ``BookingConfig.ready``."""
    events.subscribe(events.QueueChanged, live.on_queue_changed)
    events.subscribe(events.TicketCalled, live.on_ticket_called)
    events.subscribe(events.TicketChanged, live.on_ticket_changed)
    events.subscribe(events.RatingReceived, live.on_rating_received)
    events.subscribe(events.AlertChanged, live.on_alert_changed)
    events.subscribe(events.AccessChanged, live.on_access_changed)
    events.subscribe(events.AlertChanged, tasks.on_alert_changed)
    events.subscribe(events.AppointmentMessageDue, tasks.on_appointment_message_due)
    events.subscribe(events.RecoveryMessageDue, tasks.on_recovery_message_due)
    events.subscribe(events.TicketMessageDue, tasks.on_ticket_message_due)
    connect_access_signals()
    connect_availability_signals()
    post_save.connect(device_forget, sender=KioskDevice, dispatch_uid="device-forget-saved")
    post_delete.connect(device_forget, sender=KioskDevice, dispatch_uid="device-forget-deleted")


def _access_changed(user_id: int | None) -> None:
    if user_id:
        events.publish(events.AccessChanged(user_id))


def _on_logout(sender, request, user, **kwargs) -> None:
    _access_changed(getattr(user, "pk", None))
    _advisor_leaves(user)


def _advisor_leaves(user) -> None:
    """Logging out is leaving the desk: nobody is routed to an advisor who is gone (and
    opening the workstation makes them available again)."""
    advisor = advisor_of(user)
    if advisor is not None and advisor.status != AdvisorStatus.OFFLINE:
        advisor_status_set(advisor=advisor, status=AdvisorStatus.OFFLINE)


def _on_user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    # Every sign-in saves last_login; that takes no rights away.
    if created or (update_fields and set(update_fields) <= {"last_login"}):
        return
    _access_changed(instance.pk)


def _on_advisor_saved(sender, instance: Advisor, created, **kwargs) -> None:
    previous = getattr(instance, "_loaded_user_id", None)
    _access_changed(instance.user_id)
    if previous != instance.user_id:
        _access_changed(previous)


def _on_advisor_branches(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_remove", "post_clear", "pre_clear"):
        return
    advisors = Advisor.objects.filter(pk__in=pk_set or []) if reverse else [instance]
    for advisor in advisors:
        _access_changed(advisor.user_id)


def _on_branch_managers(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_remove", "pre_clear"):
        return
    if reverse:
        _access_changed(instance.pk)
    else:
        for user_id in pk_set or instance.managers.values_list("pk", flat=True):
            _access_changed(user_id)


def connect_access_signals() -> None:
    """Open live connections look again whenever someone's rights may have shrunk."""
    user_logged_out.connect(_on_logout, dispatch_uid="booking-access-logout")
    post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="booking-access-user")
    post_save.connect(_on_advisor_saved, sender=Advisor, dispatch_uid="booking-access-advisor")
    m2m_changed.connect(
        _on_advisor_branches,
        sender=Advisor.branches.through,
        dispatch_uid="booking-access-advisor-branches",
    )
    m2m_changed.connect(
        _on_branch_managers,
        sender=Branch.managers.through,
        dispatch_uid="booking-access-managers",
    )


# An advisor's saves that leave what availability shows as it was (status, pauses, running
# late) do not touch its caches; saves without update_fields (the admin) always do.
ADVISOR_FIELDS_SHOWN = {"active", "name"}
# Likewise a booking's saves that leave its time as it was (contact details, check-in).
APPOINTMENT_TIME_FIELDS = {
    "status",
    "start",
    "end",
    "occupied_from",
    "occupied_until",
    "advisor",
    "advisor_id",
    "branch",
    "branch_id",
}


def _touches(update_fields, fields: set[str]) -> bool:
    return not update_fields or bool(set(update_fields) & fields)


def _on_hours_changed(sender, **kwargs) -> None:
    availability_cache.hours_changed()


def _on_hours_membership_changed(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        availability_cache.hours_changed()


def _on_advisor_changed(sender, instance: Advisor, update_fields=None, **kwargs) -> None:
    if _touches(update_fields, ADVISOR_FIELDS_SHOWN):
        availability_cache.hours_changed()


def _on_appointment_changed(sender, instance: Appointment, update_fields=None, **kwargs) -> None:
    if _touches(update_fields, APPOINTMENT_TIME_FIELDS):
        availability_cache.booking_changed(
            branch_id=instance.branch_id, advisor_id=instance.advisor_id
        )


def connect_availability_signals() -> None:
    """Cached availability is computed anew after every change that can alter it."""
    for model in (WorkingHours, Absence, Closure, Service, Branch):
        for signal in (post_save, post_delete):
            signal.connect(
                _on_hours_changed, sender=model, dispatch_uid=f"availability-{model.__name__}"
            )
    for signal in (post_save, post_delete):
        signal.connect(_on_advisor_changed, sender=Advisor, dispatch_uid="availability-advisor")
        signal.connect(
            _on_appointment_changed, sender=Appointment, dispatch_uid="availability-appointment"
        )
    for through in (Advisor.branches.through, Advisor.services.through, Service.branches.through):
        m2m_changed.connect(
            _on_hours_membership_changed,
            sender=through,
            dispatch_uid=f"availability-{through.__name__}",
        )
