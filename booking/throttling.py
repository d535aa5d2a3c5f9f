"""Request counters kept in the cache, over a sliding window.

A window of ``period`` seconds is cut into ``BUCKETS`` buckets; a request counts in the
current bucket (``cache.add`` + ``cache.incr``, atomic in Redis and in the local-memory
cache) and is refused when the buckets of the last ``period`` seconds hold more than the
limit. Unlike a clock-aligned window, this lets no burst of twice the limit through
around a window's boundary, and unlike DRF's throttles it never reads, then writes.

Every way in counts by the client's real address: the socket's, or with
``TRUSTED_PROXIES`` = n the address the outermost of n proxies saw.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .exceptions import Throttled
from .localcache import LocalCache

BUCKETS = 10

# Idents with nothing counted in their window, as this process last read it. A kiosk's
# scan checks its wrong codes first; almost always there are none, so that answer is
# reused for a moment instead of a cache round trip. Counting here drops it at once;
# counts made by other processes are seen within CLEAN_SECONDS.
CLEAN_SECONDS = 5
_clean = LocalCache(CLEAN_SECONDS)


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'30/60' means 30 requests per 60 seconds."""
        limit, _sep, period = text.partition("/")
        return cls(int(limit), int(period or 60))

    @property
    def bucket_seconds(self) -> float:
        return self.period / BUCKETS


def rate_for(scope: str) -> Rate:
    return Rate.parse(settings.THROTTLES[scope])


def client_address(request: HttpRequest) -> str:
    """The address a throttle keys on; a client cannot choose it.

    Behind ``TRUSTED_PROXIES`` = n proxies, each appends the address it was called from
    to ``X-Forwarded-For``, so the client is the n-th entry from the right. Entries
    further left were written by the client itself and are ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = settings.TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    return forwarded[-trusted] if len(forwarded) >= trusted else remote


def _keys(scope: str, ident: str, rate: Rate, now: float) -> tuple[list[str], int]:
    """Keys of the window's buckets, oldest first, and the current bucket's index."""
    current = int(now // rate.bucket_seconds)
    first = current - BUCKETS + 1
    # Idents come from clients (usernames): hashed, every key is short and cache-safe.
    digest = hashlib.blake2b(ident.encode(), digest_size=12).hexdigest()
    return [f"throttle:{scope}:{digest}:{index}" for index in range(first, current + 1)], current


def _retry_after(counts: list[int], current: int, rate: Rate, now: float) -> int:
    """Seconds until the oldest buckets have left the window and the count is under it."""
    total = sum(counts)
    first = current - BUCKETS + 1
    for offset, count in enumerate(counts):
        total -= count
        if total < rate.limit:
            leaves_at = (first + offset + BUCKETS) * rate.bucket_seconds
            return max(1, math.ceil(leaves_at - now))
    return rate.period


def _raise(retry_after: int) -> None:
    raise Throttled(
        "throttled",
        _("Too many attempts. Please wait %(seconds)s seconds and try again.")
        % {"seconds": retry_after},
        retry_after=retry_after,
    )


def _counts(keys: list[str]) -> list[int]:
    found = cache.get_many(keys)
    return [int(found.get(key) or 0) for key in keys]


def throttle_hit(scope: str, ident: str, *, now: float | None = None) -> None:
    """Count one request; raise Throttled if the window now holds more than the limit."""
    rate = rate_for(scope)
    now = time.time() if now is None else now
    _clean.delete((scope, ident))
    keys, current = _keys(scope, ident, rate, now)
    timeout = rate.period + math.ceil(rate.bucket_seconds) + 1
    cache.add(keys[-1], 0, timeout=timeout)
    try:
        cache.incr(keys[-1])
    except ValueError:  # expired between add and incr
        cache.add(keys[-1], 1, timeout=timeout)
    counts = _counts(keys)
    if sum(counts) > rate.limit:
        _raise(_retry_after(counts, current, rate, now))


def _check(scope: str, ident: str, now: float | None) -> list[int]:
    rate = rate_for(scope)
    now = time.time() if now is None else now
    keys, current = _keys(scope, ident, rate, now)
    counts = _counts(keys)
    if sum(counts) >= rate.limit:
        _raise(_retry_after(counts, current, rate, now))
    return counts


def throttle_check(scope: str, ident: str, *, now: float | None = None) -> None:
    """Raise Throttled if the window holds the limit already, without counting."""
    _check(scope, ident, now)


def throttle_check_recent(scope: str, ident: str, *, now: float | None = None) -> None:
    """``throttle_check`` for the hot path: an ident found with nothing counted is not
    looked up again in this process for ``CLEAN_SECONDS`` (unless counted here)."""
    if _clean.get((scope, ident)):
        return
    if not any(_check(scope, ident, now)):
        _clean.set((scope, ident), True)


def login_hit(address: str, username: str) -> None:
    """One sign-in attempt: the API's token login and the staff and admin sign-in forms
    share these counters, per address and per username."""
    failures: list[Throttled] = []
    for ident in (f"ip:{address}", f"user:{username.strip().lower()}" if username else ""):
        if not ident:
            continue
        try:
            throttle_hit("token_login", ident)
        except Throttled as error:
            failures.append(error)
    if failures:
        raise max(failures, key=lambda error: error.retry_after)
