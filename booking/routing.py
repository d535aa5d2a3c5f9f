"""WebSocket routes (live queue, lobby screen, a visitor's status page)."""

from django.urls import path

from .consumers import BranchConsumer, DisplayConsumer
from .consumers_visitor import TicketStatusConsumer

websocket_urlpatterns = [
    path("ws/branches/<slug:branch>/", BranchConsumer.as_asgi()),
    path("ws/display/<slug:branch>/", DisplayConsumer.as_asgi()),
    path("ws/tickets/<str:token>/", TicketStatusConsumer.as_asgi()),
]
