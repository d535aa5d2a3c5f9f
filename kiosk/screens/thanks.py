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
        if app.root.current == self.name:
            app.go_home()
