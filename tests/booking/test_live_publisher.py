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


class GatedLayer:
    """Holds every send until the gate opens."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started: list[str] = []
        self.sent: list[str] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.started.append(group)
        await asyncio.to_thread(self.gate.wait)
        self.sent.append(group)


def test_a_burst_keeps_at_most_senders_messages_in_flight():
    publisher, layer = live._Publisher(), SlowLayer()
    groups = [f"ticket.{n}" for n in range(200)]
    for group in groups:
        publisher.submit(layer, group, {"type": "live.event"})
    wait_for(lambda: len(layer.sent) == len(groups), what="the burst to be sent")
    assert layer.most_in_flight == live.SENDERS
    assert sorted(layer.sent) == sorted(groups)


def test_an_outage_is_logged_once_when_it_begins_and_once_when_it_ends(caplog):
    publisher, layer = live._Publisher(), FailingLayer()
    for group in ["broken"] * live.SENDERS + ["fine"]:
        publisher.submit(layer, group, {"type": "live.event"})
    wait_for(lambda: "flow again" in caplog.text, what="the recovery to be logged")
    assert layer.tries == live.SENDERS + 1
    assert caplog.text.count("live update failed: Redis went away") == 1
    assert f"live updates flow again; {live.SENDERS} were lost" in caplog.text


def test_while_the_broker_is_away_the_oldest_waiting_messages_give_way(monkeypatch, caplog):
    monkeypatch.setattr(live, "OUTBOX_LIMIT", 10)
    publisher, layer = live._Publisher(), GatedLayer()
    in_flight = [f"ticket.{n}" for n in range(live.SENDERS)]
    for group in in_flight:
        publisher.submit(layer, group, {"type": "live.event"})
    wait_for(lambda: len(layer.started) == live.SENDERS, what="the senders to be busy")
    waiting = [f"status.{n}" for n in range(15)]
    for group in waiting:
        publisher.submit(layer, group, {"type": "live.event"})
    wait_for(lambda: "more than 10 waiting" in caplog.text, what="the overflow to be logged")
    layer.gate.set()
    wait_for(lambda: "flow again" in caplog.text, what="the recovery to be logged")
    wait_for(lambda: len(layer.sent) == live.SENDERS + 10, what="what was kept to be sent")
    assert sorted(layer.sent) == sorted(in_flight + waiting[5:])
    assert "live updates flow again; 5 were lost" in caplog.text
