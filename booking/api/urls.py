from django.urls import path

from . import views_analytics as analytics
from . import views_desk as desk
from . import views_kiosk as kiosk
from . import views_kiosk_manifest as kiosk_manifest
from . import views_public as public
from . import views_recovery as recovery
from . import views_staff as staff
from . import views_visitor as visitor

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
    # the visitor's phone
    path(
        "tickets/status/<str:token>/",
        visitor.TicketStatusView.as_view(),
        name="api-ticket-status",
    ),
    path(
        "tickets/status/<str:token>/leave/",
        visitor.TicketVisitActionView.as_view(action_name="leave"),
        name="api-ticket-leave",
    ),
    path(
        "tickets/status/<str:token>/switch/",
        visitor.TicketVisitActionView.as_view(action_name="switch"),
        name="api-ticket-switch",
    ),
    path(
        "branches/<slug:branch>/queue/join/",
        visitor.QueueJoinView.as_view(),
        name="api-queue-join",
    ),
    path("branches/<slug:branch>/display/", staff.DisplayView.as_view(), name="api-display"),
    # kiosk devices
    path("kiosk/", kiosk.KioskInfoView.as_view(), name="api-kiosk"),
    path("kiosk/check-in/", kiosk.CheckInView.as_view(), name="api-kiosk-checkin"),
    path("kiosk/tickets/", kiosk.WalkInView.as_view(), name="api-kiosk-tickets"),
    path("kiosk/ratings/", kiosk.RatingView.as_view(), name="api-kiosk-ratings"),
    path("kiosk/manifest/", kiosk_manifest.ManifestView.as_view(), name="api-kiosk-manifest"),
    # staff
    path("branches/<slug:branch>/queue/", staff.QueueView.as_view(), name="api-queue"),
    path("branches/<slug:branch>/call-next/", staff.CallNextView.as_view(), name="api-call-next"),
    path("branches/<slug:branch>/stats/", staff.StatsView.as_view(), name="api-stats"),
    path("branches/<slug:branch>/alerts/", staff.AlertListView.as_view(), name="api-alerts"),
    path("branches/<slug:branch>/ratings/", staff.RatingListView.as_view(), name="api-ratings"),
    path(
        "tickets/<int:ticket_id>/call/",
        staff.TicketActionView.as_view(action_name="call"),
        name="api-ticket-call",
    ),
    path(
        "tickets/<int:ticket_id>/start/",
        staff.TicketActionView.as_view(action_name="start"),
        name="api-ticket-start",
    ),
    path(
        "tickets/<int:ticket_id>/finish/",
        staff.TicketActionView.as_view(action_name="finish"),
        name="api-ticket-finish",
    ),
    path("tickets/<int:ticket_id>/no-show/", staff.NoShowView.as_view(), name="api-ticket-no-show"),
    path(
        "tickets/<int:ticket_id>/transfer/",
        staff.TransferView.as_view(),
        name="api-ticket-transfer",
    ),
    path("advisors/me/status/", staff.MyStatusView.as_view(), name="api-my-status"),
    path(
        "tickets/<int:ticket_id>/history/",
        analytics.TicketHistoryView.as_view(),
        name="api-ticket-history",
    ),
    # analytics and privacy
    path("branches/<slug:branch>/funnel/", analytics.FunnelView.as_view(), name="api-funnel"),
    path(
        "branches/<slug:branch>/satisfaction/",
        analytics.SatisfactionView.as_view(),
        name="api-satisfaction",
    ),
    path("customers/", analytics.CustomerListView.as_view(), name="api-customers"),
    path(
        "customers/<int:customer_id>/journey/", analytics.JourneyView.as_view(), name="api-journey"
    ),
    path(
        "customers/<int:customer_id>/export/",
        analytics.CustomerExportView.as_view(),
        name="api-customer-export",
    ),
    path(
        "customers/<int:customer_id>/erase/",
        analytics.CustomerEraseView.as_view(),
        name="api-customer-erase",
    ),
    path(
        "alerts/<int:alert_id>/acknowledge/",
        staff.AlertAcknowledgeView.as_view(),
        name="api-alert-acknowledge",
    ),
    path(
        "alerts/<int:alert_id>/resolve/", staff.AlertResolveView.as_view(), name="api-alert-resolve"
    ),
    # service levels and recovery
    path(
        "alerts/<int:alert_id>/recover/", recovery.RecoverView.as_view(), name="api-alert-recover"
    ),
    path("branches/<slug:branch>/paths/", recovery.PathsView.as_view(), name="api-paths"),
    # the desk and the advisor
    path(
        "branches/<slug:branch>/appointments/",
        desk.BranchAppointmentsView.as_view(),
        name="api-branch-appointments",
    ),
    path(
        "appointments/<int:appointment_id>/check-in/",
        desk.AppointmentCheckInView.as_view(),
        name="api-appointment-checkin",
    ),
    path("branches/<slug:branch>/tickets/", desk.DeskTicketView.as_view(), name="api-desk-tickets"),
    path("advisors/me/ratings/", desk.MyRatingsView.as_view(), name="api-my-ratings"),
]
