"""DRF throttles over the atomic cache counters of ``booking.throttling``."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from booking.exceptions import Throttled
from booking.throttling import client_address, login_hit, throttle_hit


class CounterThrottle(BaseThrottle):
    scope = ""

    def get_ident(self, request) -> str:
        """The real client address (DRF's own trusts X-Forwarded-For by default)."""
        return client_address(request)

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


class LoginThrottle(CounterThrottle):
    """Counted per address and per username, together with the sign-in forms."""

    scope = "token_login"

    def allow_request(self, request, view) -> bool:
        username = request.data.get("username") if hasattr(request.data, "get") else None
        try:
            login_hit(self.get_ident(request), username if isinstance(username, str) else "")
        except Throttled as error:
            self._wait = error.retry_after
            return False
        return True
