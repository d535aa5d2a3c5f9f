"""Kivy runs offscreen in this test process: set up before anything imports kivy."""

from __future__ import annotations

import datetime as dt
import os
import tempfile

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
os.environ.setdefault("KIVY_WINDOW", "sdl2")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

from kivy.config import Config  # noqa: E402

# The window is made as large as the largest size a test asks for (before any module
# creates it): an offscreen SDL window draws nothing beyond the size it was made with.
Config.set("graphics", "width", "1920")
Config.set("graphics", "height", "1920")
Config.set("kivy", "exit_on_escape", "0")


@pytest.fixture
def branch(branch_open_now):
    """Visits booked for "today" must find the branch open at any hour the suite runs."""
    return branch_open_now


@pytest.fixture
def fake_espeak(tmp_path_factory):
    """A stand-in for espeak-ng that writes down what it was asked to say."""
    folder = tmp_path_factory.mktemp("speech")
    said = folder / "said.txt"
    program = folder / "espeak-ng"
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {said}\n')
    program.chmod(0o755)
    return program, said


@pytest.fixture
def world(live_server, branch, service, anna):
    from django.utils import timezone

    from booking.services.devices import device_create
    from tests.booking.floor.conftest import on_duty_all_week
    from tests.support import booked

    on_duty_all_week(anna, branch)
    _device, token = device_create(branch=branch, name="Eingang")
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=20)
    appointment = booked(branch=branch, service=service, advisor=anna, start=start)
    return {"url": live_server.url, "token": token, "appointment": appointment}


@pytest.fixture
def kiosk(world, tmp_path):
    """Starts the real app against the live server: ``kiosk(lang="en", size=(800, 480))``."""
    from kiosk.config import KioskConfig
    from tests.kiosk.driver import Driver

    started = []

    def start(size=(1920, 1080), **overrides) -> Driver:
        values = {"server": world["url"], "token": world["token"], "data_dir": tmp_path}
        values.update(overrides)
        driver = Driver.start(KioskConfig(**values), size=size)
        started.append(driver)
        driver.until(lambda: driver.app.branch_name, what="the device settings")
        return driver

    yield start
    for driver in started:
        driver.stop()
