"""The branch kiosk: a Kivy touch app and a pure client of the server's kiosk API."""
