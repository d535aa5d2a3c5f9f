"""Kiosk devices: each belongs to one branch and authenticates with a secret token."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .branch import Branch


class DeviceMode(models.TextChoices):
    CHECKIN = "checkin", _("check-in")
    SURVEY = "survey", _("survey")
    BOTH = "both", _("check-in and survey")


def hash_token(token: str) -> str:
    """Tokens are long random secrets, so a plain SHA-256 is enough to store them."""
    return hashlib.sha256(token.encode()).hexdigest()


class KioskDevice(models.Model):
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="devices", verbose_name=_("branch")
    )
    name = models.CharField(_("name"), max_length=80)
    mode = models.CharField(
        _("mode"), max_length=10, choices=DeviceMode.choices, default=DeviceMode.BOTH
    )
    language = models.CharField(_("default language"), max_length=5, default="de")
    speech = models.BooleanField(
        _("spoken guidance"), default=False, help_text=_("Read each screen aloud (espeak-ng).")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token starts with"), max_length=8, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiosk device")
        verbose_name_plural = _("kiosk devices")
        ordering = ["branch", "name"]

    def __str__(self) -> str:
        return f"{self.branch.slug}: {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def from_db(cls, db, field_names, values):
        device = super().from_db(db, field_names, values)
        # Remembered so that saving a new token also drops the old token's cache entry.
        device._loaded_token_hash = device.token_hash
        return device


# Kiosks call often; their device row is kept in the cache for a minute and dropped there
# whenever it is saved or deleted, so a revoked token stops working at once.
DEVICE_CACHE_SECONDS = 60


def _device_key(token_hash: str) -> str:
    return f"device:{token_hash}"


def remember_device(device: KioskDevice) -> None:
    cache.set(_device_key(device.token_hash), device, DEVICE_CACHE_SECONDS)


def device_for_token(token: str) -> KioskDevice | None:
    token_hash = hash_token(token)
    device = cache.get(_device_key(token_hash))
    if device is None:
        device = KioskDevice.objects.select_related("branch").filter(token_hash=token_hash).first()
        if device is not None:
            remember_device(device)
    return device


@receiver([post_save, post_delete], sender=KioskDevice)
def _forget_device(sender, instance: KioskDevice, **kwargs) -> None:
    cache.delete(_device_key(instance.token_hash))
    previous = getattr(instance, "_loaded_token_hash", None)
    if previous and previous != instance.token_hash:
        cache.delete(_device_key(previous))
