from django.urls import path

from .views import Healthz, LockedUpdate

urlpatterns = [
    path("healthz/", Healthz.as_view()),
    path("bench/locked-update/", LockedUpdate.as_view()),
]
