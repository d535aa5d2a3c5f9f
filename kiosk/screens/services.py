from kivy.app import App
from kivy.factory import Factory

from ..widgets.controls import fit_columns
from .base import KioskScreen

ONE_COLUMN_UP_TO = 3


class ServicesScreen(KioskScreen):
    """Large tiles, one per walk-in service of the branch (renamed with the language)."""

    def on_kv_post(self, *_args) -> None:
        app = App.get_running_app()
        app.bind(walk_in_services=lambda *_a: self._build(), ts=self._fit)
        self.ids.tiles.bind(width=self._fit)

    def on_pre_enter(self, *_args) -> None:
        self._build()

    def _build(self) -> None:
        app = App.get_running_app()
        tiles = self.ids.tiles
        tiles.clear_widgets()
        for index, service in enumerate(app.walk_in_services):
            tile = Factory.BigButton(text=service["name"], primary=index == 0)
            tile.bind(on_release=lambda _tile, slug=service["slug"]: app.flow.take_ticket(slug))
            tiles.add_widget(tile)
        self._fit()

    def _fit(self, *_args) -> None:
        app = App.get_running_app()
        services = app.walk_in_services
        wanted = 1 if len(services) <= ONE_COLUMN_UP_TO else 2
        names = [service["name"] for service in services]
        self.ids.tiles.cols = fit_columns(
            self.ids.tiles, names, app.fs(34, app.ts), app.u * 40, wanted
        )
