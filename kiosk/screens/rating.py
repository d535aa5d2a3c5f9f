from kivy.app import App
from kivy.factory import Factory

from ..widgets import faces  # noqa: F401  (registers the FaceButton widget)
from ..widgets.controls import fit_columns
from .base import KioskScreen


class RatingScreen(KioskScreen):
    """Five faces (keys 1-5 too); after a face, optional reasons; Enter or "Send" sends."""

    def on_kv_post(self, *_args) -> None:
        app = App.get_running_app()
        app.bind(rating_tags=lambda *_a: self._build(), ts=self._fit)
        self.ids.tags.bind(width=self._fit)

    def on_pre_enter(self, *_args) -> None:
        self._build()

    def _build(self) -> None:
        app = App.get_running_app()
        chosen = app.flow.shown.get("tags", []) if app.flow.screen == "rating" else []
        box = self.ids.tags
        box.clear_widgets()
        for tag in app.rating_tags:
            toggle = Factory.TagToggle(
                text=tag["label"], state="down" if tag["key"] in chosen else "normal"
            )
            toggle.bind(on_release=lambda _toggle, key=tag["key"]: app.flow.toggle_tag(key))
            box.add_widget(toggle)
        self._fit()

    def _fit(self, *_args) -> None:
        app = App.get_running_app()
        labels = [tag["label"] for tag in app.rating_tags]
        self.ids.tags.cols = fit_columns(self.ids.tags, labels, app.fs(28, app.ts), app.u * 24, 2)
