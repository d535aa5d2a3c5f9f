"""Check-in codes as the kiosk reads them, and their manifest digests.

The rules mirror the server's (the kiosk imports no server code): a code is read in
any case, with spaces, dashes, dots or underscores; the manifest lists each booking
under the hex HMAC-SHA256 of its normalized code, keyed with the device token's
SHA-256 hex digest (its 64 ASCII characters), which is all the server keeps of the
token.
"""

from __future__ import annotations

import hashlib
import hmac
import re

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# "Rate my visit" also takes the day's ticket number (A012): its digits include 0 and 1.
TICKET_CHARACTERS = CODE_ALPHABET + "01"
MAX_TYPED = 12
_NOT_CODE = re.compile(r"[\s\-_.]+")
_TICKET_NUMBER = re.compile(r"^[A-Z]{1,2}[0-9]{3,4}$")


def normalize(raw: str) -> str:
    return _NOT_CODE.sub("", raw or "").upper()


def looks_like_code(text: str) -> bool:
    return len(text) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in text)


def looks_like_ticket_number(text: str) -> bool:
    return bool(_TICKET_NUMBER.match(text))


def token_key(token: str) -> bytes:
    """The HMAC key both sides know: the token's SHA-256 hex digest as ASCII."""
    return hashlib.sha256(token.encode()).hexdigest().encode("ascii")


def code_digest(code: str, token: str) -> str:
    return hmac.new(token_key(token), normalize(code).encode("ascii"), hashlib.sha256).hexdigest()


def grouped(code: str) -> str:
    """A check-in code as printed on the confirmation (``ABCD – EFGH``), padded with ``_``."""
    padded = (code + "_" * CODE_LENGTH)[: max(CODE_LENGTH, len(code))]
    return f"{padded[:4]} - {padded[4:]}"
