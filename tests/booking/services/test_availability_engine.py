"""The pure slot arithmetic, checked by hand and against the reference finder."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.services.availability import (
    AdvisorSchedule,
    SlotRequest,
    WorkInterval,
    free_slots,
    subtract,
)
from tests.reference_slots import reference_free_slots

MIN = 60
DAY = 9 * 3600  # work starts at 09:00 of a day that begins at 0


def request(**overrides) -> SlotRequest:
    values = dict(
        duration=30 * MIN, buffer_before=0, buffer_after=0, step=15 * MIN, earliest=0, latest=10**9
    )
    values.update(overrides)
    return SlotRequest(**values)


def work(start_min: int, end_min: int) -> WorkInterval:
    return WorkInterval(start_min * MIN, end_min * MIN, 0)


def starts(schedule: AdvisorSchedule, req: SlotRequest) -> list[int]:
    return [s // MIN for s, _ids in free_slots([schedule], req)]


def test_it_offers_every_grid_start_that_fits_in_working_hours():
    schedule = AdvisorSchedule(1, [work(540, 630)])  # 09:00-10:30
    assert starts(schedule, request()) == [540, 555, 570, 585, 600]


def test_a_booking_removes_the_starts_that_would_overlap_it():
    schedule = AdvisorSchedule(1, [work(540, 660)], busy=[(600 * MIN, 630 * MIN)])
    assert starts(schedule, request()) == [540, 555, 570, 630]


def test_a_slot_may_begin_exactly_when_a_booking_ends():
    schedule = AdvisorSchedule(1, [work(540, 630)], busy=[(540 * MIN, 570 * MIN)])
    assert starts(schedule, request())[0] == 570


def test_a_slot_fits_exactly_between_two_bookings():
    busy = [(570 * MIN, 600 * MIN), (630 * MIN, 660 * MIN)]  # 09:30-10:00 and 10:30-11:00
    schedule = AdvisorSchedule(1, [work(540, 720)], busy=busy)
    assert 600 in starts(schedule, request())


def test_buffers_keep_distance_on_both_sides():
    schedule = AdvisorSchedule(1, [work(540, 720)], busy=[(600 * MIN, 630 * MIN)])
    found = starts(schedule, request(buffer_before=10 * MIN, buffer_after=15 * MIN))
    # Needs 15 min after the new slot before 10:00 and 10 min after 10:30 before it starts.
    assert found == [540, 555, 645, 660, 675, 690]


def test_grid_follows_the_local_day_not_the_interval_start():
    schedule = AdvisorSchedule(1, [work(547, 620)])  # 09:07-10:20
    assert starts(schedule, request()) == [555, 570, 585]


def test_earliest_and_latest_bound_the_starts():
    schedule = AdvisorSchedule(1, [work(540, 720)])
    assert starts(schedule, request(earliest=581 * MIN, latest=630 * MIN)) == [585, 600, 615, 630]


def test_advisors_free_at_the_same_time_share_one_slot():
    a = AdvisorSchedule(2, [work(540, 570)])
    b = AdvisorSchedule(1, [work(540, 570)])
    assert free_slots([a, b], request()) == [(540 * MIN, [1, 2])]


def test_subtract_cuts_holes_out_of_intervals():
    assert subtract([(0, 100)], [(10, 20), (50, 60)]) == [(0, 10), (20, 50), (60, 100)]


intervals = st.lists(
    st.tuples(st.integers(0, 96), st.integers(1, 16)).map(
        lambda p: (p[0] * 900, (p[0] + p[1]) * 900)
    ),
    max_size=6,
)

# On a 15-minute raster, so gaps often fit a slot (with its buffers) exactly.
busy_spans = st.lists(
    st.tuples(st.integers(0, 100), st.integers(1, 8)).map(
        lambda p: (p[0] * 15 * MIN, (p[0] + p[1]) * 15 * MIN)
    ),
    max_size=10,
)


def schedule_of(work_spans, busy) -> AdvisorSchedule:
    """One advisor's schedule from random spans: overlapping working spans are dropped."""
    disjoint: list[tuple[int, int]] = []
    for start, end in sorted(work_spans):
        if not disjoint or start >= disjoint[-1][1]:
            disjoint.append((start, end))
    return AdvisorSchedule(7, [WorkInterval(s, e, 0) for s, e in disjoint], busy=busy)


@settings(max_examples=300, deadline=None)
@given(
    work_spans=intervals,
    busy=busy_spans,
    duration=st.sampled_from([15, 30, 45, 60]),
    before=st.sampled_from([0, 5, 10]),
    after=st.sampled_from([0, 10, 15]),
    step=st.sampled_from([5, 15, 30]),
    earliest=st.integers(0, 24 * 60),
)
def test_engine_agrees_with_the_reference(
    work_spans, busy, duration, before, after, step, earliest
):
    schedule = schedule_of(work_spans, busy)
    req = request(
        duration=duration * MIN,
        buffer_before=before * MIN,
        buffer_after=after * MIN,
        step=step * MIN,
        earliest=earliest * MIN,
        latest=30 * 3600,
    )
    assert free_slots([schedule], req) == reference_free_slots([schedule], req)


@settings(max_examples=300, deadline=None)
@given(
    work_spans=intervals,
    busy=busy_spans,
    step=st.sampled_from([5, 15, 30]),
    earliest=st.integers(0, 24 * 60),
    latest=st.integers(0, 30 * 60),
)
def test_bounding_the_starts_is_cutting_the_unbounded_answer(
    work_spans, busy, step, earliest, latest
):
    """The cached availability answer is computed without the clock's bounds and cut to
    them per request; that must be the answer computed with them."""
    schedule = schedule_of(work_spans, busy)
    bounded = request(step=step * MIN, earliest=earliest * MIN, latest=latest * MIN)
    unbounded = free_slots([schedule], request(step=step * MIN))
    assert free_slots([schedule], bounded) == [
        (start, ids) for start, ids in unbounded if earliest * MIN <= start <= latest * MIN
    ]
