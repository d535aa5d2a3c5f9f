from django.urls import path

from server.urls import urlpatterns as server_urlpatterns

from .views import BaselineView

urlpatterns = [path("bench/baseline/", BaselineView.as_view()), *server_urlpatterns]
