from django.urls import path

from . import views_public as public

urlpatterns = [
    path("branches/", public.BranchListView.as_view(), name="api-branches"),
    path("branches/<slug:branch>/services/", public.ServiceListView.as_view(), name="api-services"),
    path(
        "branches/<slug:branch>/availability/",
        public.AvailabilityView.as_view(),
        name="api-availability",
    ),
    path("appointments/", public.AppointmentCreateView.as_view(), name="api-appointments"),
    path(
        "appointments/<str:token>/",
        public.AppointmentDetailView.as_view(),
        name="api-appointment",
    ),
    path(
        "appointments/<str:token>/cancel/",
        public.AppointmentCancelView.as_view(),
        name="api-appointment-cancel",
    ),
    path(
        "appointments/<str:token>/qr.png",
        public.AppointmentQRView.as_view(),
        name="api-appointment-qr",
    ),
    path(
        "appointments/<str:token>/calendar.ics",
        public.AppointmentCalendarView.as_view(),
        name="api-appointment-ics",
    ),
    path("auth/token/", public.TokenLoginView.as_view(), name="api-token"),
]
