"""Short-lived caches inside one process, for what nearly every request reads.

An entry lives ``seconds``. The process that changes a value drops its own entry at
once; other processes see the change when their entry expires. Use it only where
that delay is acceptable, and say so where it is used (README, "Security").
"""

from __future__ import annotations

from collections.abc import Hashable
from time import monotonic
from typing import Any

_caches: list[LocalCache] = []


class LocalCache:
    """A dict with expiry. Threads share it: single dict operations are atomic."""

    def __init__(self, seconds: float, *, max_entries: int = 10_000) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        _caches.append(self)

    def get(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if monotonic() >= expires:
            self._entries.pop(key, None)
            return None
        return value

    def set(self, key: Hashable, value: Any) -> None:
        if len(self._entries) >= self.max_entries:
            # Full only under a flood of distinct keys: start over rather than grow.
            self._entries.clear()
        self._entries[key] = (monotonic() + self.seconds, value)

    def delete(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()


def local_caches_clear() -> None:
    """Forget every entry of every local cache (tests start from nothing)."""
    for cache in _caches:
        cache.clear()
