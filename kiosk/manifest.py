"""Today's and tomorrow's bookings, kept on disk for checking in while offline.

The server lists each live booking under a keyed digest of its check-in code
(``kiosk.codes.code_digest``), so the kiosk can recognise a scanned code without
keeping any code. A scan that matches is judged by the branch's check-in window, as
the server would judge it.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from .codes import code_digest
from .files import private_dir, write_private

logger = logging.getLogger(__name__)
REFRESH_EVERY = 300.0  # seconds


@dataclass(frozen=True)
class Booking:
    first_name: str
    advisor: str
    location: str
    start: dt.datetime  # with the branch's offset
    language: str
    early_minutes: int
    grace_minutes: int
    late_policy: str


class Verdict(enum.StrEnum):
    WELCOME = "welcome"  # early or on time: the advisor will be told
    LATE = "late"  # past the grace period: a colleague will call
    EARLY = "early"  # before the check-in window opens
    LATE_REFUSED = "late_refused"  # the branch takes no late arrivals
    OTHER_DAY = "other_day"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    booking: Booking

    @property
    def checks_in(self) -> bool:
        return self.verdict in (Verdict.WELCOME, Verdict.LATE)

    @property
    def opens_at(self) -> dt.datetime:
        return self.booking.start - dt.timedelta(minutes=self.booking.early_minutes)


def decide(booking: Booking, moment: dt.datetime) -> Decision:
    """The server's check-in window applied to a scan at ``moment``."""
    local = moment.astimezone(booking.start.tzinfo)
    if local.date() != booking.start.date():
        return Decision(Verdict.OTHER_DAY, booking)
    if moment < booking.start - dt.timedelta(minutes=booking.early_minutes):
        return Decision(Verdict.EARLY, booking)
    if moment > booking.start + dt.timedelta(minutes=booking.grace_minutes):
        refused = booking.late_policy == "refuse"
        return Decision(Verdict.LATE_REFUSED if refused else Verdict.LATE, booking)
    return Decision(Verdict.WELCOME, booking)


class Manifest:
    def __init__(self, folder: Path, token: str) -> None:
        self.folder = Path(folder)
        self.token = token
        self._index: dict[str, list[Booking]] = {}
        self._days: list[str] = []
        self.load()

    @property
    def days(self) -> list[str]:
        return list(self._days)

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("manifest-*.json")) if self.folder.is_dir() else []

    def load(self) -> None:
        index: dict[str, list[Booking]] = {}
        days = []
        for path in self._files():
            try:
                answer = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                logger.warning("unreadable manifest %s ignored", path)
                continue
            days.append(answer.get("date", ""))
            for code_hash, booking in self._bookings(answer):
                index.setdefault(code_hash, []).append(booking)
        self._index, self._days = index, days

    @staticmethod
    def _bookings(answer: dict) -> list[tuple[str, Booking]]:
        found = []
        for entry in answer.get("appointments", []):
            try:
                booking = Booking(
                    first_name=entry.get("first_name", ""),
                    advisor=entry.get("advisor", ""),
                    location=entry.get("location", ""),
                    start=dt.datetime.fromisoformat(entry["start"]),
                    language=entry.get("language", ""),
                    early_minutes=int(answer.get("checkin_early_minutes", 60)),
                    grace_minutes=int(answer.get("late_grace_minutes", 10)),
                    late_policy=answer.get("late_policy", ""),
                )
                found.append((entry["code_hash"], booking))
            except (KeyError, TypeError, ValueError):
                logger.warning("manifest entry without code_hash or start ignored")
        return found

    def store(self, answer: dict) -> None:
        """Keep a manifest answer of one day (replacing that day's earlier copy)."""
        day = dt.date.fromisoformat(answer["date"])
        private_dir(self.folder)
        write_private(self.folder / f"manifest-{day.isoformat()}.json", json.dumps(answer))
        self.load()

    def prune(self, first_kept: dt.date) -> None:
        """Forget the days before ``first_kept``: their first names are nobody's business."""
        for path in self._files():
            if path.stem.removeprefix("manifest-") < first_kept.isoformat():
                path.unlink(missing_ok=True)
        self.load()

    def find(self, code: str, moment: dt.datetime) -> Booking | None:
        """The booking of this code, the one on the day of ``moment`` if there are more."""
        bookings = self._index.get(code_digest(code, self.token), [])
        for booking in bookings:
            if moment.astimezone(booking.start.tzinfo).date() == booking.start.date():
                return booking
        return bookings[0] if bookings else None
