"""Input rules shared by the API, the pages and the admin: names, phones, free text, dates.

Names are shown to staff and on the manager page; a control character or a bidi
override in one can disguise what is shown ("evil\u202egnp.exe"), so names refuse
them. Free text (comments, notes, topics) keeps its words and loses those characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Left-to-right/right-to-left marks, embeddings, overrides and isolates.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# The range of dates the system reasons about; outside it, times overflow.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)

phone_validator = RegexValidator(
    r"^\+?[0-9 ()/\-]{6,24}$", _("Enter a phone number of digits, e.g. +49 30 1234567.")
)


def _is_control(character: str) -> bool:
    return character in BIDI_CONTROLS or unicodedata.category(character) == "Cc"


def refuse_control_characters(value: str) -> None:
    """A validator for names: no control characters and no bidi overrides."""
    if any(_is_control(character) for character in value):
        raise ValidationError(
            _("Please use letters, digits and punctuation only (no control characters)."),
            code="control_characters",
        )


def strip_control_characters(text: str) -> str:
    """Free text without control characters and bidi overrides; line breaks and tabs stay."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\n\t" or not _is_control(c))


def validate_date_in_range(value: dt.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Please give a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()},
            code="date_out_of_range",
        )


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str | None) -> dt.date | None:
    """A day from a query string, or None when it is missing, malformed, impossible
    (2026-02-30) or outside the supported range."""
    if not text or not _DAY.match(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None
