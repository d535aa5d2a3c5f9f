"""The outbox: on disk first, sent once, never lost (ratings and offline check-ins)."""

from __future__ import annotations

import json
import threading
import uuid

import pytest

from kiosk.client import ErrorKind, KioskError
from kiosk.outbox import CHECK_IN, MAX_BACKOFF, RATING, Outbox


def rating(score: int = 5, given_at: str = "2031-03-04T09:00:00+00:00") -> dict:
    return {"client_id": str(uuid.uuid4()), "score": score, "given_at": given_at}


def failing(kind: ErrorKind, status: int = 0, **extra):
    def send(_item):
        raise KioskError(kind, "no", status, **extra)

    return send


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(tmp_path, clock) -> Outbox:
    return Outbox(tmp_path / "outbox", clock=clock)


def test_an_item_is_on_disk_before_anything_is_sent(outbox):
    stored = outbox.add(RATING, rating())
    assert json.loads(stored.read_text())["body"]["score"] == 5
    assert not list(outbox.folder.glob(".tmp-*"))


def test_the_files_are_readable_by_the_kiosks_user_only(outbox):
    stored = outbox.add(CHECK_IN, {"client_id": "c", "code": "ABCD2345"})
    assert stored.stat().st_mode & 0o077 == 0
    assert outbox.folder.stat().st_mode & 0o077 == 0


def test_a_sent_item_leaves_the_outbox(outbox):
    outbox.add(RATING, rating())
    assert outbox.flush(lambda item: 201).sent == 1
    assert len(outbox) == 0


def test_a_known_item_leaves_the_outbox(outbox):
    outbox.add(RATING, rating())
    assert outbox.flush(lambda item: 200).sent == 1
    assert len(outbox) == 0


def test_offline_items_stay_and_are_resent_with_the_same_client_id(outbox, clock):
    first = rating()
    outbox.add(RATING, first)
    assert outbox.flush(failing(ErrorKind.OFFLINE)).kept == 1
    seen = []
    clock.now += MAX_BACKOFF
    outbox.flush(lambda item: seen.append(item.client_id) or 201)
    assert seen == [first["client_id"]]


def test_a_restart_finds_what_was_not_sent(tmp_path):
    Outbox(tmp_path).add(RATING, rating(2))
    assert [item.body["score"] for item in Outbox(tmp_path).pending()] == [2]


def test_ratings_an_older_kiosk_left_behind_are_still_sent(tmp_path):
    old = rating(3)
    (tmp_path / f"{old['client_id']}.json").write_text(json.dumps(old))
    (item,) = Outbox(tmp_path).pending()
    assert (item.kind, item.body) == (RATING, old)


@pytest.mark.parametrize(
    "kind,status",
    [
        (ErrorKind.OFFLINE, 0),  # a timeout or no route
        (ErrorKind.SERVER, 500),
        (ErrorKind.SERVER, 503),
        (ErrorKind.NOT_API, 404),  # a proxy's page, not the API's JSON
        (ErrorKind.NOT_API, 400),
        (ErrorKind.REVOKED, 401),
        (ErrorKind.THROTTLED, 429),
    ],
)
def test_failures_that_may_pass_keep_the_item(outbox, kind, status):
    outbox.add(RATING, rating())
    result = outbox.flush(failing(kind, status))
    assert (result.kept, result.sent, result.rejected) == (1, 0, 0)
    assert len(outbox) == 1


@pytest.mark.parametrize("kind,status", [(ErrorKind.INVALID, 400), (ErrorKind.NOT_FOUND, 404)])
def test_what_the_api_can_never_take_is_kept_aside_not_lost(outbox, kind, status):
    outbox.add(RATING, rating())
    assert outbox.flush(failing(kind, status)).rejected == 1
    assert len(outbox) == 0
    assert len(list(outbox.rejected_folder.glob("*.json"))) == 1


def test_a_visit_already_rated_or_over_is_dropped(outbox):
    outbox.add(RATING, rating())
    outbox.add(CHECK_IN, {"client_id": "c", "code": "ABCD2345", "checked_in_at": "x"})
    assert outbox.flush(failing(ErrorKind.CONFLICT, 409)).sent == 2
    assert len(outbox) == 0


def test_a_server_error_for_one_item_does_not_hold_back_the_others(outbox):
    broken, fine = rating(1, "2031-03-04T09:00:00"), rating(5, "2031-03-04T09:05:00")
    outbox.add(RATING, broken)
    outbox.add(RATING, fine)

    def send(item):
        if item.client_id == broken["client_id"]:
            raise KioskError(ErrorKind.SERVER, "bug", 500)
        return 201

    result = outbox.flush(send)
    assert (result.sent, result.kept) == (1, 1)


def test_while_the_network_is_down_the_rest_waits_too(outbox):
    for minute in range(3):
        outbox.add(RATING, rating(given_at=f"2031-03-04T09:0{minute}:00"))
    tried = []

    def send(item):
        tried.append(item)
        raise KioskError(ErrorKind.OFFLINE, "down")

    assert outbox.flush(send).kept == 3
    assert len(tried) == 1


def test_tries_back_off_up_to_five_minutes(outbox, clock):
    outbox.add(RATING, rating())
    waits = []
    for _ in range(7):
        outbox.flush(failing(ErrorKind.OFFLINE))
        start = clock.now
        while not outbox.due:
            clock.now += 1
        waits.append(clock.now - start)
    assert waits == [30, 60, 120, 240, 300, 300, 300]


def test_a_throttled_outbox_waits_as_long_as_it_is_told(outbox, clock):
    outbox.add(RATING, rating())
    outbox.flush(failing(ErrorKind.THROTTLED, 429, retry_after=200))
    clock.now += 199
    assert outbox.flush(lambda item: 201).waiting
    clock.now += 1
    assert outbox.flush(lambda item: 201).sent == 1


def test_a_success_ends_the_backoff(outbox, clock):
    outbox.add(RATING, rating())
    outbox.flush(failing(ErrorKind.OFFLINE))
    outbox.flush(lambda item: 201, force=True)
    outbox.add(RATING, rating())
    assert outbox.due


def test_check_ins_go_first(outbox):
    outbox.add(RATING, rating(given_at="2031-03-04T08:00:00"))
    outbox.add(CHECK_IN, {"client_id": "c", "code": "X", "checked_in_at": "2031-03-04T09:00:00"})
    assert [item.kind for item in outbox.pending()] == [CHECK_IN, RATING]


def test_two_flushes_at_once_send_each_item_once(outbox):
    for _ in range(3):
        outbox.add(RATING, rating())
    sent = []
    entered, release = threading.Event(), threading.Event()

    def slow(item):
        entered.set()
        release.wait(5)
        sent.append(item.client_id)
        return 201

    worker = threading.Thread(target=outbox.flush, args=(slow,))
    worker.start()
    entered.wait(5)
    assert outbox.flush(slow).busy
    release.set()
    worker.join(5)
    assert len(sent) == len(set(sent)) == 3
