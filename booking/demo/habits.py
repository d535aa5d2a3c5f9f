"""How the history's visitors behave: when they come, how long they wait before giving
up, how they rate. Only choices a person makes are drawn here; what follows from them
is decided by the services."""

from __future__ import annotations

import math
import random

from booking.models import LOW_SCORE, Channel

COMMENTS = {
    1: "Viel zu lange gewartet.",
    2: "Niemand wusste Bescheid.",
    5: "Sehr kompetent, danke!",
}
# Half of the visitors answer the kiosk's question after their visit.
RATING_SHARE = 0.45


def arrival_minute(rng: random.Random) -> int:
    """Minutes after 09:00, with more visitors in the late morning."""
    while True:
        minute = rng.randint(0, 7 * 60 + 30)
        peak = math.exp(-((minute - 150) ** 2) / (2 * 70**2))
        if rng.random() < 0.35 + 0.65 * peak:
            return minute


def patience_minutes(rng: random.Random) -> float:
    """How long a walk-in waits before leaving the queue."""
    return 12 + rng.expovariate(1 / 35)


def score(rng: random.Random, waited: float) -> int:
    """Ratings fall as waits grow."""
    value = rng.gauss(4.6 - 0.08 * waited, 0.9)
    return max(1, min(5, round(value)))


def tags(rng: random.Random, given: int, waited: float) -> list[str]:
    if given <= LOW_SCORE:
        return ["waiting_time"] if waited > 10 else rng.sample(["information", "premises"], 1)
    if given >= 4:
        return rng.sample(["friendly", "competent", "quick"], rng.randint(0, 2))
    return []


def comment(rng: random.Random, given: int) -> str:
    return COMMENTS.get(given, "") if rng.random() < 0.1 else ""


def contact_ok(rng: random.Random) -> bool | None:
    """The answer to "May we contact you about this?" after a low rating."""
    return rng.choices([True, False, None], weights=[6, 3, 1])[0]


def booked_via(rng: random.Random) -> str:
    """About one booking in ten is made by staff: most for a caller, some at the desk."""
    draw = rng.random()
    if draw < 0.07:
        return Channel.PHONE
    return Channel.DESK if draw < 0.1 else Channel.WEB
