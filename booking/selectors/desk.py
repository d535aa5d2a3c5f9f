"""What the desk reads: the day's appointments of a branch, found as one types."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace

from booking.models import Appointment, Branch, Ticket
from booking.services.codes import CODE_ALPHABET, CODE_LENGTH, normalize_code
from booking.timeutils import local_midnight

# Characters people put into phone numbers; the search compares the digits (and "+").
_PHONE_SEPARATORS = (" ", "-", "/", "(", ")", ".")
_NOT_DIGIT = re.compile(r"[^0-9+]")
MIN_PHONE_DIGITS = 3


def _phone_digits():
    expression = F("contact_phone")
    for separator in _PHONE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def _code_part(text: str) -> str | None:
    """The text as (a part of) a check-in code, if it can be one."""
    code = normalize_code(text)
    if 3 <= len(code) <= CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code):
        return code
    return None


def _matching(text: str) -> Q:
    words = text.split()
    match = Q(contact_name__icontains=text) | Q(contact_email__icontains=text)
    if len(words) > 1:
        # "Meier Lukas" finds Lukas Meier: every word somewhere in the name.
        every_word = Q()
        for word in words:
            every_word &= Q(contact_name__icontains=word)
        match |= every_word
    digits = _NOT_DIGIT.sub("", text)
    if len(digits.lstrip("+")) >= MIN_PHONE_DIGITS:
        match |= Q(phone_digits__contains=digits)
    code = _code_part(text)
    if code:
        match |= Q(code__contains=code)
    return match


def day_appointments(branch: Branch, day: dt.date, search: str = "") -> QuerySet[Appointment]:
    """The branch's appointments of a local day, by start; ``search`` matches the name,
    e-mail, phone or check-in code (any case, with or without the dash)."""
    appointments = (
        Appointment.objects.filter(
            branch=branch,
            start__gte=local_midnight(day, branch.tz),
            start__lt=local_midnight(day + dt.timedelta(days=1), branch.tz),
        )
        .select_related("branch", "service", "advisor", "customer")
        .prefetch_related(
            # The visit's current ticket is its latest (a transfer adds a successor).
            Prefetch("tickets", queryset=Ticket.objects.order_by("-id"), to_attr="visit_tickets")
        )
    )
    text = search.strip()
    if text:
        appointments = appointments.annotate(phone_digits=_phone_digits()).filter(_matching(text))
    return appointments.order_by("start", "id")
