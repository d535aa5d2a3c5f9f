from kivy.app import App

from .base import KioskScreen


class MessageScreen(KioskScreen):
    """A clear message when something is not right, and what to do next."""

    def retry(self) -> None:
        app = App.get_running_app()
        shown = app.shown
        if shown.get("retry_screen") == "services":
            app.go("services")
        else:
            app.go("code", purpose=shown.get("purpose", "checkin"))
