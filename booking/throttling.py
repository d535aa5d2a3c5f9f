"""Fixed-window request counters kept in the cache.

``cache.add`` + ``cache.incr`` are atomic in Redis and in the local-memory cache, so
concurrent requests cannot both read a count below the limit (DRF's own throttles
read, then write).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from .exceptions import Throttled


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'30/60' means 30 requests per 60 seconds."""
        limit, _sep, period = text.partition("/")
        return cls(int(limit), int(period or 60))


def rate_for(scope: str) -> Rate:
    return Rate.parse(settings.THROTTLES[scope])


def _window(scope: str, ident: str, rate: Rate, now: float) -> tuple[str, int]:
    index = int(now // rate.period)
    retry_after = int((index + 1) * rate.period - now) + 1
    return f"throttle:{scope}:{ident}:{index}", retry_after


def _raise(retry_after: int) -> None:
    raise Throttled(
        "throttled",
        _("Too many attempts. Please wait %(seconds)s seconds and try again.")
        % {"seconds": retry_after},
        retry_after=retry_after,
    )


def throttle_hit(scope: str, ident: str, *, now: float | None = None) -> None:
    """Count one request; raise Throttled if this one is over the limit."""
    rate = rate_for(scope)
    key, retry_after = _window(scope, ident, rate, time.time() if now is None else now)
    cache.add(key, 0, timeout=rate.period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=rate.period + 1)
        count = 1
    if count > rate.limit:
        _raise(retry_after)


def throttle_check(scope: str, ident: str, *, now: float | None = None) -> None:
    """Raise Throttled if the window's count has reached the limit, without counting."""
    rate = rate_for(scope)
    key, retry_after = _window(scope, ident, rate, time.time() if now is None else now)
    if (cache.get(key) or 0) >= rate.limit:
        _raise(retry_after)
