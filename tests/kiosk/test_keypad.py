"""A visitor who cannot use the touch screen: arrow keys, Tab and Enter only."""

from __future__ import annotations

from collections import deque

import pytest
from PIL import Image

from booking.models import Appointment, Rating
from kiosk.app import ARROWS
from kiosk.widgets.focus import neighbour
from tests.kiosk.driver import DOWN, ENTER, LEFT, TAB

pytestmark = [pytest.mark.kiosk_app, pytest.mark.django_db(transaction=True)]


def route(driver, target) -> list[int]:
    """The arrow keys that lead from the focused control to ``target`` (the shortest way)."""
    controls = driver.app.focus.controls()
    start = driver.focused
    paths = {id(start): []}
    queue = deque([start])
    while queue:
        widget = queue.popleft()
        if widget is target:
            return paths[id(widget)]
        for key, direction in ARROWS.items():
            found = neighbour(widget, direction, controls)
            if found is not None and id(found) not in paths:
                paths[id(found)] = [*paths[id(widget)], key]
                queue.append(found)
    raise AssertionError(f"no arrow keys lead to {getattr(target, 'text', target)!r}")


def focus_on(driver, target) -> None:
    """Move the focus to ``target`` with arrow keys only."""
    if driver.focused is None:
        driver.key(TAB)
    for key in route(driver, target):
        driver.key(key)
    assert driver.focused is target


def press(driver, target) -> None:
    focus_on(driver, target)
    driver.key(ENTER)


def type_with_keys(driver, code: str) -> None:
    keypad = driver.widget("code", "keypad")
    for character in code:
        press(driver, keypad.key(character))


def ring_colour(driver, widget) -> tuple[int, int, int]:
    """The colour on the focus ring, read from a screenshot."""
    path = driver.screenshot("keypad-focus")
    image = Image.open(path).convert("RGB")
    x, y = widget.to_window(widget.x, widget.center_y)
    inset = max(2, driver.app.u * 4)  # the ring lies just inside the control's edge
    return image.getpixel((round(x + inset), round(image.height - y)))


def test_a_visitor_checks_in_and_rates_with_arrow_keys_tab_and_enter(kiosk, world):
    driver = kiosk(size=(1280, 800), lang="en")
    code = world["appointment"].code
    driver.key(TAB)
    assert driver.focused is driver.widget("home", "checkin")
    assert ring_colour(driver, driver.focused) == (242, 115, 0)
    driver.key(ENTER)
    assert driver.screen == "code"
    assert driver.focused is driver.widget("code", "keypad").key("A")
    type_with_keys(driver, code)
    assert driver.flow.code == code
    press(driver, driver.widget("code", "ok"))
    driver.until(lambda: driver.screen == "result", what="the check-in")
    assert Appointment.objects.get().status == "checked_in"
    driver.pump(2)
    assert driver.focused is driver.widget("result", "done")
    driver.key(ENTER)
    assert driver.screen == "home"

    press(driver, driver.widget("home", "rate"))
    assert driver.screen == "code"
    type_with_keys(driver, code)
    press(driver, driver.widget("code", "ok"))
    assert driver.screen == "rating"
    driver.pump(2)
    faces = driver.app.root.get_screen("rating").ids.faces.children[::-1]
    assert driver.focused is faces[2]
    driver.key(LEFT)
    driver.key(ENTER)
    assert driver.flow.shown["score"] == 2
    press(driver, driver.widget("rating", "send"))
    assert driver.screen == "contact"
    driver.pump(2)
    assert driver.focused is driver.widget("contact", "yes")
    driver.key(ENTER)
    assert driver.screen == "thanks"
    driver.until(lambda: Rating.objects.exists(), what="the rating on the server")
    rating = Rating.objects.get()
    assert (rating.score, rating.appointment_id) == (2, world["appointment"].id)


def test_every_control_of_the_code_screen_is_reached_by_arrow_keys(kiosk):
    driver = kiosk(size=(800, 480))
    driver.key(TAB)
    driver.key(ENTER)
    for control in driver.app.focus.controls():
        assert route(driver, control) is not None


def test_tab_goes_round_every_control_of_the_screen(kiosk):
    driver = kiosk(size=(800, 480))
    seen = []
    for _ in range(6):
        driver.key(TAB)
        seen.append(driver.focused)
    names = [getattr(w, "text", "") for w in seen]
    assert names[:5] == [
        "Mit meinem Code einchecken",
        "Ich habe keinen Termin",
        "Besuch bewerten",
        "Große Schrift",
        "English",
    ]
    assert seen[5] is seen[0]


def test_shift_tab_goes_back(kiosk):
    driver = kiosk()
    driver.key(TAB)
    driver.key(TAB)
    driver.key(TAB, ["shift"])
    assert driver.focused is driver.widget("home", "checkin")


def test_a_touch_hides_the_focus_again(kiosk):
    driver = kiosk()
    driver.key(TAB)
    focused = driver.focused
    driver.tap(driver.widget("home", "walkin"))
    assert driver.focused is None
    assert not focused.focused


def test_a_scan_still_checks_in_while_the_focus_is_on_a_button(kiosk, world):
    driver = kiosk()
    driver.key(TAB)
    driver.key(DOWN)  # on "I have no appointment"
    driver.scan(world["appointment"].code)
    driver.until(lambda: driver.screen == "result", what="the check-in")
