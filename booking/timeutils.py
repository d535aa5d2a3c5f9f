"""Wall-clock helpers: the one place branch-local times become instants."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

# A moment that stands in for the wall clock (the demo history replays past days through
# the services); None: the real clock.
_fixed_now: ContextVar[dt.datetime | None] = ContextVar("fixed_now", default=None)


def resolve_now(now: dt.datetime | None) -> dt.datetime:
    if now is not None:
        return now
    fixed = _fixed_now.get()
    return fixed if fixed is not None else timezone.now()


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Every ``resolve_now(None)`` inside reads ``moment``: a service called without
    ``now`` (and whatever it calls) acts at that moment."""
    token = _fixed_now.set(moment)
    try:
        yield
    finally:
        _fixed_now.reset(token)


def local_midnight(day: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def at_local(day: dt.date, wall: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant a wall-clock time happens on a local day (fold=0 in a DST gap or overlap)."""
    return dt.datetime.combine(day, wall, tzinfo=tz)


def epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz)


def daterange(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def iso(moment: dt.datetime | None, tz: zoneinfo.ZoneInfo) -> str | None:
    """ISO 8601 with the branch's local offset, to the second."""
    if moment is None:
        return None
    return moment.astimezone(tz).isoformat(timespec="seconds")
