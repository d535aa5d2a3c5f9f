"""Free text people type: what is kept of it, and what a name may not contain."""

from __future__ import annotations

import unicodedata

# Characters that reorder the text around them; they can make a name or topic display
# as something other than what was stored.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(ch: str) -> bool:
    return ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc"


def text_clean(text: str, *, newlines: bool = True) -> str:
    """The text without control and bidi-override characters (line breaks kept if
    ``newlines``; tabs become spaces), trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = "".join(ch for ch in text if (newlines and ch == "\n") or not _is_control(ch))
    return kept.strip()


def has_control_characters(text: str) -> bool:
    return any(_is_control(ch) for ch in text or "")
