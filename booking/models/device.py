"""Kiosk devices: each belongs to one branch and authenticates with a secret token."""

from __future__ import annotations

import hashlib

from django.db import models
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
