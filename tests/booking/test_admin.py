"""The Django admin: every page opens, kiosk tokens are shown once and revocable."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from booking.models import KioskDevice, hash_token

pytestmark = pytest.mark.django_db

BOOKING_MODELS = [model for model in admin.site._registry if model._meta.app_label == "booking"]


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", BOOKING_MODELS, ids=lambda m: m._meta.model_name)
def test_every_admin_list_and_add_page_opens(staff_client, model, branch, service, anna):
    info = (model._meta.app_label, model._meta.model_name)
    assert staff_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert staff_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


def test_adding_a_kiosk_shows_its_token_once_and_stores_only_a_hash(staff_client, branch):
    response = staff_client.post(
        reverse("admin:booking_kioskdevice_add"),
        {"branch": branch.id, "name": "Eingang", "mode": "both", "language": "de"},
        follow=True,
    )
    device = KioskDevice.objects.get(name="Eingang")
    shown = [str(m) for m in response.context["messages"]]
    token = shown[0].rsplit(" ", 1)[-1]
    assert device.token_hash == hash_token(token)
    again = staff_client.get(reverse("admin:booking_kioskdevice_change", args=[device.id]))
    assert token not in again.content.decode()


def test_the_revoke_action_revokes(staff_client, branch):
    from booking.services.devices import device_create

    device, _token = device_create(branch=branch, name="Alt")
    staff_client.post(
        reverse("admin:booking_kioskdevice_changelist"),
        {"action": "revoke", "_selected_action": [device.id]},
    )
    device.refresh_from_db()
    assert device.revoked_at is not None


def test_a_branch_is_configured_with_hours_and_closures_inline(staff_client):
    response = staff_client.post(
        reverse("admin:booking_branch_add"),
        {
            "name": "Filiale Süd",
            "slug": "sued",
            "active": "on",
            "timezone": "Europe/Berlin",
            "slot_minutes": 15,
            "min_lead_minutes": 60,
            "horizon_days": 60,
            "checkin_early_minutes": 60,
            "late_grace_minutes": 10,
            "late_policy": "priority_walk_in",
            "call_ahead_minutes": 5,
            "target_wait_minutes": 20,
            "target_start_delay_minutes": 5,
            "opening_hours-TOTAL_FORMS": 1,
            "opening_hours-INITIAL_FORMS": 0,
            "opening_hours-0-weekday": 0,
            "opening_hours-0-opens": "09:00",
            "opening_hours-0-closes": "17:00",
            "closures-TOTAL_FORMS": 1,
            "closures-INITIAL_FORMS": 0,
            "closures-0-start_date": "2026-12-24",
            "closures-0-end_date": "2026-12-26",
            "closures-0-reason": "Weihnachten",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from booking.models import Branch

    branch = Branch.objects.get(slug="sued")
    assert branch.target_wait_minutes == 20  # service levels are set in the admin
    assert branch.opening_hours.count() == 1
    assert branch.closures.get().reason == "Weihnachten"


def test_an_unknown_time_zone_is_refused(staff_client):
    response = staff_client.post(
        reverse("admin:booking_branch_add"),
        {
            "name": "X",
            "slug": "x",
            "timezone": "Mars/Olympus",
            "slot_minutes": 15,
            "min_lead_minutes": 60,
            "horizon_days": 60,
            "checkin_early_minutes": 60,
            "late_grace_minutes": 10,
            "late_policy": "priority_walk_in",
            "call_ahead_minutes": 5,
            "opening_hours-TOTAL_FORMS": 0,
            "opening_hours-INITIAL_FORMS": 0,
            "closures-TOTAL_FORMS": 0,
            "closures-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "timezone" in response.context["adminform"].form.errors
