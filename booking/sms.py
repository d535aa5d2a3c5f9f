"""Pluggable SMS sending. ``settings.SMS_BACKEND`` names the class to use.

A gateway backend subclasses :class:`BaseSMSBackend` and implements ``send``,
raising ``SMSError`` on a failure worth retrying.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("booking.sms")


class SMSError(Exception):
    """Sending failed; the job may try again later."""


class BaseSMSBackend:
    def send(self, to: str, text: str) -> None:
        raise NotImplementedError


class LogSMSBackend(BaseSMSBackend):
    """Writes each message to the log only."""

    def send(self, to: str, text: str) -> None:
        logger.info("SMS to %s: %s", to, text)


class FileSMSBackend(LogSMSBackend):
    """Writes each message to a file in ``SMS_FILE_PATH`` (and to the log), for the demo."""

    def send(self, to: str, text: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stamp}-{secrets.token_hex(4)}.txt"
        path.write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        super().send(to, text)


def get_sms_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()
