"""Free-slot arithmetic on plain numbers: no database, no Django.

Times are whole seconds since the epoch (UTC). Callers turn branch-local wall
times into epochs (see ``booking.selectors.availability``), so DST is handled
where the wall clock is read, and this module only subtracts intervals.

A start ``s`` is free for an advisor when the appointment ``[s, s + duration)``
lies inside one working interval and its occupied span
``[s - buffer_before, s + duration + buffer_after)`` overlaps no busy interval,
which is exactly what the database's exclusion constraint enforces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

Interval = tuple[int, int]


class WorkInterval(NamedTuple):
    """A working interval and the epoch of its local midnight (for the slot grid).

    ``grid_origin`` is the epoch at which the interval's local day would begin with
    the interval's own UTC offset, so grid points fall on local wall-clock multiples
    of the step even on the day clocks change. A tuple, so that cached schedules of many
    intervals load quickly.
    """

    start: int
    end: int
    grid_origin: int


@dataclass
class AdvisorSchedule:
    """One advisor's working intervals (sorted) and busy intervals over the asked range."""

    advisor_id: int
    work: list[WorkInterval] = field(default_factory=list)
    busy: list[Interval] = field(default_factory=list)


@dataclass(frozen=True)
class SlotRequest:
    duration: int
    buffer_before: int
    buffer_after: int
    step: int
    earliest: int
    latest: int


def subtract(base: Sequence[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """``base`` minus ``holes``; both half-open, result sorted and disjoint."""
    result = sorted(base)
    for hole_start, hole_end in sorted(holes):
        if hole_end <= hole_start:
            continue
        kept: list[Interval] = []
        for start, end in result:
            if hole_end <= start or hole_start >= end:
                kept.append((start, end))
                continue
            if start < hole_start:
                kept.append((start, hole_start))
            if hole_end < end:
                kept.append((hole_end, end))
        result = kept
    return result


def _merge_open(intervals: list[Interval]) -> list[Interval]:
    """Merge open intervals; two that only touch stay apart, as their shared edge is free."""
    intervals.sort()
    merged: list[Interval] = []
    for start, end in intervals:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _first_on_grid(low: int, origin: int, step: int) -> int:
    return low + (origin - low) % step


def advisor_starts(schedule: AdvisorSchedule, request: SlotRequest) -> list[int]:
    """Every free start for one advisor, in order."""
    # A start s collides with busy [b0, b1) when s - before < b1 and s + duration + after > b0,
    # i.e. when s lies in the open interval (b0 - duration - after, b1 + before).
    lead = request.duration + request.buffer_after
    forbidden = _merge_open([(b0 - lead, b1 + request.buffer_before) for b0, b1 in schedule.busy])
    step = request.step
    starts: list[int] = []
    first_relevant = 0
    for work in sorted(schedule.work, key=lambda w: w.start):
        low = max(work.start, request.earliest)
        high = min(work.end - request.duration, request.latest)
        if high < low:
            continue
        while first_relevant < len(forbidden) and forbidden[first_relevant][1] <= low:
            first_relevant += 1
        # Walk the closed range [low, high] left to right, jumping over forbidden gaps.
        cursor = low
        index = first_relevant
        while cursor <= high:
            if index < len(forbidden) and forbidden[index][0] < high:
                f0, f1 = forbidden[index]
                stop = min(f0, high)
                index += 1
            else:
                f1, stop = None, high
            starts.extend(range(_first_on_grid(cursor, work.grid_origin, step), stop + 1, step))
            if f1 is None:
                break
            # The forbidden interval is open, so its right edge itself is free again.
            cursor = max(cursor, f1)
    return starts


def free_slots(
    schedules: Iterable[AdvisorSchedule], request: SlotRequest
) -> list[tuple[int, list[int]]]:
    """Free starts across advisors: ``[(start, [advisor ids, ascending]), ...]`` by start."""
    by_start: dict[int, list[int]] = defaultdict(list)
    for schedule in sorted(schedules, key=lambda s: s.advisor_id):
        advisor_id = schedule.advisor_id
        for start in advisor_starts(schedule, request):
            by_start[start].append(advisor_id)
    # Advisors were walked in ascending order, so every list of ids is sorted already.
    return sorted(by_start.items())
