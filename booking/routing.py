"""WebSocket routes (live queue, lobby screen)."""

from django.urls import path

from .consumers import BranchConsumer, DisplayConsumer

websocket_urlpatterns = [
    path("ws/branches/<slug:branch>/", BranchConsumer.as_asgi()),
    path("ws/display/<slug:branch>/", DisplayConsumer.as_asgi()),
]
