"""Spoken guidance: each screen read aloud by espeak-ng, when it is installed."""

from __future__ import annotations

import logging
import shutil
import subprocess

logger = logging.getLogger(__name__)
VOICES = {"de": "de", "en": "en"}


class Speaker:
    """Speaks one text at a time; a new text cuts the previous one short."""

    def __init__(self, command: str = "espeak-ng") -> None:
        self.command = shutil.which(command) if command else None
        self._process: subprocess.Popen | None = None

    @property
    def available(self) -> bool:
        return self.command is not None

    def say(self, text: str, language: str) -> None:
        if not self.command or not text.strip():
            return
        self.stop()
        try:
            self._process = subprocess.Popen(
                [self.command, "-v", VOICES.get(language, "en"), "-s", "150", "--", text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            logger.warning("cannot speak: %s", error)
            self._process = None

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
        self._process = None
