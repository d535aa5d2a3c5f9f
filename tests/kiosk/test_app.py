"""The real Kivy app, offscreen at 1920x1080, against the real server (live test server)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from booking.models import Rating
from booking.services.devices import device_create
from kiosk.config import KioskConfig
from tests.support import booked

pytestmark = [pytest.mark.kiosk_app, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server, branch, service, anna):
    from tests.booking.floor.conftest import on_duty_all_week

    on_duty_all_week(anna, branch)
    _device, token = device_create(branch=branch, name="Eingang")
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=20)
    appointment = booked(branch=branch, service=service, advisor=anna, start=start)
    return {"url": live_server.url, "token": token, "appointment": appointment}


@pytest.fixture
def kiosk(world, tmp_path):
    from tests.kiosk.driver import Driver

    started = []

    def start(**overrides) -> Driver:
        values = {"server": world["url"], "token": world["token"], "data_dir": tmp_path}
        values.update(overrides)
        driver = Driver.start(KioskConfig(**values))
        started.append(driver)
        driver.until(lambda: driver.app.branch_name, what="the device settings")
        return driver

    yield start
    for driver in started:
        driver.stop()


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
    keys = {child.text: child for child in keypad.children}
    for character in world["appointment"].code:
        driver.tap(keys[character])
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


def test_a_rating_by_keys_reaches_the_server_once(kiosk):
    driver = kiosk()
    driver.tap(driver.widget("home", "rate"))
    driver.tap(driver.widget("code", "skip"))
    assert driver.screen == "rating"
    driver.key(ord("4"))
    driver.key(13)
    assert driver.screen == "thanks"
    driver.until(lambda: Rating.objects.count() == 1, what="the rating on the server")
    assert Rating.objects.get().score == 4


def test_a_rating_made_offline_is_sent_once_when_back_online(kiosk, world, tmp_path):
    driver = kiosk()
    driver.app.client.server = "http://127.0.0.1:9"  # the network is gone
    driver.tap(driver.widget("home", "rate"))
    driver.tap(driver.widget("code", "skip"))
    driver.key(ord("2"))
    driver.key(13)
    driver.until(lambda: not driver.app.outbox.flush(lambda r: 0).busy, what="the failed send")
    assert len(driver.app.outbox) == 1
    assert Rating.objects.count() == 0
    driver.app.client.server = world["url"]  # back online
    driver.app.flush_outbox()
    driver.until(lambda: len(driver.app.outbox) == 0, what="the resend")
    driver.app.flush_outbox()
    driver.pump(20)
    assert Rating.objects.count() == 1


def test_escape_returns_home(kiosk):
    driver = kiosk()
    driver.tap(driver.widget("home", "walkin"))
    driver.key(27)
    assert driver.screen == "home"


def test_idle_time_returns_home_and_forgets_the_visitor(kiosk, world):
    driver = kiosk()
    driver.scan(world["appointment"].code)
    driver.until(lambda: driver.screen == "result", what="the result screen")
    clock = driver.app.last_activity
    driver.app.now = lambda: clock + 31
    driver.pump(70)  # the idle check runs once a second
    driver.until(lambda: driver.screen == "home", what="the idle timeout")
    assert driver.app.shown == {}


def test_the_language_switch_changes_every_label(kiosk):
    driver = kiosk()
    assert driver.widget("home", "rate").text == "Besuch bewerten"
    driver.tap(driver.app.root.current_screen.walk().__next__())  # nothing: no crash on a stray tap
    language = [
        w for w in driver.app.root.current_screen.walk() if getattr(w, "text", "") == "English"
    ][0]
    driver.tap(language)
    assert driver.widget("home", "rate").text == "Rate my visit"


def test_a_survey_kiosk_offers_only_the_rating(kiosk):
    driver = kiosk(mode="survey")
    assert driver.widget("home", "rate").opacity == 1
    assert driver.widget("home", "checkin").opacity == 0
    assert driver.widget("home", "walkin").disabled
