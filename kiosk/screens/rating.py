from kivy.app import App
from kivy.factory import Factory
from kivy.properties import ListProperty, NumericProperty

from ..widgets import faces  # noqa: F401  (registers the FaceButton widget)
from .base import KioskScreen


class RatingScreen(KioskScreen):
    """Five faces (keys 1-5 too); after a face, optional reasons; Enter or "Send" sends."""

    score = NumericProperty(0)
    chosen_tags = ListProperty([])

    def on_pre_enter(self, *_args) -> None:
        self.score = 0
        self.chosen_tags = []
        self._build_tags()

    def _build_tags(self) -> None:
        app = App.get_running_app()
        box = self.ids.tags
        box.clear_widgets()
        for tag in app.rating_tags:
            toggle = Factory.TagToggle(text=tag["label"])
            toggle.bind(state=lambda button, state, key=tag["key"]: self._tag(key, state))
            box.add_widget(toggle)

    def _tag(self, key: str, state: str) -> None:
        if state == "down" and key not in self.chosen_tags:
            self.chosen_tags.append(key)
        elif state == "normal" and key in self.chosen_tags:
            self.chosen_tags.remove(key)

    def choose(self, score: int) -> None:
        self.score = score

    def send(self) -> None:
        if self.score:
            App.get_running_app().submit_rating(int(self.score), list(self.chosen_tags))
