"""A deliberately straightforward slot finder: the yardstick for the real engine.

For every grid point of every working interval, check every booking. Used by the
property test (same answers) and the benchmark (how much faster the engine is).
"""

from __future__ import annotations

from booking.services.availability import AdvisorSchedule, SlotRequest


def reference_free_slots(
    schedules: list[AdvisorSchedule], request: SlotRequest
) -> list[tuple[int, list[int]]]:
    found: dict[int, list[int]] = {}
    for schedule in schedules:
        for work in schedule.work:
            start = work.grid_origin
            while start < work.start:
                start += request.step
            while start + request.duration <= work.end:
                in_window = request.earliest <= start <= request.latest
                span = (
                    start - request.buffer_before,
                    start + request.duration + request.buffer_after,
                )
                clash = any(span[0] < b1 and b0 < span[1] for b0, b1 in schedule.busy)
                if in_window and not clash:
                    found.setdefault(start, []).append(schedule.advisor_id)
                start += request.step
    return [(start, sorted(ids)) for start, ids in sorted(found.items())]
