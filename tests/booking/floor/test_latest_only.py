"""Live pages read the newest snapshot once, however many nudges came during a read."""

from __future__ import annotations

import asyncio

from booking.consumers import LatestOnly


def run(coroutine):
    return asyncio.run(coroutine)


def test_nudges_during_a_read_fold_into_one_more_read():
    async def scenario() -> int:
        reads = 0
        gate = asyncio.Event()

        async def refresh() -> None:
            nonlocal reads
            reads += 1
            await gate.wait()

        latest = LatestOnly(refresh)
        latest.request()
        await asyncio.sleep(0)
        for _ in range(5):
            latest.request()
        gate.set()
        await asyncio.sleep(0.01)
        return reads

    assert run(scenario()) == 2


def test_a_nudge_after_a_read_reads_again():
    async def scenario() -> int:
        reads = 0

        async def refresh() -> None:
            nonlocal reads
            reads += 1

        latest = LatestOnly(refresh)
        latest.request()
        await asyncio.sleep(0.01)
        latest.request()
        await asyncio.sleep(0.01)
        return reads

    assert run(scenario()) == 2


def test_a_closed_page_stops_reading():
    async def scenario() -> int:
        reads = 0
        gate = asyncio.Event()

        async def refresh() -> None:
            nonlocal reads
            reads += 1
            await gate.wait()

        latest = LatestOnly(refresh)
        latest.request()
        await asyncio.sleep(0)
        latest.request()
        latest.cancel()
        gate.set()
        await asyncio.sleep(0.01)
        return reads

    assert run(scenario()) == 1
