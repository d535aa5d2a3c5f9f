"""The clock seam: a fixed moment stands in for the wall clock, and events can be held."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from booking import events
from booking.timeutils import clock_at, resolve_now

MOMENT = dt.datetime(2026, 3, 12, 9, 30, tzinfo=dt.UTC)


def test_inside_clock_at_now_is_the_fixed_moment():
    with clock_at(MOMENT):
        assert resolve_now(None) == MOMENT


def test_a_given_now_wins_over_the_fixed_moment():
    given = MOMENT + dt.timedelta(hours=1)
    with clock_at(MOMENT):
        assert resolve_now(given) == given


def test_after_clock_at_now_is_the_wall_clock_again():
    with clock_at(MOMENT):
        pass
    assert resolve_now(None) > timezone.now() - dt.timedelta(minutes=1)


def test_held_events_are_kept_and_no_subscriber_is_told(monkeypatch):
    told = []
    monkeypatch.setattr(events, "dispatch", told.append)
    event = events.QueueChanged(branch_id=1, branch_slug="mitte")
    with events.held() as kept:
        events.publish(event)
    assert kept == [event]
    assert told == []
