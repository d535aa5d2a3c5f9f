"""What a customer takes away: the QR code of the check-in code and a calendar file."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import qrcode
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from booking.models import Appointment, AppointmentStatus

from .codes import format_code


def qr_png(text: str, *, box_size: int = 10) -> bytes:
    """A PNG QR code; medium error correction survives a scratched phone screen."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4
    )
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def manage_url(appointment: Appointment) -> str:
    return f"{settings.SITE_URL}/manage/{appointment.manage_token}/"


def appointment_ics(appointment: Appointment) -> bytes:
    """An iCalendar file; a cancelled appointment yields a cancellation of the same event."""
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", "-//branchkiosk//appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    event.add("uid", f"appointment-{appointment.id}@{host}")
    event.add("sequence", appointment.revision)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.start.astimezone(appointment.branch.tz))
    event.add("dtend", appointment.end.astimezone(appointment.branch.tz))
    event.add(
        "summary",
        _("%(service)s with %(advisor)s")
        % {"service": appointment.service.display_name, "advisor": appointment.advisor.name},
    )
    branch = appointment.branch
    room = appointment.advisor.location
    place = ", ".join(part for part in (room, branch.name, branch.address) if part)
    event["location"] = vText(place)
    # The code as printed everywhere else (with its dash), so it can be read out or typed.
    event.add(
        "description",
        _("Check-in code: %(code)s\nChange or cancel: %(url)s")
        % {"code": format_code(appointment.code), "url": manage_url(appointment)},
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", manage_url(appointment))
    calendar.add_component(event)
    # Calendars that do not know the zone by its name still place the visit right.
    calendar.add_missing_timezones()
    return calendar.to_ical()
