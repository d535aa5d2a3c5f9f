"""A visitor's status link as the phone sees it: the status API, the page and its socket.

Never a name: the link may be forwarded or seen over a shoulder, so it shows the
number, the service, the place in the queue and where to go, nothing about the person.
``status_texts`` words the state in the active language; the page, its live socket
and the API all use it, so the visitor reads the same sentence everywhere.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import serializers

from booking.models import Channel, TicketKind, TicketStatus
from booking.selectors.queue import Place, ticket_place
from booking.selectors.visitor import (
    Visit,
    WaitingEntry,
    can_switch,
    late_minutes,
    status_url,
)
from booking.timeutils import iso

from .fields import BranchTimeField


class NamedRef(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class StatusTextsOut(serializers.Serializer):
    message = serializers.CharField()
    position = serializers.CharField()
    estimate = serializers.CharField()
    late = serializers.CharField()


class TicketStatusOut(serializers.Serializer):
    """The answer of ``GET /api/v1/tickets/status/{status_token}/`` (documents the keys;
    ``status_payload`` writes them)."""

    number = serializers.CharField()
    status = serializers.ChoiceField(choices=TicketStatus.choices)
    kind = serializers.CharField()
    position = serializers.IntegerField(allow_null=True)
    estimated_wait_minutes = serializers.IntegerField(allow_null=True)
    promised_wait_minutes = serializers.IntegerField(allow_null=True)
    location = serializers.CharField()
    called_at = BranchTimeField(allow_null=True)
    appointment_start = BranchTimeField(allow_null=True)
    branch = NamedRef()
    service = NamedRef()
    advisor_late_minutes = serializers.IntegerField(allow_null=True)
    can_switch = serializers.BooleanField()
    can_leave = serializers.BooleanField()
    remote = serializers.BooleanField()
    status_url = serializers.CharField(allow_null=True)
    texts = StatusTextsOut()


def status_payload(visit: Visit, now: dt.datetime, *, place: Place | None = None) -> dict:
    """What the visitor's page shows, in the active language."""
    ticket = visit.current
    place = place or ticket_place(ticket, now)
    late = late_minutes(ticket)
    tz = ticket.branch.tz
    data = {
        "number": ticket.number,
        "status": str(ticket.status),
        "kind": str(ticket.kind),
        "position": place.position if place else None,
        "estimated_wait_minutes": place.estimated_wait_minutes if place else None,
        "promised_wait_minutes": ticket.promised_wait_minutes,
        "location": ticket.location,
        "called_at": iso(ticket.called_at, tz),
        "appointment_start": iso(ticket.appointment.start, tz) if ticket.appointment_id else None,
        "branch": {"slug": ticket.branch.slug, "name": ticket.branch.name},
        "service": {"slug": ticket.service.slug, "name": ticket.service.display_name},
        "advisor_late_minutes": late,
        "can_switch": late is not None and can_switch(ticket, now),
        "can_leave": ticket.status == TicketStatus.WAITING,
        "remote": ticket.channel == Channel.WEB,
        "status_url": status_url(visit.root.status_token),
    }
    data["texts"] = status_texts(data)
    return data


def with_waiting_entry(data: dict, entry: WaitingEntry) -> dict:
    """The payload of a still waiting visitor after a queue change, without reading it again."""
    moved = {
        **data,
        "status": str(TicketStatus.WAITING),
        "position": entry.place.position,
        "estimated_wait_minutes": entry.place.estimated_wait_minutes,
        "advisor_late_minutes": entry.late_minutes,
        "can_switch": entry.can_switch,
        "can_leave": True,
    }
    moved["texts"] = status_texts(moved)
    return moved


def _estimate(minutes: int | None) -> str:
    if minutes is None:
        return ""
    if minutes <= 1:
        return _("any moment now")
    return ngettext("about %(n)s minute", "about %(n)s minutes", minutes) % {"n": minutes}


def _message(data: dict) -> str:
    status = data["status"]
    location = data["location"]
    if status == TicketStatus.CALLED:
        if location:
            return _("Please go to %(location)s now.") % {"location": location}
        return _("It is your turn. Please come to the counter now.")
    if status == TicketStatus.SERVING:
        return _("You are being served. Thank you for waiting.")
    if status == TicketStatus.DONE:
        return _("Thank you for your visit.")
    if status == TicketStatus.NO_SHOW:
        return _("You were called but we could not find you. Please ask at the desk.")
    if status == TicketStatus.LEFT:
        return _("You have left the queue. You are welcome to take a new number at any time.")
    if status != TicketStatus.WAITING:
        return _("Please ask at the desk.")
    if data["kind"] == TicketKind.APPOINTMENT and location:
        return _("You will be met in %(location)s. We will call you.") % {"location": location}
    if data["position"] == 1:
        return _("You are next.")
    return _("You are number %(position)s in the queue.") % {"position": data["position"]}


def status_texts(data: dict) -> dict[str, str]:
    """The sentences of a status, in the active language."""
    waiting = data["status"] == TicketStatus.WAITING
    late = data["advisor_late_minutes"]
    return {
        "message": _message(data),
        "position": str(data["position"]) if waiting and data["position"] else "",
        "estimate": _estimate(data["estimated_wait_minutes"]) if waiting else "",
        "late": (
            _("Your advisor runs about %(minutes)s minutes late.") % {"minutes": late}
            if waiting and late
            else ""
        ),
    }
