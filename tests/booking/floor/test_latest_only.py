"""Live pages read the newest snapshot once, however many nudges came during a read."""

from __future__ import annotations

import asyncio

from booking.consumers import LatestOnly


class Reads:
    """A refresh that counts its runs and holds each until ``gate`` opens."""

    def __init__(self, *, held: bool) -> None:
        self.count = 0
        self.gate = asyncio.Event()
        if not held:
            self.gate.set()

    async def refresh(self) -> None:
        self.count += 1
        await self.gate.wait()


async def settle() -> None:
    await asyncio.sleep(0.01)


def test_nudges_during_a_read_fold_into_one_more_read():
    async def scenario() -> int:
        reads = Reads(held=True)
        latest = LatestOnly(reads.refresh)
        latest.request()
        await asyncio.sleep(0)
        for _ in range(5):
            latest.request()
        reads.gate.set()
        await settle()
        return reads.count

    assert asyncio.run(scenario()) == 2


def test_a_nudge_after_a_read_reads_again():
    async def scenario() -> int:
        reads = Reads(held=False)
        latest = LatestOnly(reads.refresh)
        latest.request()
        await settle()
        latest.request()
        await settle()
        return reads.count

    assert asyncio.run(scenario()) == 2


def test_a_closed_page_stops_reading():
    async def scenario() -> int:
        reads = Reads(held=True)
        latest = LatestOnly(reads.refresh)
        latest.request()
        await asyncio.sleep(0)
        latest.request()
        latest.cancel()
        reads.gate.set()
        await settle()
        return reads.count

    assert asyncio.run(scenario()) == 1
