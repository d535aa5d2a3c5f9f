"""Drive the real kiosk app offscreen (or under Xvfb) like a person or a scanner would.

driver = Driver.start(config, size=(800, 480))   # builds the app, shows the home screen
driver.scan("ABCD2345")              # a keyboard-wedge scanner: characters, then Enter
driver.until(lambda: driver.screen == "result")
driver.tap(driver.widget("home", "rate"))
driver.key(TAB); driver.key(ENTER)   # a keypad: move the focus, press
driver.screenshot("home-de")         # var/screenshots/kiosk/home-de.png
driver.stop()
"""

from __future__ import annotations

import time
from pathlib import Path

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.uix.behaviors import ToggleButtonBehavior
from kivy.uix.label import Label
from kivy.uix.screenmanager import NoTransition

from kiosk.app import KioskApp
from kiosk.config import KioskConfig

# tests/kiosk/conftest.py sized the window before anything created it.
assert Window is not None, "no OpenGL window: are libgl1 and libegl1 installed?"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "kiosk"
TAB, ENTER, ESCAPE, BACKSPACE = 9, 13, 27, 8
UP, DOWN, RIGHT, LEFT = 273, 274, 275, 276
SIZES = [(800, 480), (800, 600), (1024, 768), (1280, 800), (1920, 1080), (1080, 1920)]


class Driver:
    def __init__(self, app: KioskApp) -> None:
        self.app = app

    @classmethod
    def start(cls, config: KioskConfig, size: tuple[int, int] = (1920, 1080)) -> Driver:
        Window.size = size
        app = KioskApp(config)
        app._run_prepare()
        if EventLoop.status != "started":
            EventLoop.start()
        Clock._max_fps = 0
        # Software OpenGL draws a frame in a tenth of a second or more: no fading.
        app.root.transition = NoTransition()
        driver = cls(app)
        driver.pump(5)
        return driver

    def stop(self) -> None:
        self.app.stop()
        # Calls still under way would meet the next test's database.
        self.app.background.shutdown(wait=True)
        self.app.jobs.shutdown(wait=True)
        Window.remove_widget(self.app.root)
        self.pump(2)

    def resize(self, size: tuple[int, int]) -> None:
        Window.size = size
        self.pump(6)

    def pump(self, frames: int = 1) -> None:
        for _ in range(frames):
            EventLoop.idle()

    def until(self, condition, frames: int = 2000, what: str = "condition") -> None:
        """Pump frames until ``condition()``; network answers arrive between frames."""
        for _ in range(frames):
            if condition():
                return
            EventLoop.idle()
            time.sleep(0.005)  # give the network threads a moment between frames
        raise AssertionError(f"timed out waiting for {what} (screen {self.screen})")

    @property
    def flow(self):
        return self.app.flow

    @property
    def screen(self) -> str:
        return self.app.root.current

    def widget(self, screen: str, widget_id: str):
        """The widget itself (``ids`` hold weak proxies, which ``is`` cannot compare)."""
        return self.app.root.get_screen(screen).ids[widget_id].__self__

    def settle(self) -> None:
        """Let a screen transition finish: a screen manager ignores touches meanwhile."""
        self.until(lambda: not self.app.root.transition.is_active, what="the transition")
        self.pump(3)

    def tap(self, widget) -> None:
        self.settle()
        touch = UnitTestTouch(*widget.to_window(*widget.center))
        touch.touch_down()
        touch.touch_up()
        if not isinstance(widget, ToggleButtonBehavior):
            # A button shows its pressed state a moment (min_state_time) before it acts.
            self.until(lambda: getattr(widget, "state", "normal") == "normal", what="a release")
        self.pump(2)

    def type(self, text: str) -> None:
        for character in text:
            Window.dispatch("on_key_down", ord(character.lower()), 0, character, [])
            Window.dispatch("on_textinput", character)
        self.pump(2)

    def key(self, code: int, modifiers: list | None = None) -> None:
        Window.dispatch("on_key_down", code, 0, None, modifiers or [])
        self.pump(2)

    def scan(self, code: str) -> None:
        self.type(code)
        self.key(ENTER)

    @property
    def focused(self):
        return self.app.focus.current if self.app.focus.active else None

    def texts(self) -> list[str]:
        """Every non-empty label on the current screen, as a person would read them."""
        screen = self.app.root.current_screen
        return [w.text for w in screen.walk() if isinstance(w, Label) and w.text and w.opacity]

    def screenshot(self, name: str) -> Path:
        final = SHOTS / f"{name}.png"
        final.parent.mkdir(parents=True, exist_ok=True)
        self.settle()
        for old in final.parent.glob(f"{final.stem}0*.png"):
            old.unlink()
        # Window.screenshot never overwrites: it numbers its files (name0001.png).
        written = Path(Window.screenshot(name=str(final)))
        written.replace(final)
        return final
