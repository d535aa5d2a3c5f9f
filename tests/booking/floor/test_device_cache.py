"""Device tokens are looked up through a short in-process cache (and the shared one):
a change made here counts at once, one made by another process within the cache time."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from booking import localcache
from booking.models import KioskDevice
from booking.services.devices import DEVICE_LOCAL_SECONDS, device_create, device_for_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The local caches' clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(localcache, "monotonic", lambda: now[0])
    return now


def revoke_elsewhere(device: KioskDevice) -> None:
    """What another process does: the row and the shared cache change, this process's
    memory does not."""
    KioskDevice.objects.filter(id=device.id).update(revoked_at=timezone.now())
    cache.delete(f"device:{device.token_hash}")


def test_a_device_is_read_once_then_from_memory(branch, django_assert_num_queries):
    _device, token = device_create(branch=branch, name="Tablet")
    with django_assert_num_queries(1):
        device_for_token(token)
        device_for_token(token)


def test_a_device_revoked_by_another_process_still_calls_within_the_cache_time(
    kiosk, device_token, clock
):
    assert kiosk.get("/api/v1/kiosk/").status_code == 200
    revoke_elsewhere(KioskDevice.objects.get())
    clock[0] += DEVICE_LOCAL_SECONDS - 1
    assert kiosk.get("/api/v1/kiosk/").status_code == 200


def test_a_device_revoked_by_another_process_is_refused_after_the_cache_time(
    kiosk, device_token, clock
):
    assert kiosk.get("/api/v1/kiosk/").status_code == 200
    revoke_elsewhere(KioskDevice.objects.get())
    clock[0] += DEVICE_LOCAL_SECONDS
    assert kiosk.get("/api/v1/kiosk/").status_code == 401


def test_a_deleted_device_is_refused_at_once(kiosk, device_token):
    assert kiosk.get("/api/v1/kiosk/").status_code == 200
    KioskDevice.objects.get().delete()
    assert kiosk.get("/api/v1/kiosk/").status_code == 401


def test_an_unknown_token_is_not_remembered(branch, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert device_for_token("no-such-token") is None
        assert device_for_token("no-such-token") is None
