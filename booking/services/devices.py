"""Kiosk devices: create with a one-time token, revoke."""

from __future__ import annotations

import datetime as dt
import secrets

from booking.models import Branch, DeviceMode, KioskDevice, hash_token
from booking.timeutils import resolve_now


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
