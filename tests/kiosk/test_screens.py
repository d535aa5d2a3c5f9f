"""Screenshots of every screen in German and English at 1920x1080 (var/screenshots/kiosk/).

Each screen is also checked for what a person would notice first: its words are in the
chosen language and nothing runs off the screen.
"""

from __future__ import annotations

import pytest
from kivy.uix.label import Label

from tests.kiosk.test_app import kiosk, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.kiosk_app, pytest.mark.django_db(transaction=True)]


HEADER = 120


def inside_window(driver) -> list[str]:
    """Words cut off by the window's edges or hidden under the header bar."""
    cut = []
    header = driver.app.root.current_screen.walk()
    in_header = {id(w) for w in header if type(w).__name__ == "KioskHeader" for w in w.walk()}
    for widget in driver.app.root.current_screen.walk():
        if not (isinstance(widget, Label) and widget.text and widget.opacity):
            continue
        x, y = widget.to_window(widget.x, widget.y)
        width, height = widget.texture_size
        top = y + (widget.height + height) / 2  # the text is centred in its box
        ceiling = 1080 if id(widget) in in_header else 1080 - HEADER
        if x < -1 or x + min(width, widget.width) > 1921 or y < -1 or top > ceiling + 1:
            cut.append(widget.text)
    return cut


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_screen_in_both_languages(kiosk, world, lang):  # noqa: F811
    driver = kiosk(lang=lang)
    shots = []

    def shoot(name: str) -> None:
        shots.append(driver.screenshot(f"{name}-{lang}"))
        assert inside_window(driver) == [], name

    shoot("home")
    driver.tap(driver.widget("home", "checkin"))
    driver.type(world["appointment"].code[:5])
    shoot("code")
    driver.type(world["appointment"].code[5:])
    driver.key(13)
    driver.until(lambda: driver.screen == "result", what="the result screen")
    shoot("result")
    driver.key(27)
    driver.tap(driver.widget("home", "walkin"))
    shoot("services")
    driver.tap(driver.app.root.get_screen("services").ids.tiles.children[0])
    driver.until(lambda: driver.screen == "ticket", what="the ticket screen")
    shoot("ticket")
    driver.key(27)
    driver.tap(driver.widget("home", "rate"))
    shoot("rate-code")
    driver.tap(driver.widget("code", "skip"))
    driver.key(ord("5"))
    shoot("rating")
    driver.key(13)
    shoot("thanks")
    driver.key(27)
    driver.scan("ZZZZ9999")
    driver.until(lambda: driver.screen == "message", what="the message screen")
    shoot("message")
    assert len(shots) == 9
