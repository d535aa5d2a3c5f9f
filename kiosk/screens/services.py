from kivy.app import App
from kivy.factory import Factory

from .base import KioskScreen


class ServicesScreen(KioskScreen):
    """Large tiles, one per walk-in service of the branch."""

    def on_pre_enter(self, *_args) -> None:
        app = App.get_running_app()
        tiles = self.ids.tiles
        tiles.clear_widgets()
        for service in app.walk_in_services:
            tile = Factory.BigButton(text=service["name"], height=180)
            tile.bind(on_release=lambda _tile, slug=service["slug"]: app.take_ticket(slug))
            tiles.add_widget(tile)
