"""How customers read a day, per language: one place for pages and messages alike."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import get_language

# "Dienstag, 1. Dezember 2026" / "Tuesday, 1 December 2026"
LONG_DATE = {"de": "l, j. F Y", "en": "l, j F Y"}
# "1. Dezember 2026" / "1 December 2026"
DATE = {"de": "j. F Y", "en": "j F Y"}
# "1. Dezember" / "1 December"
MONTH_DAY = {"de": "j. F", "en": "j F"}
# "1.12." / "1 Dec"
SHORT_DAY = {"de": "j.n.", "en": "j M"}


def formatted(value: dt.date, formats: dict[str, str]) -> str:
    language = (get_language() or "de")[:2]
    return date_format(value, formats.get(language, formats["de"]))


def long_date(value: dt.date) -> str:
    return formatted(value, LONG_DATE)
