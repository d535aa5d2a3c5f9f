"""WebSocket routes (live queue, lobby screen)."""

websocket_urlpatterns: list = []
