from .advisor import Absence, Advisor, AdvisorStatus, PauseReason, StatusPeriod, WorkingHours
from .appointment import LIVE_STATUSES, Appointment, AppointmentStatus, Customer, first_name_of
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
    status_token_new,
)
from .rating import LOW_SCORE, RATING_TAGS, Alert, AlertKind, AlertStatus, Rating, Recovery

__all__ = [
    "Recovery",
    "AlertKind",
    "status_token_new",
    "first_name_of",
    "StatusPeriod",
    "PauseReason",
    "LIVE_STATUSES",
    "LOW_SCORE",
    "RATING_TAGS",
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
