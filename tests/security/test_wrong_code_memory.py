"""A kiosk's wrong codes are looked up once and then remembered briefly while there are
none: counted here they count at once, counted by another process within seconds."""

from __future__ import annotations

import pytest

from booking import localcache, throttling
from booking.exceptions import Throttled
from booking.throttling import CLEAN_SECONDS, rate_for, throttle_check_recent, throttle_hit

KEY = "device:7"


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(localcache, "monotonic", lambda: now[0])
    return now


def fill() -> None:
    for _ in range(rate_for("wrong_code").limit):
        throttle_hit("wrong_code", KEY)


def test_wrong_codes_counted_here_refuse_the_next_scan_at_once():
    throttle_check_recent("wrong_code", KEY)
    fill()
    with pytest.raises(Throttled):
        throttle_check_recent("wrong_code", KEY)


def test_wrong_codes_counted_elsewhere_are_seen_within_the_memory_time(monkeypatch, clock):
    throttle_check_recent("wrong_code", KEY)
    with monkeypatch.context() as elsewhere:
        # Another process counts: this process's memory is not told.
        elsewhere.setattr(throttling._clean, "delete", lambda key: None)
        fill()
    throttle_check_recent("wrong_code", KEY)
    clock[0] += CLEAN_SECONDS
    with pytest.raises(Throttled):
        throttle_check_recent("wrong_code", KEY)


def test_a_kiosk_with_some_wrong_codes_is_asked_about_every_time():
    throttle_hit("wrong_code", KEY)
    throttle_check_recent("wrong_code", KEY)
    assert throttling._clean.get(("wrong_code", KEY)) is None
