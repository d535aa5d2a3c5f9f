"""The history's clock: steps run in the order they happened, each at its own moment."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from typing import Any

from booking import events
from booking.timeutils import clock_at

from .outbox import deliver

Step = Callable[..., None]


class Timeline:
    """Steps waiting for their moment. Nothing happens at or after ``horizon`` (now):
    what a step would do later is simply not part of the history yet."""

    def __init__(self, horizon: dt.datetime) -> None:
        self.horizon = horizon
        self._steps: list[tuple[dt.datetime, int, Step, tuple[Any, ...]]] = []
        self._added = 0

    def at(self, moment: dt.datetime, step: Step, *args: Any) -> None:
        """Run ``step(moment, *args)`` at ``moment``; steps of one moment run in the order
        they were added, so the same plan always runs the same way."""
        if moment >= self.horizon:
            return
        self._added += 1
        heapq.heappush(self._steps, (moment, self._added, step, args))

    def run(self) -> None:
        while self._steps:
            moment, _, step, args = heapq.heappop(self._steps)
            with clock_at(moment), events.held() as told:
                step(moment, *args)
                deliver(told, moment)
