"""Drive the real kiosk app offscreen like a person (or a scanner) would.

driver = Driver.start(config)        # builds the app, shows the home screen
driver.scan("ABCD2345")              # a keyboard-wedge scanner: characters, then Enter
driver.until(lambda: driver.screen == "result")
driver.tap(driver.widget("home", "rate"))
driver.screenshot("home-de")         # var/screenshots/kiosk/home-de.png
driver.stop()
"""

from __future__ import annotations

import time
from pathlib import Path

from kivy.config import Config

Config.set("graphics", "width", "1920")
Config.set("graphics", "height", "1080")
Config.set("kivy", "exit_on_escape", "0")

from kivy.base import EventLoop  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402
from kivy.uix.label import Label  # noqa: E402

from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402

assert Window is not None, "no OpenGL window: are libgl1 and libegl1 installed?"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "kiosk"
ENTER, ESCAPE = 13, 27


class Driver:
    def __init__(self, app: KioskApp) -> None:
        self.app = app

    @classmethod
    def start(cls, config: KioskConfig) -> Driver:
        Window.size = (1920, 1080)
        app = KioskApp(config)
        app._run_prepare()
        if EventLoop.status != "started":
            EventLoop.start()
        Clock._max_fps = 0
        driver = cls(app)
        driver.pump(5)
        return driver

    def stop(self) -> None:
        self.app.stop()
        Window.remove_widget(self.app.root)
        self.pump(2)

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
    def screen(self) -> str:
        return self.app.root.current

    def widget(self, screen: str, widget_id: str):
        return self.app.root.get_screen(screen).ids[widget_id]

    def settle(self) -> None:
        """Let a screen transition finish: a screen manager ignores touches meanwhile."""
        self.until(lambda: not self.app.root.transition.is_active, what="the transition")

    def tap(self, widget) -> None:
        self.settle()
        touch = UnitTestTouch(*widget.to_window(*widget.center))
        touch.touch_down()
        touch.touch_up()
        self.pump(3)

    def type(self, text: str) -> None:
        for character in text:
            Window.dispatch("on_key_down", ord(character.lower()), 0, character, [])
            Window.dispatch("on_textinput", character)
        self.pump(2)

    def key(self, code: int) -> None:
        Window.dispatch("on_key_down", code, 0, None, [])
        self.pump(3)

    def scan(self, code: str) -> None:
        self.type(code)
        self.key(ENTER)

    def texts(self) -> list[str]:
        """Every non-empty label on the current screen, as a person would read them."""
        screen = self.app.root.current_screen
        return [w.text for w in screen.walk() if isinstance(w, Label) and w.text and w.opacity]

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.settle()
        self.pump(3)
        for old in SHOTS.glob(f"{name}*.png"):
            old.unlink()
        written = Path(Window.screenshot(name=str(SHOTS / f"{name}.png")))
        final = SHOTS / f"{name}.png"
        written.rename(final)
        return final
