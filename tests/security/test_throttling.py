"""The counters behind every throttle: a sliding window, keyed on the real address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from booking.exceptions import Throttled
from booking.throttling import client_address, throttle_check, throttle_hit

WRONG_CODES = {"wrong_code": "20/600"}


def hits(count: int, *, at: float, scope: str = "wrong_code") -> int:
    """How many of ``count`` hits at time ``at`` were let through."""
    allowed = 0
    for _ in range(count):
        try:
            throttle_hit(scope, "device:1", now=at)
        except Throttled:
            continue
        allowed += 1
    return allowed


@override_settings(THROTTLES=WRONG_CODES)
def test_no_burst_of_twice_the_limit_fits_around_a_window_boundary():
    boundary = 600 * 1_000_000
    assert hits(20, at=boundary - 1) == 20
    assert hits(20, at=boundary + 1) == 0


@override_settings(THROTTLES=WRONG_CODES)
def test_the_window_slides_so_old_attempts_stop_counting():
    start = 1_000_000.0
    assert hits(20, at=start) == 20
    assert hits(1, at=start + 300) == 0
    assert hits(1, at=start + 661) == 1


@override_settings(THROTTLES=WRONG_CODES)
def test_a_refusal_says_when_to_come_back():
    start = 2_000_000.0
    hits(20, at=start)
    with pytest.raises(Throttled) as refused:
        throttle_check("wrong_code", "device:1", now=start + 100)
    assert 400 <= refused.value.retry_after <= 600


def request_from(address: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=address, **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote():
    request = request_from("10.0.0.2", "6.6.6.6, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=2)
def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_socket():
    assert client_address(request_from("10.0.0.2", "198.51.100.7")) == "10.0.0.2"
