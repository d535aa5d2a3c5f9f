"""The visitor's flow without a window: typing, scanning, offline decisions, timeouts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kiosk.client import ErrorKind, Immediate, KioskError
from kiosk.codes import code_digest
from kiosk.config import KioskConfig
from kiosk.flow import THANKS_SECONDS, Flow
from kiosk.i18n import render
from kiosk.manifest import Manifest
from kiosk.outbox import CHECK_IN, RATING, Outbox

TOKEN = "device-token"
CODE = "ABCD2345"
BERLIN = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2031, 3, 4, 9, 50, tzinfo=BERLIN)  # the visit starts at 10:00


def offline(*_args, **_kwargs):
    raise KioskError(ErrorKind.OFFLINE, "connection refused")


class FakeClient:
    """The kiosk API as the flow sees it; each call can be made to fail."""

    def __init__(self) -> None:
        self.language = "de"
        self.clock_offset: dt.timedelta | None = dt.timedelta(0)
        self.now = NOW
        self.calls: list[tuple] = []
        self.failures: dict[str, list] = {}
        self.ticket_number = 0

    def server_now(self) -> dt.datetime:
        return self.now

    def _maybe_fail(self, name: str) -> None:
        failures = self.failures.get(name)
        if failures:
            failure = failures.pop(0)
            if failure is not None:
                raise failure

    def device(self) -> dict:
        self.calls.append(("device",))
        self._maybe_fail("device")
        return {
            "branch": {"slug": "mitte", "name": "Filiale Mitte"},
            "mode": "both",
            "walk_in_services": [{"slug": "konto", "name": "Konto"}],
            "rating_tags": [{"key": "quick", "label": "schnell"}],
            "speech": False,
        }

    def manifest(self, date: str | None = None) -> dict:
        self.calls.append(("manifest", date))
        self._maybe_fail("manifest")
        return manifest_answer(date or NOW.date().isoformat())

    def check_in(self, code: str, client_id=None) -> dict:
        self.calls.append(("check_in", code, client_id))
        self._maybe_fail("check_in")
        return {
            "ticket": {"id": 7, "number": "A007", "kind": "appointment"},
            "first_name": "Lukas",
            "advisor": {"id": 1, "name": "Anna Weber"},
            "location": "Raum 2",
            "start": "2031-03-04T10:00:00+01:00",
            "arrival": "early",
            "message": "Anna Weber empfängt Sie um 10:00 Uhr in Raum 2.",
            "language": "de",
        }

    def take_ticket(self, service: str, client_id=None) -> dict:
        self.calls.append(("take_ticket", service, client_id))
        self._maybe_fail("take_ticket")
        return {"id": 9, "number": "K001", "service": service, "position": 1}

    def send_rating(self, body: dict) -> int:
        self.calls.append(("send_rating", body))
        self._maybe_fail("send_rating")
        return 201

    def send_check_in(self, body: dict) -> int:
        self.calls.append(("send_check_in", body))
        self._maybe_fail("send_check_in")
        return 200


def manifest_answer(day: str, **entry) -> dict:
    start = entry.pop("start", f"{day}T10:00:00+01:00")
    return {
        "date": day,
        "checkin_early_minutes": 60,
        "late_grace_minutes": 10,
        "late_policy": entry.pop("late_policy", "priority_walk_in"),
        "appointments": [
            {
                "code_hash": code_digest(entry.pop("code", CODE), TOKEN),
                "first_name": "Lukas",
                "advisor": "Anna Weber",
                "location": "Raum 2",
                "start": start,
                "language": entry.pop("language", "de"),
            }
        ],
    }


class FakeSpeaker:
    available = True

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def say(self, text: str, language: str) -> None:
        self.said.append((text, language))

    def stop(self) -> None:
        pass


class Later:
    """Holds calls until the test lets them finish (the network is slow)."""

    def __init__(self) -> None:
        self.waiting: list = []

    def run(self, call, on_done, on_error) -> None:
        self.waiting.append((call, on_done, on_error))

    def finish_all(self) -> None:
        while self.waiting:
            call, on_done, on_error = self.waiting.pop(0)
            Immediate().run(call, on_done, on_error)


@pytest.fixture
def client() -> FakeClient:
    return FakeClient()


@pytest.fixture
def clock():
    class Clock:
        now = 1000.0

        def __call__(self) -> float:
            return self.now

    return Clock()


@pytest.fixture
def make_flow(tmp_path, client, clock):
    def make(**config) -> Flow:
        settings = KioskConfig(data_dir=tmp_path, token=TOKEN, **config)
        flow = Flow(
            settings,
            client=client,
            outbox=Outbox(settings.outbox_dir, clock=clock),
            manifest=Manifest(settings.manifest_dir, TOKEN),
            runner=Immediate(),
            speaker=FakeSpeaker(),
            clock=clock,
        )
        flow.start()
        return flow

    return make


@pytest.fixture
def flow(make_flow) -> Flow:
    return make_flow()


def scan(flow: Flow, text: str) -> None:
    flow.type_text(text)
    flow.enter()


def shown_text(flow: Flow, key: str) -> str:
    return render(flow.shown.get(key), flow.lang)


def test_a_scan_on_the_home_screen_checks_in(flow, client):
    scan(flow, "abcd-2345")
    assert flow.screen == "result"
    ((_name, code, client_id),) = [c for c in client.calls if c[0] == "check_in"]
    assert code == CODE
    assert client_id
    assert flow.shown["first_name"] == "Lukas"
    assert shown_text(flow, "message") == "Anna Weber empfängt Sie um 10:00 Uhr in Raum 2."


def test_a_code_from_the_camera_checks_in(flow, client):
    flow.type_text("XY")  # someone had started typing
    flow.scan("abcd-2345")
    assert flow.screen == "result"
    assert [c[1] for c in client.calls if c[0] == "check_in"] == [CODE]


def test_characters_no_code_has_are_ignored(flow):
    flow.type_text("ab0o1lcd")
    assert flow.code == "ABCD"


def test_a_rating_code_takes_ticket_numbers(flow):
    flow.start_code("rate")
    flow.type_text("a012")
    flow.enter()
    assert flow.screen == "rating"
    assert flow.shown["code"] == "A012"


def test_something_neither_code_nor_ticket_number_is_refused_before_the_rating(flow):
    flow.start_code("rate")
    flow.type_text("A1")
    flow.enter()
    assert flow.screen == "message"
    assert flow.shown["retry"]


def test_after_a_check_in_the_kiosk_goes_on_in_the_booked_language(flow, client):
    answer = client.check_in(CODE)
    client.check_in = lambda code, client_id=None: {**answer, "language": "en"}
    scan(flow, CODE)
    assert flow.lang == "en"
    # The server's sentence was German: in English the kiosk says it itself.
    assert shown_text(flow, "message") == "Anna Weber will meet you in Raum 2 at 10:00."


def test_the_next_visitor_starts_in_the_kiosks_own_language(flow, client):
    answer = client.check_in(CODE)
    client.check_in = lambda code, client_id=None: {**answer, "language": "en"}
    scan(flow, CODE)
    flow.finish()
    assert (flow.lang, flow.client.language) == ("de", "de")


def test_an_unknown_code_offers_another_try(flow, client):
    client.failures["check_in"] = [
        KioskError(ErrorKind.NOT_FOUND, "Wir konnten diesen Code nicht finden.", 404)
    ]
    scan(flow, "ZZZZ9999")
    assert flow.screen == "message"
    assert flow.shown["title"] == "We could not find this code"
    assert flow.shown["retry"]
    flow.retry()
    assert (flow.screen, flow.purpose) == ("code", "checkin")


def test_offline_a_code_from_the_manifest_is_greeted_and_queued(flow, client):
    client.failures["check_in"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    scan(flow, CODE)
    assert flow.screen == "result"
    assert flow.shown["offline"]
    assert flow.shown["first_name"] == "Lukas"
    assert shown_text(flow, "message") == "Anna Weber empfängt Sie um 10:00 Uhr in Raum 2."
    (item,) = flow.outbox.pending()
    assert item.kind == CHECK_IN
    assert item.body["code"] == CODE
    assert item.body["checked_in_at"] == NOW.isoformat(timespec="seconds")
    ((_name, _code, client_id),) = [c for c in client.calls if c[0] == "check_in"]
    assert item.body["client_id"] == client_id  # a timed-out first try is the same check-in


def test_offline_the_greeting_is_in_the_booked_language(make_flow, client, tmp_path):
    client.manifest = lambda date=None: manifest_answer(
        date or NOW.date().isoformat(), language="en"
    )
    flow = make_flow()
    client.failures["check_in"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    scan(flow, CODE)
    assert flow.lang == "en"


def test_offline_a_code_not_in_the_manifest_is_sent_to_the_desk(flow, client):
    client.failures["check_in"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    scan(flow, "ZZZZ9999")
    assert flow.screen == "message"
    assert flow.shown["title"] == "We cannot check your code right now"
    assert flow.shown["ask_desk"]
    assert len(flow.outbox) == 0


def test_a_proxys_404_page_counts_as_offline(flow, client):
    client.failures["check_in"] = [KioskError(ErrorKind.NOT_API, "Not Found", 404)]
    scan(flow, CODE)
    assert flow.shown.get("offline")


def test_a_server_error_counts_as_offline(flow, client):
    client.failures["check_in"] = [KioskError(ErrorKind.SERVER, "", 503)]
    scan(flow, CODE)
    assert flow.shown.get("offline")


def test_offline_an_early_visitor_is_told_when_check_in_opens(flow, client):
    client.now = NOW - dt.timedelta(minutes=70)
    client.failures["check_in"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    scan(flow, CODE)
    assert flow.shown["title"] == "You are early"
    assert "09:00" in shown_text(flow, "detail")
    assert len(flow.outbox) == 0


def test_offline_a_late_visitor_is_queued_for_a_colleague(flow, client):
    client.now = NOW + dt.timedelta(minutes=25)
    client.failures["check_in"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    scan(flow, CODE)
    assert flow.shown["offline"]
    assert "a colleague will call you" in render(flow.shown["message"], "en")
    assert len(flow.outbox) == 1


def test_offline_a_branch_that_refuses_late_arrivals_refuses_them(make_flow, client):
    client.manifest = lambda date=None: manifest_answer(
        date or NOW.date().isoformat(), late_policy="refuse"
    )
    flow = make_flow()
    client.now = NOW + dt.timedelta(minutes=25)
    client.failures["check_in"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    scan(flow, CODE)
    assert flow.shown["title"] == "Your appointment time has passed"
    assert len(flow.outbox) == 0


def test_offline_tomorrows_visitor_is_told_the_day(flow, client):
    client.now = NOW - dt.timedelta(days=1)
    client.failures["check_in"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    scan(flow, CODE)
    assert flow.shown["title"] == "Your appointment is on another day"
    assert render(flow.shown["detail"], "de").startswith("Ihr Termin ist am 04.03.2031")


def test_the_manifest_keeps_today_and_tomorrow_only(flow, client, tmp_path):
    stale = tmp_path / "manifest" / "manifest-2031-03-01.json"
    stale.write_text(json.dumps(manifest_answer("2031-03-01")))
    flow.refresh_manifest()
    assert [c for c in client.calls if c[0] == "manifest"][-2:] == [
        ("manifest", None),
        ("manifest", "2031-03-05"),
    ]
    assert flow.manifest.days == ["2031-03-04", "2031-03-05"]
    assert not stale.exists()


def test_the_manifest_is_readable_by_the_kiosks_user_only(flow, tmp_path):
    for path in (tmp_path / "manifest").glob("*.json"):
        assert path.stat().st_mode & 0o077 == 0
    assert (tmp_path / "manifest").stat().st_mode & 0o077 == 0


def test_the_manifest_is_refreshed_every_five_minutes(flow, client, clock):
    before = len([c for c in client.calls if c[0] == "manifest"])
    clock.now += 299
    flow.tick()
    assert len([c for c in client.calls if c[0] == "manifest"]) == before
    clock.now += 2
    flow.tick()
    assert len([c for c in client.calls if c[0] == "manifest"]) == before + 2


def test_a_survey_kiosk_loads_no_manifest(make_flow, client):
    make_flow(mode="survey")
    assert not [c for c in client.calls if c[0] == "manifest"]


def test_offline_walk_ins_get_no_made_up_number(flow, client):
    client.failures["take_ticket"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    flow.go("services")
    flow.take_ticket("konto")
    assert flow.screen == "message"
    assert flow.shown["title"] == "We cannot give out numbers right now"
    assert "number" not in flow.shown


def test_a_walk_in_request_that_timed_out_is_resent_with_the_same_id(flow, client):
    client.failures["take_ticket"] = [
        KioskError(ErrorKind.OFFLINE, "read timeout", maybe_delivered=True)
    ]
    flow.go("services")
    flow.take_ticket("konto")
    assert flow.screen == "ticket"
    first, second = [c for c in client.calls if c[0] == "take_ticket"]
    assert first[2] == second[2]


def test_a_walk_in_request_that_never_left_is_not_resent(flow, client):
    client.failures["take_ticket"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    flow.go("services")
    flow.take_ticket("konto")
    assert len([c for c in client.calls if c[0] == "take_ticket"]) == 1


def test_a_second_tap_while_the_first_is_under_way_does_nothing(make_flow, client):
    flow = make_flow()
    later = Later()
    flow.runner = later
    flow.go("services")
    flow.take_ticket("konto")
    flow.take_ticket("konto")
    later.finish_all()
    assert len([c for c in client.calls if c[0] == "take_ticket"]) == 1


def test_an_answer_for_a_visitor_who_has_gone_is_dropped(make_flow, client):
    flow = make_flow()
    later = Later()
    flow.runner = later
    scan(flow, CODE)
    flow.home()  # Escape
    later.finish_all()
    assert flow.screen == "home"
    assert not flow.busy


def test_the_status_link_comes_with_the_ticket(flow, client):
    client.take_ticket = lambda service, client_id=None: {
        "number": "K001",
        "status_url": "https://bank.example/t/abc/",
    }
    flow.take_ticket("konto")
    assert flow.shown["status_url"] == "https://bank.example/t/abc/"


def test_a_rating_is_stored_before_it_is_sent_with_the_time_it_was_given(flow, client):
    flow.start_code("rate")
    flow.skip_code()
    flow.choose_score(4)
    flow.toggle_tag("quick")
    flow.send_rating()
    assert flow.screen == "thanks"
    ((_name, body),) = [c for c in client.calls if c[0] == "send_rating"]
    assert body["score"] == 4
    assert body["tags"] == ["quick"]
    assert body["given_at"] == NOW.isoformat(timespec="seconds")
    assert "contact_ok" not in body
    assert len(flow.outbox) == 0


def test_after_a_low_rating_of_a_known_visit_the_kiosk_asks_about_contact(flow, client):
    flow.start_code("rate")
    scan(flow, CODE)
    flow.choose_score(2)
    flow.send_rating()
    assert flow.screen == "contact"
    flow.answer_contact(True)
    ((_name, body),) = [c for c in client.calls if c[0] == "send_rating"]
    assert (body["score"], body["code"], body["contact_ok"]) == (2, CODE, True)


def test_a_no_to_contact_is_sent_as_such(flow, client):
    flow.start_code("rate")
    scan(flow, CODE)
    flow.choose_score(1)
    flow.send_rating()
    flow.answer_contact(False)
    ((_name, body),) = [c for c in client.calls if c[0] == "send_rating"]
    assert body["contact_ok"] is False


def test_an_anonymous_low_rating_is_not_asked_about_contact(flow):
    flow.start_code("rate")
    flow.skip_code()
    flow.choose_score(1)
    flow.send_rating()
    assert flow.screen == "thanks"


def test_keys_one_to_five_choose_and_enter_sends(flow, client):
    flow.start_code("rate")
    flow.skip_code()
    flow.choose_score(5)
    flow.enter()
    assert flow.screen == "thanks"


def test_a_kiosk_clock_six_minutes_fast_stamps_the_servers_time(flow, client):
    client.now = NOW  # what server_now() gives: the kiosk's clock plus its offset
    client.clock_offset = dt.timedelta(minutes=-6)
    flow.start_code("rate")
    flow.skip_code()
    flow.choose_score(3)
    flow.send_rating()
    ((_name, body),) = [c for c in client.calls if c[0] == "send_rating"]
    assert body["given_at"] == NOW.isoformat(timespec="seconds")


def test_a_time_stamped_before_the_clock_was_known_is_corrected_when_sent(flow, client):
    client.clock_offset = None
    client.failures["send_rating"] = [KioskError(ErrorKind.OFFLINE, "refused")]
    fast = NOW + dt.timedelta(minutes=6)
    client.now = fast  # without an offset, server_now() is the kiosk's own clock
    flow.start_code("rate")
    flow.skip_code()
    flow.choose_score(3)
    flow.send_rating()
    client.clock_offset = dt.timedelta(minutes=-6)  # learned from the server's answers
    flow.flush_outbox(force=True)
    ((_name, body),) = [c for c in client.calls if c[0] == "send_rating"][-1:]
    assert body["given_at"] == NOW.isoformat(timespec="seconds")


def test_queued_check_ins_are_delivered_before_ratings(flow, client):
    flow.outbox.add(RATING, {"client_id": "r1", "score": 5, "given_at": "2031-03-04T09:00:00"})
    flow.outbox.add(
        CHECK_IN, {"client_id": "c1", "code": CODE, "checked_in_at": "2031-03-04T09:30:00"}
    )
    flow.flush_outbox(force=True)
    sent = [c[0] for c in client.calls if c[0].startswith("send_")]
    assert sent == ["send_check_in", "send_rating"]


def test_idle_time_returns_home_and_forgets_the_visit(flow, client, clock):
    scan(flow, CODE)
    flow.toggle_large()
    clock.now += 29
    flow.tick()
    assert flow.screen == "result"
    clock.now += 1
    flow.tick()
    assert (flow.screen, flow.shown, flow.large) == ("home", {}, False)


def test_a_half_typed_code_is_forgotten_when_idle(flow, clock):
    flow.type_text("ABC")
    clock.now += 30
    flow.tick()
    assert flow.code == ""


def test_the_thank_you_screen_returns_home_by_itself(flow, clock):
    flow.go("thanks")
    clock.now += THANKS_SECONDS
    flow.tick()
    assert flow.screen == "home"


def test_escape_keeps_the_visits_choices(flow):
    flow.toggle_large()
    flow.go("services")
    flow.home()
    assert flow.large


def test_spoken_guidance_reads_the_screen_in_the_visits_language(flow):
    flow.toggle_speech()
    text, language = flow.speaker.said[-1]
    assert language == "de"
    assert "Check in with my code" in text or "Mit meinem Code einchecken" in text


def test_after_a_check_in_the_greeting_is_spoken_in_the_booked_language(flow, client):
    answer = client.check_in(CODE)
    client.check_in = lambda code, client_id=None: {**answer, "language": "en"}
    flow.toggle_speech()
    scan(flow, CODE)
    text, language = flow.speaker.said[-1]
    assert language == "en"
    assert text.startswith("Welcome, Lukas! Anna Weber will meet you in Raum 2 at 10:00.")


def test_a_device_set_to_speak_speaks_without_the_switch(make_flow, client):
    device = client.device()
    client.device = lambda: {**device, "speech": True}
    flow = make_flow()
    flow.go("services")
    assert flow.speaker.said


def test_speech_is_silent_unless_switched_on(flow):
    flow.go("services")
    assert flow.speaker.said == []


def test_the_device_settings_are_kept_for_a_start_without_network(make_flow, client, tmp_path):
    make_flow()
    client.failures["device"] = [offline_error()]
    flow = make_flow()
    assert flow.branch_name == "Filiale Mitte"
    assert (tmp_path / "device.json").stat().st_mode & 0o077 == 0


def offline_error() -> KioskError:
    return KioskError(ErrorKind.OFFLINE, "refused")
