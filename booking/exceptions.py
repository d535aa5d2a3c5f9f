"""Domain errors: a fixed machine-readable code, a translated message, one HTTP status."""

from __future__ import annotations

from typing import Any


class BookingError(Exception):
    """Base of every rule violation a user can cause; the API maps ``status`` to HTTP."""

    status = 409

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.extra = extra


class Invalid(BookingError):
    """Bad input; ``field`` names the input it is about."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str = "non_field_errors") -> None:
        super().__init__(code, message)
        self.field = field


class NotFound(BookingError):
    status = 404


class Conflict(BookingError):
    status = 409


class Forbidden(BookingError):
    status = 403


class Throttled(BookingError):
    status = 429

    def __init__(self, code: str, message: str, *, retry_after: int) -> None:
        super().__init__(code, message)
        self.retry_after = max(1, int(retry_after))
