"""DRF throttles over the atomic cache counters of ``booking.throttling``."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from booking.exceptions import Throttled
from booking.throttling import throttle_hit


class CounterThrottle(BaseThrottle):
    scope = ""

    def identity(self, request) -> str | None:
        return self.get_ident(request)

    def allow_request(self, request, view) -> bool:
        ident = self.identity(request)
        if ident is None:
            return True
        try:
            throttle_hit(self.scope, ident)
        except Throttled as error:
            self._wait = error.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class BookingThrottle(CounterThrottle):
    scope = "booking"


class PublicReadThrottle(CounterThrottle):
    scope = "public_read"


class LoginIPThrottle(CounterThrottle):
    scope = "token_login"

    def identity(self, request) -> str | None:
        return f"ip:{self.get_ident(request)}"


class LoginUserThrottle(CounterThrottle):
    scope = "token_login"

    def identity(self, request) -> str | None:
        username = request.data.get("username") if hasattr(request.data, "get") else None
        return f"user:{str(username).lower()}" if username else None
