"""Ratings on disk until the server has them: nothing is lost, nothing is sent twice.

A rating is written here first (one JSON file, written atomically) and only then sent.
It leaves the outbox when the server answered 201 (new), 200 (known by its client_id)
or 409 (that visit was rated already). A rating the server can never take (400 or 404)
moves to ``rejected/`` so it stays on disk for a person to look at. Anything else
(offline, 5xx, throttled) keeps it for the next flush, with the same client_id.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .client import ErrorKind, KioskError

logger = logging.getLogger(__name__)

DONE = {200, 201}


@dataclass
class FlushResult:
    sent: int = 0
    kept: int = 0
    rejected: int = 0
    busy: bool = False


class Outbox:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.rejected_folder = self.folder / "rejected"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def add(self, rating: dict) -> Path:
        """Store a rating durably: temp file, fsync, atomic rename."""
        path = self.folder / f"{rating['client_id']}.json"
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(rating, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def pending(self) -> list[dict]:
        ratings = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                ratings.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                logger.warning("unreadable outbox file %s left in place", path)
        return sorted(ratings, key=lambda r: r.get("given_at", ""))

    def __len__(self) -> int:
        return len(list(self.folder.glob("*.json")))

    def flush(self, send: Callable[[dict], int]) -> FlushResult:
        """Send every pending rating once; a flush already under way makes this one a no-op."""
        if not self._lock.acquire(blocking=False):
            return FlushResult(busy=True)
        try:
            return self._flush(send)
        finally:
            self._lock.release()

    def _flush(self, send: Callable[[dict], int]) -> FlushResult:
        result = FlushResult()
        for rating in self.pending():
            path = self.folder / f"{rating['client_id']}.json"
            try:
                status = send(rating)
            except KioskError as error:
                if error.kind is ErrorKind.CONFLICT or error.status in DONE:
                    path.unlink(missing_ok=True)
                    result.sent += 1
                elif error.kind in (ErrorKind.INVALID, ErrorKind.NOT_FOUND):
                    self.rejected_folder.mkdir(exist_ok=True)
                    os.replace(path, self.rejected_folder / path.name)
                    logger.warning("rating %s rejected: %s", rating["client_id"], error.detail)
                    result.rejected += 1
                elif error.kind in (ErrorKind.OFFLINE, ErrorKind.REVOKED, ErrorKind.THROTTLED):
                    # The next ratings would fail the same way: all of them wait for later.
                    result.kept = len(self)
                    break
                else:
                    result.kept += 1
                continue
            if status in DONE:
                path.unlink(missing_ok=True)
                result.sent += 1
            else:
                result.kept += 1
        return result
