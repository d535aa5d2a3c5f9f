from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    """A full-screen page with the kiosk's background and header (see style.kv)."""


class StatusLinkScreen(KioskScreen):
    """A screen that may show the ticket's status link as a QR code beside its words."""

    @staticmethod
    def side_by_side(portrait: bool, shown: dict) -> bool:
        return not portrait and bool(shown.get("status_url"))

    @staticmethod
    def qr_side(body_w, body_h, pane_w, pane_h, portrait, unit, type_unit) -> float:
        """As large as the pane allows after its caption and button, for a phone's camera."""
        below = unit * 84 + type_unit * 110 + unit * 60  # the caption, the button, spacing
        if portrait:
            return max(0.0, min(body_w * 0.6, body_h * 0.32))
        return max(0.0, min(pane_w - unit * 10, pane_h - below))
