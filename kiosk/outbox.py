"""What the kiosk owes the server, on disk until the server has it: nothing is lost,
nothing counts twice.

Two kinds of items wait here: ratings, and check-ins taken while the server could not
be reached. Each is written first (one JSON file, atomically) and only then sent, with
the ``client_id`` that makes a resend harmless on the server.

An item leaves the outbox only when the API has it: a 2xx, or a 409 (the visit was
rated already, or is over). A 400 or 404 *from the API* (JSON with a ``detail``) means
it can never be taken: it moves to ``rejected/`` for a person to look at. Everything
else keeps it for the next try: a timeout, a 5xx, a 404 or any answer that is not the
API's JSON (a proxy's page), a revoked token, a throttle. Tries back off from 30
seconds to 5 minutes while they fail.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .client import ErrorKind, KioskError
from .files import private_dir, write_private

logger = logging.getLogger(__name__)

RATING, CHECK_IN = "rating", "checkin"
# Check-ins first: an advisor is waiting to learn that their visitor is here.
ORDER = {CHECK_IN: 0, RATING: 1}
TIME_FIELDS = {RATING: "given_at", CHECK_IN: "checked_in_at"}
FIRST_BACKOFF = 30.0
MAX_BACKOFF = 300.0
# Failures that would hit every other item the same way: stop and wait.
EVERYTHING_WAITS = {ErrorKind.OFFLINE, ErrorKind.NOT_API, ErrorKind.REVOKED, ErrorKind.THROTTLED}


@dataclass
class Item:
    kind: str
    body: dict
    # Whether the item's time is the server's (the kiosk knew its clock's offset).
    clock_checked: bool = True
    path: Path | None = field(default=None, compare=False)

    @property
    def client_id(self) -> str:
        return self.body["client_id"]

    @property
    def when(self) -> str:
        return self.body.get(TIME_FIELDS[self.kind], "")


@dataclass
class FlushResult:
    sent: int = 0
    kept: int = 0
    rejected: int = 0
    busy: bool = False
    waiting: bool = False  # backing off: nothing was tried


class Outbox:
    def __init__(self, folder: Path, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = Path(folder)
        self.rejected_folder = self.folder / "rejected"
        private_dir(self.folder)
        self.clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._next_try = 0.0

    def add(self, kind: str, body: dict, *, clock_checked: bool = True) -> Path:
        """Store an item durably (temp file, fsync, atomic rename) before it is sent."""
        path = self.folder / f"{body['client_id']}.json"
        record = {"kind": kind, "body": body, "clock_checked": clock_checked}
        # Readable by this user only: it may hold a check-in code.
        write_private(path, json.dumps(record, ensure_ascii=False))
        return path

    def pending(self) -> list[Item]:
        items = []
        for path in self.folder.glob("*.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                logger.warning("unreadable outbox file %s left in place", path)
                continue
            if "kind" not in data:  # written by an older kiosk: a bare rating
                data = {"kind": RATING, "body": data}
            items.append(
                Item(data["kind"], data["body"], data.get("clock_checked", True), path=path)
            )
        return sorted(items, key=lambda item: (ORDER.get(item.kind, 9), item.when))

    def __len__(self) -> int:
        return len(list(self.folder.glob("*.json")))

    @property
    def due(self) -> bool:
        return self.clock() >= self._next_try

    def flush(self, send: Callable[[Item], int], *, force: bool = False) -> FlushResult:
        """Send every pending item once (unless backing off; ``force`` tries anyway).

        A flush already under way makes this one a no-op.
        """
        if not force and not self.due:
            return FlushResult(waiting=True, kept=len(self))
        if not self._lock.acquire(blocking=False):
            return FlushResult(busy=True)
        try:
            return self._flush(send)
        finally:
            self._lock.release()

    def _flush(self, send: Callable[[Item], int]) -> FlushResult:
        result = FlushResult()
        retry_after = 0
        items = self.pending()
        for index, item in enumerate(items):
            try:
                status = send(item)
            except KioskError as error:
                if error.kind is ErrorKind.CONFLICT:
                    logger.info(
                        "%s %s: the server has it already (%s)",
                        item.kind,
                        item.client_id,
                        error.detail,
                    )
                    self._remove(item)
                    result.sent += 1
                elif error.kind in (ErrorKind.INVALID, ErrorKind.NOT_FOUND):
                    self._reject(item, error)
                    result.rejected += 1
                elif error.kind in EVERYTHING_WAITS:
                    logger.info("outbox waits: %s", error)
                    result.kept += len(items) - index
                    retry_after = error.retry_after
                    break
                else:
                    logger.warning("%s %s kept: %s", item.kind, item.client_id, error)
                    result.kept += 1
                continue
            if 200 <= status < 300:
                self._remove(item)
                result.sent += 1
            else:
                result.kept += 1
        self._schedule(result, retry_after)
        return result

    def _schedule(self, result: FlushResult, retry_after: int) -> None:
        if not result.kept:
            self._failures, self._next_try = 0, 0.0
            return
        self._failures += 1
        backoff = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (self._failures - 1))
        self._next_try = self.clock() + max(backoff, retry_after)

    def _remove(self, item: Item) -> None:
        if item.path is not None:
            item.path.unlink(missing_ok=True)

    def _reject(self, item: Item, error: KioskError) -> None:
        self.rejected_folder.mkdir(exist_ok=True, mode=0o700)
        if item.path is not None:
            os.replace(item.path, self.rejected_folder / item.path.name)
        logger.warning("%s %s rejected: %s", item.kind, item.client_id, error.detail)
