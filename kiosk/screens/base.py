from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    """A full-screen page with the kiosk's background and header (see kiosk.kv)."""
