"""Kiosk devices: create with a one-time token, revoke, and find by token (cached).

Kiosks call often, so the device of a token is kept in this process for
``DEVICE_LOCAL_SECONDS`` and in the shared cache for ``DEVICE_CACHE_SECONDS``. Saving
or deleting a device drops both at once (``device_forget``, connected in
``booking.subscriptions``): a revoked or rotated token is refused at once by the process
that revoked it, and by every other process within ``DEVICE_LOCAL_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.cache import cache
from django.db import transaction

from booking.localcache import LocalCache
from booking.models import Branch, DeviceMode, KioskDevice, hash_token
from booking.timeutils import resolve_now

DEVICE_CACHE_SECONDS = 60
DEVICE_LOCAL_SECONDS = 10
# Writing last_seen on every request would turn each kiosk read into a write.
LAST_SEEN_RESOLUTION = dt.timedelta(minutes=1)

_local_devices = LocalCache(DEVICE_LOCAL_SECONDS, max_entries=1_000)


def _device_key(token_hash: str) -> str:
    return f"device:{token_hash}"


def _forget(token_hash: str) -> None:
    _local_devices.delete(token_hash)
    cache.delete(_device_key(token_hash))


def device_for_token(token: str) -> KioskDevice | None:
    """The device (with its branch) a token belongs to, revoked or not; ``None`` if none."""
    token_hash = hash_token(token)
    device = _local_devices.get(token_hash)
    if device is not None:
        return device
    device = cache.get(_device_key(token_hash))
    if device is None:
        device = KioskDevice.objects.select_related("branch").filter(token_hash=token_hash).first()
        if device is None:
            return None
        cache.set(_device_key(token_hash), device, DEVICE_CACHE_SECONDS)
    _local_devices.set(token_hash, device)
    return device


def device_seen(device: KioskDevice, *, now: dt.datetime | None = None) -> None:
    """Note that the device called, at most once per ``LAST_SEEN_RESOLUTION``."""
    now = resolve_now(now)
    if device.last_seen is None or now - device.last_seen > LAST_SEEN_RESOLUTION:
        KioskDevice.objects.filter(id=device.id).update(last_seen=now)
        # This process's copy learns it in place; the shared copy is dropped rather than
        # written back, which could bring back a device revoked meanwhile.
        device.last_seen = now
        cache.delete(_device_key(device.token_hash))


def device_forget(sender: type, instance: KioskDevice, **kwargs) -> None:
    """A device changed or is gone: its cached copies go (a ``post_save`` and
    ``post_delete`` receiver). Again after the commit, since a request that read the
    old row meanwhile may have cached it once more."""
    token_hash = instance.token_hash
    _forget(token_hash)
    transaction.on_commit(lambda: _forget(token_hash))


def device_token_new() -> str:
    return secrets.token_urlsafe(32)


def device_create(
    *,
    branch: Branch,
    name: str,
    mode: str = DeviceMode.BOTH,
    token: str | None = None,
    language: str = "de",
) -> tuple[KioskDevice, str]:
    """Create a device; the token is returned here only, the database keeps its hash."""
    token = token or device_token_new()
    device = KioskDevice.objects.create(
        branch=branch,
        name=name,
        mode=mode,
        language=language,
        token_hash=hash_token(token),
        token_hint=token[:6],
    )
    return device, token


def device_rotate(device: KioskDevice, *, token: str | None = None) -> str:
    """Give a device a new token (the old one stops working) and reactivate it."""
    token = token or device_token_new()
    # The old token's cached device would otherwise answer for a while longer.
    _forget(device.token_hash)
    device.token_hash = hash_token(token)
    device.token_hint = token[:6]
    device.revoked_at = None
    device.save(update_fields=["token_hash", "token_hint", "revoked_at"])
    return token


def device_revoke(device: KioskDevice, *, now: dt.datetime | None = None) -> KioskDevice:
    if device.revoked_at is None:
        device.revoked_at = resolve_now(now)
        device.save(update_fields=["revoked_at"])
    return device
