"""The Kivy app: renders the flow (kiosk/flow.py) and hands it touches, keys and scans."""

from __future__ import annotations

import logging
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)
from kivy.uix.screenmanager import FadeTransition, ScreenManager

from .camera import CameraReader
from .client import Background, KioskClient
from .config import KioskConfig
from .flow import Flow
from .i18n import render, translate
from .manifest import Manifest
from .outbox import Outbox
from .screens import SCREENS
from .speech import Speaker
from .widgets import controls, focus, qr  # noqa: F401  (registers widgets used in .kv files)

logger = logging.getLogger("kiosk")
HERE = Path(__file__).resolve().parent
SPINNER_DELAY = 0.3
KEY_TAB, KEY_ENTER, KEY_ENTER_PAD, KEY_ESCAPE, KEY_BACKSPACE = 9, 13, 271, 27, 8
ARROWS = {273: "up", 274: "down", 275: "right", 276: "left"}
MIN_TEXT = 18  # pixels: no text smaller, whatever the window
LARGE = 1.3

# Colours: the usual palette, and black, white and yellow for large type.
PALETTES = {
    False: {
        "paper": (0.96, 0.97, 0.98, 1),
        "ink": (0.11, 0.15, 0.2, 1),
        "muted": (0.3, 0.35, 0.41, 1),
        "brand": (0.04, 0.31, 0.54, 1),
        "brand_down": (0.02, 0.2, 0.36, 1),
        "brand_text": (1, 1, 1, 1),
        "quiet": (0.85, 0.88, 0.92, 1),
        "quiet_down": (0.72, 0.78, 0.85, 1),
        "quiet_text": (0.11, 0.15, 0.2, 1),
        "key_bg": (0.85, 0.89, 0.94, 1),
        "disabled_bg": (0.78, 0.8, 0.83, 1),
        "disabled_text": (0.36, 0.39, 0.43, 1),
        "header_bg": (0.04, 0.31, 0.54, 1),
        "header_button": (1, 1, 1, 0.18),
        "header_text": (1, 1, 1, 1),
        "accent": (0.04, 0.31, 0.54, 1),
        "focus_ring": (0.95, 0.45, 0.0, 1),
        "focus_inner": (1, 1, 1, 1),
    },
    True: {
        "paper": (0, 0, 0, 1),
        "ink": (1, 1, 1, 1),
        "muted": (1, 1, 0.75, 1),
        "brand": (1, 0.85, 0, 1),
        "brand_down": (0.8, 0.68, 0, 1),
        "brand_text": (0, 0, 0, 1),
        "quiet": (0.2, 0.2, 0.2, 1),
        "quiet_down": (0.35, 0.35, 0.35, 1),
        "quiet_text": (1, 1, 1, 1),
        "key_bg": (0.22, 0.22, 0.22, 1),
        "disabled_bg": (0.3, 0.3, 0.3, 1),
        "disabled_text": (0.75, 0.75, 0.75, 1),
        "header_bg": (0, 0, 0, 1),
        "header_button": (0.25, 0.25, 0.25, 1),
        "header_text": (1, 1, 1, 1),
        "accent": (1, 0.85, 0, 1),
        "focus_ring": (0, 0.9, 1, 1),
        "focus_inner": (0, 0, 0, 1),
    },
}


def _load_layout(path: Path) -> None:
    """Load a .kv file once per process (tests start the app more than once)."""
    if str(path) not in Builder.files:
        Builder.load_file(str(path))


