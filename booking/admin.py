"""Django admin: where administrators configure branches, services, advisors and kiosks."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from . import models as m
from .services import devices, privacy

# Advisors and managers trying /admin/ learn where their own sign-in is.
admin.site.login_template = "booking/admin/login.html"


class OpeningHoursInline(admin.TabularInline):
    model = m.OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = m.Closure
    extra = 0


@admin.register(m.Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "city", "timezone", "active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "city"]
    filter_horizontal = ["managers"]
    inlines = [OpeningHoursInline, ClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "active", "timezone", "managers"]}),
        (_("Address and contact"), {"fields": ["street", "postal_code", "city", "phone", "email"]}),
        (
            _("Booking and check-in rules"),
            {
                "fields": [
                    "slot_minutes",
                    "min_lead_minutes",
                    "horizon_days",
                    "checkin_early_minutes",
                    "late_grace_minutes",
                    "late_policy",
                    "call_ahead_minutes",
                ]
            },
        ),
        (
            _("Service levels"),
            {"fields": ["target_wait_minutes", "target_start_delay_minutes"]},
        ),
        (_("Queue from outside"), {"fields": ["remote_queue"]}),
    ]


@admin.register(m.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "duration_minutes",
        "online_bookable",
        "walk_in",
        "ticket_prefix",
        "active",
    ]
    list_filter = ["online_bookable", "walk_in", "active", "branches"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["branches"]
    search_fields = ["name", "name_en", "slug"]


class WorkingHoursInline(admin.TabularInline):
    model = m.WorkingHours
    extra = 0


class AbsenceInline(admin.TabularInline):
    model = m.Absence
    extra = 0


@admin.register(m.Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "location", "status", "active"]
    list_filter = ["branches", "services", "status", "active"]
    filter_horizontal = ["branches", "services"]
    search_fields = ["name", "user__username"]
    inlines = [WorkingHoursInline, AbsenceInline]


@admin.register(m.KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "mode", "token_hint", "last_seen", "revoked_at"]
    list_filter = ["branch", "mode"]
    readonly_fields = ["token_hint", "created", "last_seen", "revoked_at"]
    fields = [
        "branch",
        "name",
        "mode",
        "language",
        "token_hint",
        "created",
        "last_seen",
        "revoked_at",
    ]
    actions = ["revoke", "rotate_token"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        device, token = devices.device_create(
            branch=obj.branch, name=obj.name, mode=obj.mode, language=obj.language
        )
        obj.pk = device.pk
        obj.refresh_from_db()
        self._show_token(request, device, token)

    def _show_token(self, request, device, token: str) -> None:
        messages.warning(
            request,
            _("Token for %(device)s (shown only now, copy it to the kiosk): %(token)s")
            % {"device": device, "token": token},
        )

    @admin.action(description=_("Revoke the selected devices"))
    def revoke(self, request, queryset):
        for device in queryset:
            devices.device_revoke(device)
        messages.success(request, _("%(n)s device(s) revoked.") % {"n": queryset.count()})

    @admin.action(description=_("Issue a new token (the old one stops working)"))
    def rotate_token(self, request, queryset):
        for device in queryset:
            self._show_token(request, device, devices.device_rotate(device))


@admin.register(m.Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "language", "created", "anonymized_at"]
    search_fields = ["name", "email", "phone"]
    readonly_fields = ["created", "anonymized_at"]
    actions = ["export_data", "erase_data"]

    @admin.action(description=_("Export personal data (JSON)"))
    def export_data(self, request, queryset):
        data = [privacy.customer_export(customer) for customer in queryset]
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="customers.json"'
        return response

    @admin.action(description=_("Erase personal data (keeps anonymous figures)"))
    def erase_data(self, request, queryset):
        for customer in queryset:
            privacy.customer_erase(customer)
        messages.success(request, _("%(n)s customer(s) anonymized.") % {"n": queryset.count()})


@admin.register(m.Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["start", "branch", "service", "advisor", "customer", "status", "code"]
    list_filter = ["branch", "status", "service", "advisor"]
    search_fields = ["code", "customer__name", "customer__email"]
    date_hierarchy = "start"
    raw_id_fields = ["customer"]
    readonly_fields = [
        "code",
        "manage_token",
        "occupied_from",
        "occupied_until",
        "created",
        "cancelled_at",
        "checked_in_at",
        "idempotency_key",
        "revision",
        "channel",
    ]


@admin.register(m.Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "day", "branch", "service", "kind", "status", "advisor", "queued_at"]
    list_filter = ["branch", "status", "kind", "day"]
    search_fields = ["number"]
    raw_id_fields = ["appointment", "customer", "transferred_from"]


@admin.register(m.Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["given_at", "branch", "score", "service", "advisor"]
    list_filter = ["branch", "score"]
    raw_id_fields = ["ticket", "appointment", "customer"]


@admin.register(m.Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "branch", "status", "owner", "due"]
    list_filter = ["branch", "kind", "status"]
    raw_id_fields = ["rating", "ticket", "advisor"]


@admin.register(m.Recovery)
class RecoveryAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "alert", "booked_at", "rerated_score"]
    raw_id_fields = ["alert", "booked_appointment", "sent_by"]
    exclude = ["token"]  # the customer's private link


@admin.register(m.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["appointment"]


@admin.register(m.JourneyEvent)
class JourneyEventAdmin(admin.ModelAdmin):
    list_display = ["at", "channel", "kind", "branch", "customer"]
    list_filter = ["channel", "kind", "branch"]
    raw_id_fields = ["customer", "appointment", "ticket"]
