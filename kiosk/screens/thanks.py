from kivy.app import App
from kivy.clock import Clock

from .base import KioskScreen

BACK_HOME_AFTER = 6.0


class ThanksScreen(KioskScreen):
    def on_enter(self, *_args) -> None:
        self._home = Clock.schedule_once(lambda _dt: self._back_home(), BACK_HOME_AFTER)

    def on_leave(self, *_args) -> None:
        self._home.cancel()

    def _back_home(self) -> None:
        app = App.get_running_app()
        # The app may have stopped (or another one started) while this timer waited.
        if app is not None and app.root is self.manager and self.manager.current == self.name:
            app.go_home()