class KioskApp(App):
    # Mirrors of the flow, for the .kv rules to bind to.
    lang = StringProperty("de")
    mode = StringProperty("both")
    branch_name = StringProperty("")
    code = StringProperty("")
    shown = DictProperty({})
    walk_in_services = ListProperty([])
    rating_tags = ListProperty([])
    large = BooleanProperty(False)
    speaking = BooleanProperty(False)
    speech_available = BooleanProperty(False)
    spinner = BooleanProperty(False)  # a call has taken longer than SPINNER_DELAY
    # Sizes relative to the window.
    u = NumericProperty(1.0)
    ts = NumericProperty(1.0)
    portrait = BooleanProperty(False)
    # Colours (see PALETTES).
    paper = ListProperty(PALETTES[False]["paper"])
    ink = ListProperty(PALETTES[False]["ink"])
    muted = ListProperty(PALETTES[False]["muted"])
    brand = ListProperty(PALETTES[False]["brand"])
    brand_down = ListProperty(PALETTES[False]["brand_down"])
    brand_text = ListProperty(PALETTES[False]["brand_text"])
    quiet = ListProperty(PALETTES[False]["quiet"])
    quiet_down = ListProperty(PALETTES[False]["quiet_down"])
    quiet_text = ListProperty(PALETTES[False]["quiet_text"])
    key_bg = ListProperty(PALETTES[False]["key_bg"])
    disabled_bg = ListProperty(PALETTES[False]["disabled_bg"])
    disabled_text = ListProperty(PALETTES[False]["disabled_text"])
    header_bg = ListProperty(PALETTES[False]["header_bg"])
    header_button = ListProperty(PALETTES[False]["header_button"])
    header_text = ListProperty(PALETTES[False]["header_text"])
    accent = ListProperty(PALETTES[False]["accent"])
    focus_ring = ListProperty(PALETTES[False]["focus_ring"])
    focus_inner = ListProperty(PALETTES[False]["focus_inner"])

    def __init__(self, config: KioskConfig, **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings = config
        self.title = "Kiosk"
        deliver = lambda callback: Clock.schedule_once(lambda _dt: callback())  # noqa: E731
        self.background = Background(deliver)
        self.jobs = Background(deliver, workers=1)
        self.flow = Flow(
            config,
            client=KioskClient(config.server, config.token, language=config.lang),
            outbox=Outbox(config.outbox_dir),
            manifest=Manifest(config.manifest_dir, config.token),
            runner=self.background,
            jobs=self.jobs,
            speaker=Speaker(config.speech_command),
        )
        self.flow.listeners.append(self.sync)
        self.focus = focus.FocusManager(lambda: self.root.current_screen)
        self._typed = False  # characters typed since the last move of the focus
        self._spinner_event = None
        self._timers: list = []
        self.speech_available = self.flow.speaker.available

    # --- for the .kv rules -------------------------------------------------------------------
    @property
    def client(self) -> KioskClient:
        return self.flow.client

    @property
    def outbox(self) -> Outbox:
        return self.flow.outbox

    def t(self, message: str, *_watched) -> str:
        """Translated text; kv rules pass ``app.lang`` so labels follow a language switch."""
        return translate(message, self.lang)

    def r(self, text, *_watched) -> str:
        return render(text, self.lang)

    def fs(self, size: float, unit: float) -> float:
        """A font size in layout units (``app.ts`` or ``app.u``), never below what can be read."""
        return max(MIN_TEXT * (LARGE if self.large else 1), size * unit)

    def colour(self, tone: str, *_watched) -> list:
        return getattr(self, tone)

    def button_colour(self, variant: str, state: str, disabled: bool, *_watched) -> list:
        if disabled:
            return self.disabled_bg if variant == "brand" else self.quiet
        down = state == "down"
        if variant == "quiet":
            return self.quiet_down if down else self.quiet
        return self.brand_down if down else self.brand

    def button_text_colour(self, variant: str, disabled: bool, *_watched) -> list:
        if disabled:
            return self.disabled_text
        return self.quiet_text if variant == "quiet" else self.brand_text

    # --- start and stop ------------------------------------------------------------------------
    def build(self):
        # Not kiosk.kv: Kivy would load a file named after the app by itself, again per app.
        _load_layout(HERE / "style.kv")
        self._measure()
        manager = ScreenManager(transition=FadeTransition(duration=0.15))
        for name, screen_class in SCREENS.items():
            _load_layout(HERE / "screens" / f"{name}.kv")
            manager.add_widget(screen_class(name=name))
        manager.bind(current_screen=lambda *_args: self._screen_opened())
        return manager

    def on_start(self) -> None:
        Window.bind(
            on_key_down=self._on_key_down,
            on_textinput=self._on_textinput,
            on_touch_down=self._on_touch,
            size=self._measure,
        )
        self.flow.start()
        self.sync()
        self._timers = [Clock.schedule_interval(lambda _dt: self.flow.tick(), 1.0)]
        self.camera = None
        if self.settings.camera is not None:
            reader = CameraReader(
                self.settings.camera,
                lambda text: Clock.schedule_once(lambda _dt: self.flow.scan(text)),
            )
            self.camera = reader if reader.start() else None
        if self.settings.exit_after:
            self._timers.append(
                Clock.schedule_once(lambda _dt: self.stop(), self.settings.exit_after)
            )

    def on_stop(self) -> None:
        Window.unbind(
            on_key_down=self._on_key_down,
            on_textinput=self._on_textinput,
            on_touch_down=self._on_touch,
            size=self._measure,
        )
        for timer in self._timers:
            timer.cancel()
        if getattr(self, "camera", None) is not None:
            self.camera.stop()
        # Answers still on their way must not rebuild screens of a stopped app.
        if self.sync in self.flow.listeners:  # run() stops the app a second time
            self.flow.listeners.remove(self.sync)
        self.flow.speaker.stop()
        self.background.shutdown()
        self.jobs.shutdown()

    # --- the flow's state on screen --------------------------------------------------------
    def _measure(self, *_args) -> None:
        width, height = Window.size
        self.portrait = height > width
        # A design unit of a 1280x800 screen (800x1280 standing), scaled to the window.
        if self.portrait:
            self.u = min(width / 800, height / 1280)
        else:
            self.u = min(width / 1280, height / 800)
        self.ts = self.u * (LARGE if self.large else 1)

    def sync(self) -> None:
        """Copy the flow's state to the properties the .kv rules watch."""
        flow = self.flow
        self.lang = flow.lang
        self.mode = flow.mode
        self.branch_name = flow.branch_name
        self.walk_in_services = flow.walk_in_services
        self.rating_tags = flow.rating_tags
        self.speaking = flow.speaking
        if self.large != flow.large:
            # The colours first: rules that depend on app.large read them.
            for name, colour in PALETTES[flow.large].items():
                setattr(self, name, colour)
            self.large = flow.large
            self._measure()
        if self.root is not None and self.root.current != flow.screen:
            self.shown = flow.shown  # before the switch: the new screen builds from it
            self.root.current = flow.screen
        self.shown = flow.shown
        self.code = flow.code
        self._show_spinner(flow.busy)

    def _show_spinner(self, busy: bool) -> None:
        if busy and self._spinner_event is None and not self.spinner:
            self._spinner_event = Clock.schedule_once(
                lambda _dt: setattr(self, "spinner", self.flow.busy), SPINNER_DELAY
            )
        elif not busy:
            if self._spinner_event is not None:
                self._spinner_event.cancel()
                self._spinner_event = None
            self.spinner = False

    def _screen_opened(self) -> None:
        self._typed = False
        self.focus.screen_opened()

    # --- touches, keys, scanners ---------------------------------------------------------------
    def _on_touch(self, *_args) -> None:
        self.flow.touched()
        self.focus.hide()

    def _on_textinput(self, _window, text: str) -> None:
        if self.flow.screen in ("home", "code"):
            self._typed = True
            self.flow.type_text(text)

    def _on_key_down(self, _window, key: int, _scancode, _codepoint, modifiers) -> bool:
        flow = self.flow
        flow.touched()
        if key == KEY_ESCAPE:
            flow.home()
            return True
        if key == KEY_TAB:
            self._typed = False
            self.focus.tab(backwards="shift" in (modifiers or []))
            return True
        if key in ARROWS:
            self._typed = False
            self.focus.move(ARROWS[key])
            return True
        if flow.screen == "rating" and 49 <= key <= 53:  # "1".."5"
            flow.choose_score(key - 48)
            return True
        if key in (KEY_ENTER, KEY_ENTER_PAD):
            # A scanner types the code and Enter; a keypad user presses the focused control.
            if self._typed and flow.code or not self.focus.press():
                flow.enter()
            self._typed = False
            return True
        if key == KEY_BACKSPACE and flow.screen == "code":
            flow.type_key("back")
            return True
        return False
