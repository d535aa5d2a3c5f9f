"""Staff, manager and lobby-screen pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("staff/", views.home, name="staff-home"),
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path(
        "staff/logout/", auth_views.LogoutView.as_view(next_page="staff-login"), name="staff-logout"
    ),
    path("staff/<slug:branch>/", views.workstation, name="staff-workstation"),
    path("staff/<slug:branch>/desk/", views.desk, name="staff-desk"),
    path("manager/<slug:branch>/", views.manager, name="manager"),
    path("display/<slug:branch>/", views.display, name="display"),
]
