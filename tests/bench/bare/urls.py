from django.urls import path

from .slots import Slots
from .views import Healthz, LockedUpdate

urlpatterns = [
    path("healthz/", Healthz.as_view()),
    path("bench/locked-update/", LockedUpdate.as_view()),
    path("bench/branches/<slug:branch>/availability/", Slots.as_view()),
]
