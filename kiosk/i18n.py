"""Visitor-facing words in German and English (gettext catalogues in kiosk/locale)."""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("kiosk", localedir=LOCALE, languages=[language], fallback=True)


def translate(message: str, language: str) -> str:
    return catalogue(language).gettext(message)


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


DATE_FORMATS = {"de": "%d.%m.%Y", "en": "%d/%m/%Y"}


def _value(value, language: str):
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMATS.get(language, "%Y-%m-%d"))
    return value


@dataclass(frozen=True)
class Localized:
    """The server's words in the language they were asked in, and the kiosk's own
    sentence for the same thing in any other language."""

    texts: dict
    otherwise: tuple | str


def render(text, language: str) -> str:
    """A text to show: a msgid, ``(msgid, values)``, ``Localized``, or the server's words."""
    if not text:
        return ""
    if isinstance(text, Localized):
        return text.texts.get(language) or render(text.otherwise, language)
    if isinstance(text, tuple | list):
        message, values = text
        return translate(message, language) % {k: _value(v, language) for k, v in values.items()}
    return translate(text, language)
