"""Visitor-facing words in German and English (gettext catalogues in kiosk/locale)."""

from __future__ import annotations

import gettext
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
