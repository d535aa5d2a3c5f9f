"""Availability from the database: hours, absences, closures, bookings, time zones."""

from __future__ import annotations

import datetime as dt

import pytest

from booking.models import Absence, Closure, Service, WorkingHours
from booking.selectors.availability import available_slots
from booking.services.appointments import appointment_book
from tests.conftest import BERLIN, local, make_advisor, next_weekday

pytestmark = pytest.mark.django_db


def slots(branch, service, day, *, now=None, last=None, **kwargs):
    now = now or local(day, 0) - dt.timedelta(days=7)
    return available_slots(
        branch=branch, service=service, first=day, last=last or day, now=now, **kwargs
    )


def starts(found) -> list[str]:
    return [s.start.strftime("%H:%M") for s in found]


def test_slots_cover_working_hours_on_the_branch_grid(branch, service, anna):
    found = slots(branch, service, next_weekday(0))
    assert starts(found)[0] == "09:00"
    assert starts(found)[-1] == "16:30"
    assert len(found) == 31


def test_only_advisors_offering_the_service_are_listed(branch, service, anna):
    other = Service.objects.create(slug="kredit", name="Kredit")
    other.branches.add(branch)
    make_advisor(branch, [other], "Kai Kredit")
    found = slots(branch, service, next_weekday(0))
    assert {a for s in found for a in s.advisors} == {anna.id}


def test_an_absence_removes_its_hours(branch, service, anna):
    day = next_weekday(1)
    Absence.objects.create(advisor=anna, start=local(day, 9), end=local(day, 13))
    assert starts(slots(branch, service, day))[0] == "13:00"


def test_a_closure_removes_the_whole_day(branch, service, anna):
    day = next_weekday(2)
    Closure.objects.create(branch=branch, start_date=day, end_date=day, reason="Betriebsausflug")
    assert slots(branch, service, day) == []


def test_a_booking_takes_its_slot_with_the_service_buffers(branch, service, anna, lukas):
    service.buffer_after_minutes = 15
    service.save()
    day = next_weekday(3)
    appointment_book(branch=branch, service=service, start=local(day, 10), customer=lukas)
    found = starts(slots(branch, service, day))
    # 10:00-10:30 plus 15 min after; a new slot needs its own 15 min before 10:00.
    assert "09:15" in found and "09:30" not in found
    assert "10:30" not in found and "10:45" in found


def test_a_booking_at_another_branch_blocks_the_advisor(branch, other_branch, service, anna, lukas):
    service.branches.add(other_branch)
    anna.branches.add(other_branch)
    day = next_weekday(0)
    WorkingHours.objects.create(
        advisor=anna, branch=other_branch, weekday=day.weekday(), start=dt.time(18), end=dt.time(20)
    )
    appointment_book(branch=other_branch, service=service, start=local(day, 18), customer=lukas)
    assert "18:00" not in starts(slots(other_branch, service, day))


def test_minimum_lead_time_hides_slots_too_soon(branch, service, anna):
    day = next_weekday(0)
    found = slots(branch, service, day, now=local(day, 10, 5))
    assert starts(found)[0] == "11:15"  # 60 min lead, then the next grid point


def test_booking_horizon_hides_slots_too_far_ahead(branch, service, anna):
    branch.horizon_days = 3
    branch.save()
    day = next_weekday(0)
    assert slots(branch, service, day, now=local(day, 9) - dt.timedelta(days=4)) == []


def test_slots_carry_the_right_offset_across_the_spring_dst_change(branch, service, anna):
    # Clocks go forward on Sunday 2027-03-28 in Europe/Berlin.
    now = dt.datetime(2027, 3, 1, tzinfo=BERLIN)
    friday = slots(branch, service, dt.date(2027, 3, 26), now=now)
    monday = slots(branch, service, dt.date(2027, 3, 29), now=now)
    assert friday[0].start.isoformat() == "2027-03-26T09:00:00+01:00"
    assert monday[0].start.isoformat() == "2027-03-29T09:00:00+02:00"
    assert monday[0].start.astimezone(dt.UTC).hour == 7


def test_work_on_the_dst_sunday_itself_keeps_wall_clock_times(branch, service, anna):
    WorkingHours.objects.create(
        advisor=anna, branch=branch, weekday=6, start=dt.time(1), end=dt.time(5)
    )
    found = slots(branch, service, dt.date(2027, 3, 28), now=dt.datetime(2027, 3, 1, tzinfo=BERLIN))
    # 01:00-05:00 wall clock is only three real hours: 02:00-03:00 does not exist.
    assert [s.start.strftime("%H:%M%z") for s in found][:5] == [
        "01:00+0100",
        "01:15+0100",
        "01:30+0100",
        "01:45+0100",
        "03:00+0200",
    ]
    assert all(s.end.timestamp() - s.start.timestamp() == 30 * 60 for s in found)


def test_slots_after_the_autumn_change_use_winter_time(branch, service, anna):
    # Clocks go back on Sunday 2027-10-31.
    now = dt.datetime(2027, 10, 1, tzinfo=BERLIN)
    friday = slots(branch, service, dt.date(2027, 10, 29), now=now)
    monday = slots(branch, service, dt.date(2027, 11, 1), now=now)
    assert friday[0].start.isoformat() == "2027-10-29T09:00:00+02:00"
    assert monday[0].start.isoformat() == "2027-11-01T09:00:00+01:00"


def test_a_range_of_days_returns_slots_of_each_working_day(branch, service, anna):
    monday = next_weekday(0)
    found = slots(branch, service, monday, last=monday + dt.timedelta(days=6))
    assert {s.start.date() for s in found} == {monday + dt.timedelta(days=i) for i in range(5)}
