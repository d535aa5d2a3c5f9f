"""The real Kivy app, offscreen, against the real server (live test server)."""

from __future__ import annotations

import pytest

from booking.models import Rating
from tests.kiosk.driver import ENTER, ESCAPE

pytestmark = [pytest.mark.kiosk_app, pytest.mark.django_db(transaction=True)]


def test_a_scanned_code_shows_who_meets_the_visitor(kiosk, world):
    driver = kiosk()
    driver.scan(world["appointment"].code)
    driver.until(lambda: driver.screen == "result", what="the result screen")
    shown = " ".join(driver.texts())
    assert "Lukas" in shown
    assert "Anna Weber" in shown
    assert "Raum 2" in shown


def test_a_code_typed_on_the_keypad_checks_in(kiosk, world):
    driver = kiosk()
    driver.tap(driver.widget("home", "checkin"))
    assert driver.screen == "code"
    keypad = driver.widget("code", "keypad")
    for character in world["appointment"].code:
        driver.tap(keypad.key(character))
    driver.tap(driver.widget("code", "ok"))
    driver.until(lambda: driver.screen == "result", what="the result screen")


def test_an_unknown_code_says_so_and_offers_another_try(kiosk):
    driver = kiosk(lang="en")
    driver.scan("ZZZZ9999")
    driver.until(lambda: driver.screen == "message", what="the message screen")
    assert "We could not find this code" in driver.texts()
    driver.tap(driver.widget("message", "retry"))
    assert driver.screen == "code"


def test_a_walk_in_takes_a_number_with_its_wait(kiosk):
    driver = kiosk()
    driver.tap(driver.widget("home", "walkin"))
    driver.pump(5)
    tile = driver.app.root.get_screen("services").ids.tiles.children[0]
    driver.tap(tile)
    driver.until(lambda: driver.screen == "ticket", what="the ticket screen")
    assert driver.widget("ticket", "number").text == "A001"


def test_the_status_link_is_shown_as_a_qr_code(kiosk):
    driver = kiosk()
    driver.tap(driver.widget("home", "walkin"))
    driver.tap(driver.app.root.get_screen("services").ids.tiles.children[0])
    driver.until(lambda: driver.screen == "ticket", what="the ticket screen")
    assert driver.widget("ticket", "qr").data.startswith("http://127.0.0.1:8000/t/")


def test_a_rating_by_keys_reaches_the_server_once(kiosk):
    driver = kiosk()
    driver.tap(driver.widget("home", "rate"))
    driver.tap(driver.widget("code", "skip"))
    assert driver.screen == "rating"
    driver.key(ord("4"))
    driver.key(ENTER)
    assert driver.screen == "thanks"
    driver.until(lambda: Rating.objects.count() == 1, what="the rating on the server")
    assert Rating.objects.get().score == 4


def test_a_low_rating_of_a_known_visit_asks_whether_we_may_get_in_touch(kiosk, world):
    driver = kiosk(lang="en")
    driver.scan(world["appointment"].code)
    driver.until(lambda: driver.screen == "result", what="the check-in")
    driver.key(ESCAPE)
    driver.tap(driver.widget("home", "rate"))
    driver.type(world["appointment"].code)
    driver.key(ENTER)
    assert driver.screen == "rating"
    driver.key(ord("2"))
    driver.key(ENTER)
    assert driver.screen == "contact"
    driver.tap(driver.widget("contact", "yes"))
    assert driver.screen == "thanks"
    driver.until(lambda: Rating.objects.count() == 1, what="the rating on the server")
    rating = Rating.objects.get()
    assert (rating.score, rating.appointment_id) == (2, world["appointment"].id)


def test_a_rating_made_offline_is_sent_once_when_back_online(kiosk, world):
    driver = kiosk()
    driver.app.client.server = "http://127.0.0.1:9"  # the network is gone
    driver.tap(driver.widget("home", "rate"))
    driver.tap(driver.widget("code", "skip"))
    driver.key(ord("2"))
    driver.key(ENTER)
    driver.until(lambda: not driver.app.outbox.flush(lambda r: 0).busy, what="the failed send")
    assert len(driver.app.outbox) == 1
    assert Rating.objects.count() == 0
    driver.app.client.server = world["url"]  # back online
    driver.flow.flush_outbox(force=True)
    driver.until(lambda: len(driver.app.outbox) == 0, what="the resend")
    driver.flow.flush_outbox(force=True)
    driver.pump(20)
    assert Rating.objects.count() == 1


def test_escape_returns_home(kiosk):
    driver = kiosk()
    driver.tap(driver.widget("home", "walkin"))
    driver.key(ESCAPE)
    assert driver.screen == "home"


def test_idle_time_returns_home_and_forgets_the_visitor(kiosk, world):
    driver = kiosk()
    driver.scan(world["appointment"].code)
    driver.until(lambda: driver.screen == "result", what="the result screen")
    clock = driver.flow.last_activity
    driver.flow.clock = lambda: clock + 31
    driver.pump(70)  # the idle check runs once a second
    driver.until(lambda: driver.screen == "home", what="the idle timeout")
    assert driver.app.shown == {}


def test_the_language_switch_changes_every_label(kiosk):
    driver = kiosk()
    assert driver.widget("home", "rate").text == "Besuch bewerten"
    language = driver.app.root.current_screen.walk().__next__()
    driver.tap(language)  # nothing: no crash on a stray tap
    header = [
        w for w in driver.app.root.current_screen.walk() if getattr(w, "text", "") == "English"
    ]
    driver.tap(header[0])
    assert driver.widget("home", "rate").text == "Rate my visit"


def test_the_large_type_switch_enlarges_the_words_and_darkens_the_screen(kiosk):
    driver = kiosk()
    before = driver.widget("home", "rate").font_size
    large = [
        w
        for w in driver.app.root.current_screen.walk()
        if getattr(w, "text", "") == "Große Schrift"
    ]
    driver.tap(large[0])
    assert driver.widget("home", "rate").font_size > before * 1.2
    assert driver.app.paper[:3] == [0, 0, 0]


def test_a_survey_kiosk_offers_only_the_rating(kiosk):
    driver = kiosk(mode="survey")
    assert driver.widget("home", "rate").opacity == 1
    assert driver.widget("home", "checkin").opacity == 0
    assert driver.widget("home", "walkin").disabled
