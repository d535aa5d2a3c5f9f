"""The rating outbox: on disk first, sent once, never lost."""

from __future__ import annotations

import json
import threading
import uuid

from kiosk.client import ErrorKind, KioskError
from kiosk.outbox import Outbox


def rating(score: int = 5) -> dict:
    return {"client_id": str(uuid.uuid4()), "score": score, "given_at": "2026-11-24T09:00:00+00:00"}


def test_a_rating_is_on_disk_before_anything_is_sent(tmp_path):
    outbox = Outbox(tmp_path)
    stored = outbox.add(rating())
    assert json.loads(stored.read_text())["score"] == 5
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_sent_rating_leaves_the_outbox(tmp_path):
    outbox = Outbox(tmp_path)
    outbox.add(rating())
    assert outbox.flush(lambda r: 201).sent == 1
    assert len(outbox) == 0


def test_offline_ratings_stay_and_are_resent_with_the_same_client_id(tmp_path):
    outbox = Outbox(tmp_path)
    first = rating()
    outbox.add(first)

    def offline(_r):
        raise KioskError(ErrorKind.OFFLINE, "no route")

    assert outbox.flush(offline).kept == 1
    seen = []
    outbox.flush(lambda r: seen.append(r["client_id"]) or 201)
    assert seen == [first["client_id"]]


def test_a_restart_finds_what_was_not_sent(tmp_path):
    Outbox(tmp_path).add(rating(2))
    assert [r["score"] for r in Outbox(tmp_path).pending()] == [2]


def test_a_visit_already_rated_is_dropped(tmp_path):
    outbox = Outbox(tmp_path)
    outbox.add(rating())

    def conflict(_r):
        raise KioskError(ErrorKind.CONFLICT, "already rated", 409, "already_rated")

    assert outbox.flush(conflict).sent == 1
    assert len(outbox) == 0


def test_a_rating_the_server_refuses_is_kept_aside_not_lost(tmp_path):
    outbox = Outbox(tmp_path)
    outbox.add(rating())

    def invalid(_r):
        raise KioskError(ErrorKind.INVALID, "bad", 400)

    assert outbox.flush(invalid).rejected == 1
    assert len(outbox) == 0
    assert len(list((tmp_path / "rejected").glob("*.json"))) == 1


def test_a_server_error_keeps_the_rating(tmp_path):
    outbox = Outbox(tmp_path)
    outbox.add(rating())

    def broken(_r):
        raise KioskError(ErrorKind.SERVER, "oops", 500)

    assert outbox.flush(broken).kept == 1
    assert len(outbox) == 1


def test_two_flushes_at_once_send_each_rating_once(tmp_path):
    outbox = Outbox(tmp_path)
    for _ in range(3):
        outbox.add(rating())
    sent = []
    entered, release = threading.Event(), threading.Event()

    def slow(r):
        entered.set()
        release.wait(5)
        sent.append(r["client_id"])
        return 201

    worker = threading.Thread(target=outbox.flush, args=(slow,))
    worker.start()
    entered.wait(5)
    assert outbox.flush(slow).busy
    release.set()
    worker.join(5)
    assert len(sent) == len(set(sent)) == 3
