"""Check-in codes and manage tokens."""

from __future__ import annotations

import re
import secrets

# 31 letters and digits without look-alikes (no 0/O, 1/I/L): 31**8 is about 2**39.6.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_NOT_CODE = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_manage_token() -> str:
    """256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def normalize_code(raw: str) -> str:
    """What a visitor typed or a scanner sent, as stored: upper case, no spaces or dashes."""
    return _NOT_CODE.sub("", raw or "").upper()


def format_code(code: str) -> str:
    """Grouped for reading aloud and typing: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def looks_like_code(text: str) -> bool:
    return len(text) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in text)
