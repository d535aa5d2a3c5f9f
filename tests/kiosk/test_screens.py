"""Every screen at every kiosk size, in German and English, with large type too.

Screenshots go to var/screenshots/kiosk/<width>x<height>/<screen>-<variant>.png. Each
is checked from the widget tree (tests/kiosk/layout.py: no text cut, nothing
overlapping, nothing outside the window, nothing too small) and the status link's QR
code is decoded from the pixels.
"""

from __future__ import annotations

import cv2
import pytest

from tests.kiosk import layout
from tests.kiosk.driver import ENTER, ESCAPE, SIZES

pytestmark = [pytest.mark.kiosk_app, pytest.mark.django_db(transaction=True)]
VARIANTS = ("de", "de-large", "en")


class Camera:
    """Shoots the screen on show in each variant and keeps what the checks found."""

    def __init__(self, driver, size) -> None:
        self.driver, self.folder = driver, f"{size[0]}x{size[1]}"
        self.problems: dict[str, list[str]] = {}
        self.shots = []

    def _variant(self, variant: str) -> None:
        flow = self.driver.flow
        flow.set_language(variant[:2])
        if flow.large != variant.endswith("large"):
            flow.toggle_large()
        self.driver.pump(3)

    def shoot(self, name: str) -> None:
        for variant in VARIANTS:
            self._variant(variant)
            path = self.driver.screenshot(f"{self.folder}/{name}-{variant}")
            self.shots.append(path)
            found = layout.problems(self.driver.app.root.current_screen)
            if found:
                self.problems[f"{name}-{variant}"] = found
        self._variant("de")


def decoded_qr(path) -> str:
    """What a phone would read from the screen (OpenCV's two detectors, either will do)."""
    image = cv2.imread(str(path))
    text = cv2.QRCodeDetector().detectAndDecode(image)[0]
    return text or cv2.QRCodeDetectorAruco().detectAndDecode(image)[0]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_is_complete_and_readable(kiosk, world, fake_espeak, size):
    driver = kiosk(size=size, speech_command=str(fake_espeak[0]))  # the "Read aloud" switch
    camera = Camera(driver, size)
    code = world["appointment"].code
    driver.until(lambda: len(driver.flow.manifest.days) == 2, what="the manifest")

    camera.shoot("home")
    driver.flow.busy = True  # a call under way for longer than the spinner's delay
    driver.app.spinner = True
    camera.shoot("busy")
    driver.flow.busy = False
    driver.app.sync()
    driver.tap(driver.widget("home", "checkin"))
    driver.type(code[:3])
    camera.shoot("code")
    driver.type(code[3:])
    driver.key(ENTER)
    driver.until(lambda: driver.screen == "result", what="the result screen")
    camera.shoot("result")
    assert decoded_qr(camera.shots[-1]).startswith("http://127.0.0.1:8000/t/")
    driver.key(ESCAPE)
    driver.tap(driver.widget("home", "walkin"))
    camera.shoot("services")
    driver.tap(driver.app.root.get_screen("services").ids.tiles.children[-1])
    driver.until(lambda: driver.screen == "ticket", what="the ticket screen")
    camera.shoot("ticket")
    assert decoded_qr(camera.shots[-1]) == driver.app.shown["status_url"]
    driver.key(ESCAPE)
    driver.tap(driver.widget("home", "rate"))
    driver.type("A001")
    camera.shoot("rate-code")
    driver.key(ENTER)
    driver.key(ord("2"))
    driver.flow.toggle_tag("friendly")
    camera.shoot("rating")
    driver.key(ENTER)
    camera.shoot("contact")
    driver.tap(driver.widget("contact", "no"))
    camera.shoot("thanks")
    driver.key(ESCAPE)
    driver.scan("ZZZZ9999")
    driver.until(lambda: driver.screen == "message", what="the message screen")
    camera.shoot("message")

    driver.key(ESCAPE)
    driver.app.client.server = "http://127.0.0.1:9"  # the server is gone
    driver.scan(code)
    driver.until(lambda: driver.screen == "result", what="the offline check-in")
    camera.shoot("result-offline")
    driver.key(ESCAPE)
    driver.scan("ZZZZ9999")
    driver.until(lambda: driver.screen == "message", what="the offline refusal")
    camera.shoot("message-offline")
    driver.key(ESCAPE)
    driver.tap(driver.widget("home", "walkin"))
    driver.tap(driver.app.root.get_screen("services").ids.tiles.children[-1])
    driver.until(lambda: driver.screen == "message", what="the offline walk-in")
    camera.shoot("walk-in-offline")

    assert camera.problems == {}
    assert len(camera.shots) == 14 * len(VARIANTS)
