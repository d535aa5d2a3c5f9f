from .advisor import Absence, Advisor, AdvisorStatus, WorkingHours
from .appointment import LIVE_STATUSES, Appointment, AppointmentStatus, Customer
from .branch import Branch, Closure, LatePolicy, OpeningHours, Service
from .device import DeviceMode, KioskDevice, hash_token
from .journey import Channel, EventKind, JourneyEvent
from .notification import Notification, NotificationKind, NotificationStatus
from .queue import (
    OPEN_TICKET_STATUSES,
    Arrival,
    Ticket,
    TicketCounter,
    TicketKind,
    TicketStatus,
)
from .rating import LOW_SCORE, Alert, AlertStatus, Rating

__all__ = [
    "LIVE_STATUSES",
    "LOW_SCORE",
    "OPEN_TICKET_STATUSES",
    "Absence",
    "Advisor",
    "AdvisorStatus",
    "Alert",
    "Arrival",
    "AlertStatus",
    "Appointment",
    "AppointmentStatus",
    "Branch",
    "Channel",
    "Closure",
    "Customer",
    "DeviceMode",
    "EventKind",
    "JourneyEvent",
    "KioskDevice",
    "LatePolicy",
    "Notification",
    "NotificationKind",
    "NotificationStatus",
    "OpeningHours",
    "Rating",
    "Service",
    "Ticket",
    "TicketCounter",
    "TicketKind",
    "TicketStatus",
    "WorkingHours",
    "hash_token",
]
