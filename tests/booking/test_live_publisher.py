"""The publisher of live updates over a network channel layer: a burst of messages
waits its turn in memory, with at most ``live.SENDERS`` in flight (each holds one of
the layer's Redis connections), and none is lost."""

from __future__ import annotations

import asyncio
import threading

from booking import live
from tests.support import wait_for


class SlowLayer:
    """Records what it is sent and how many sends were in flight at once."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    async def group_send(self, group: str, message: dict) -> None:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.002)
        with self.lock:
            self.in_flight -= 1
            self.sent.append(group)


class FailingLayer:
    def __init__(self) -> None:
        self.tries = 0

    async def group_send(self, group: str, message: dict) -> None:
        self.tries += 1
        if group == "broken":
            raise ConnectionError("Redis went away")


def test_a_burst_keeps_at_most_senders_messages_in_flight():
    publisher, layer = live._Publisher(), SlowLayer()
    groups = [f"ticket.{n}" for n in range(200)]
    for group in groups:
        publisher.submit(layer, group, {"type": "live.event"})
    wait_for(lambda: len(layer.sent) == len(groups), what="the burst to be sent")
    assert layer.most_in_flight == live.SENDERS
    assert sorted(layer.sent) == sorted(groups)


def test_a_failed_send_loses_that_message_and_not_the_sender(caplog):
    publisher, layer = live._Publisher(), FailingLayer()
    for group in ["broken"] * live.SENDERS + ["fine"]:
        publisher.submit(layer, group, {"type": "live.event"})
    wait_for(
        lambda: caplog.text.count("live update failed: Redis went away") == live.SENDERS,
        what="every broken send to be logged",
    )
    wait_for(lambda: layer.tries == live.SENDERS + 1, what="the message after them to be tried")
