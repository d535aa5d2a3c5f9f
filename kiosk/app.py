"""The Kivy app: screens, the visitor's flow, keys and scanner input, idle timeout."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, ListProperty, StringProperty
from kivy.uix.screenmanager import FadeTransition, ScreenManager

from .client import Background, KioskClient, KioskError
from .config import KioskConfig
from .i18n import translate
from .messages import notice_for
from .outbox import Outbox
from .printer import print_receipt, ticket_receipt
from .screens import SCREENS

logger = logging.getLogger("kiosk")
HERE = Path(__file__).resolve().parent
SPINNER_DELAY = 0.3
FLUSH_EVERY = 30.0
KEY_ENTER, KEY_ENTER_PAD, KEY_ESCAPE, KEY_BACKSPACE = 13, 271, 27, 8
CODE_CHARACTERS = set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")


def _load_layout(path: Path) -> None:
    """Load a .kv file once per process (tests start the app more than once)."""
    if str(path) not in Builder.files:
        Builder.load_file(str(path))


class KioskApp(App):
    lang = StringProperty("de")
    mode = StringProperty("both")
    branch_name = StringProperty("")
    busy = BooleanProperty(False)
    code = StringProperty("")  # what a visitor typed or scanned so far
    walk_in_services = ListProperty([])
    rating_tags = ListProperty([])
    shown = DictProperty({})  # what the current screen shows; cleared on the way home

    def __init__(self, config: KioskConfig, **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings = config
        self.lang = config.lang
        self.client = KioskClient(config.server, config.token, language=config.lang)
        self.outbox = Outbox(config.outbox_dir)
        self.background = Background(lambda callback: Clock.schedule_once(lambda _dt: callback()))
        self.now = time.monotonic  # replaced by tests to move time without sleeping
        self.last_activity = self.now()
        self._spinner_event = None
        self.title = "Kiosk"

    # --- words ---------------------------------------------------------------------------
    def t(self, message: str, *_watched) -> str:
        """Translated text; kv rules pass ``app.lang`` so labels follow a language switch."""
        return translate(message, self.lang)

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "de" else "de"
        self.client.language = self.lang
        self.refresh_device()  # service names and reasons come from the server, translated
        self.touched()

    # --- start ------------------------------------------------------------------------------
    def build(self):
        # Not kiosk.kv: Kivy would load a file named after the app by itself, again per app.
        _load_layout(HERE / "style.kv")
        manager = ScreenManager(transition=FadeTransition(duration=0.15))
        for name, screen_class in SCREENS.items():
            _load_layout(HERE / "screens" / f"{name}.kv")
            manager.add_widget(screen_class(name=name))
        return manager

    def on_start(self) -> None:
        self._apply_device(self._cached_device())
        self.refresh_device()
        Window.bind(
            on_key_down=self._on_key_down,
            on_textinput=self._on_textinput,
            on_touch_down=self.touched,
        )
        self._timers = [
            Clock.schedule_interval(lambda _dt: self._check_idle(), 1.0),
            Clock.schedule_interval(lambda _dt: self.flush_outbox(), FLUSH_EVERY),
        ]
        self.flush_outbox()
        if self.settings.exit_after:
            Clock.schedule_once(lambda _dt: self.stop(), self.settings.exit_after)
        logger.info("home screen shown")

    def on_stop(self) -> None:
        Window.unbind(
            on_key_down=self._on_key_down,
            on_textinput=self._on_textinput,
            on_touch_down=self.touched,
        )
        for timer in getattr(self, "_timers", []):
            timer.cancel()
        self.background.shutdown()

    def _cached_device(self) -> dict:
        try:
            return json.loads(self.settings.device_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _apply_device(self, device: dict) -> None:
        self.branch_name = device.get("branch", {}).get("name", "")
        self.mode = self.settings.mode or device.get("mode") or "both"
        self.walk_in_services = device.get("walk_in_services", [])
        self.rating_tags = device.get("rating_tags", [])

    def refresh_device(self) -> None:
        """Fetch the device's settings and keep them on disk for a start without network."""

        def fetched(device: dict) -> None:
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.settings.device_file.write_text(json.dumps(device), encoding="utf-8")
            self._apply_device(device)

        self.background.run(
            self.client.device,
            fetched,
            lambda error: logger.warning("device settings not refreshed: %s", error),
        )

    # --- navigation ---------------------------------------------------------------------
    @property
    def screen(self) -> str:
        return self.root.current

    def go(self, name: str, **shown) -> None:
        self.shown = shown
        self.code = ""
        self.root.current = name
        self.touched()

    def go_home(self) -> None:
        self.go("home")

    def touched(self, *_args) -> None:
        self.last_activity = self.now()

    def _check_idle(self) -> None:
        if self.screen != "home" and self.now() - self.last_activity >= self.settings.idle_seconds:
            self.go_home()  # also clears what was shown: nobody else reads it

    # --- calls off the GUI thread, with a spinner after 300 ms -----------------------------
    def call(self, work, on_done, on_error=None) -> None:
        self._spinner_event = Clock.schedule_once(
            lambda _dt: setattr(self, "busy", True), SPINNER_DELAY
        )

        def finish() -> None:
            if self._spinner_event is not None:
                self._spinner_event.cancel()
            self.busy = False

        def done(result) -> None:
            finish()
            on_done(result)

        def failed(error: KioskError) -> None:
            finish()
            (on_error or self.show_error)(error)

        self.background.run(work, done, failed)

    def show_error(self, error: KioskError, *, retry_screen: str = "code") -> None:
        notice = notice_for(error)
        self.go(
            "message",
            title=notice.title,
            detail=notice.detail,
            retry=notice.retry,
            ask_desk=notice.ask_desk,
            retry_screen=retry_screen,
            purpose=self.shown.get("purpose", "checkin"),
        )

    # --- the visitor's actions ------------------------------------------------------------
    def start_code(self, purpose: str) -> None:
        self.go("code", purpose=purpose)

    def type_key(self, key: str) -> None:
        if key == "back":
            self.code = self.code[:-1]
        elif len(self.code) < 12 and key.upper() in CODE_CHARACTERS:
            self.code += key.upper()
        self.touched()

    def submit_code(self) -> None:
        code, purpose = self.code, self.shown.get("purpose", "checkin")
        if not code:
            return
        if purpose == "rate":
            self.go("rating", code=code)
            return
        self.call(lambda: self.client.check_in(code), self._checked_in)

    def _checked_in(self, answer: dict) -> None:
        self.go(
            "result",
            message=answer["message"],
            first_name=answer.get("first_name", ""),
            number=answer["ticket"]["number"],
            location=answer.get("location", ""),
            ticket=answer["ticket"],
        )

    def take_ticket(self, service: str) -> None:
        self.call(
            lambda: self.client.take_ticket(service),
            self._ticket_taken,
            lambda error: self.show_error(error, retry_screen="services"),
        )

    def _ticket_taken(self, ticket: dict) -> None:
        if self.settings.printer:
            try:
                print_receipt(
                    self.settings.printer, ticket_receipt(ticket, self.branch_name, self.lang)
                )
            except OSError as error:
                logger.warning("receipt not printed: %s", error)
        self.go("ticket", ticket=ticket)

    def submit_rating(self, score: int, tags: list[str]) -> None:
        """Store first, then send: a crash or a dead network in between loses nothing."""
        rating = {
            "client_id": str(uuid.uuid4()),
            "score": score,
            "tags": tags,
            "given_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        if self.shown.get("code"):
            rating["code"] = self.shown["code"]
        self.outbox.add(rating)
        self.go("thanks")
        self.flush_outbox()

    def flush_outbox(self) -> None:
        if len(self.outbox):
            self.background.run(
                lambda: self.outbox.flush(self.client.send_rating),
                lambda result: logger.info("outbox: %s", result),
                lambda error: logger.warning("outbox: %s", error),
            )

    # --- keys: scanners type the code and Enter --------------------------------------------
    def _on_textinput(self, _window, text: str) -> None:
        if self.screen in ("home", "code"):
            for character in text:
                self.type_key(character)

    def _on_key_down(self, _window, key: int, _scancode, _codepoint, _modifiers) -> bool:
        self.touched()
        if key == KEY_ESCAPE:
            self.go_home()
            return True
        screen = self.root.current_screen
        if self.screen == "rating" and 49 <= key <= 53:  # "1".."5"
            screen.choose(key - 48)
            return True
        if key in (KEY_ENTER, KEY_ENTER_PAD):
            if self.screen == "rating":
                screen.send()
            elif self.screen in ("home", "code") and self.code:
                if self.screen == "home":
                    # On the home screen a scan checks in (or, on a survey kiosk, rates).
                    self.shown = {"purpose": "rate" if self.mode == "survey" else "checkin"}
                self.submit_code()
            return True
        if key == KEY_BACKSPACE and self.screen == "code":
            self.type_key("back")
            return True
        return False
