"""Analytics and privacy endpoints: shapes, CSV, and who may see what."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest

from booking.models import Customer, EventKind, JourneyEvent, Rating
from booking.services.appointments import appointment_book
from booking.services.checkin import checkin_at_kiosk
from booking.services.devices import device_create
from booking.services.ratings import rating_submit
from tests.booking.floor.conftest import on_duty_all_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_api(api, django_user_model, branch):
    user = django_user_model.objects.create_user("boss")
    branch.managers.add(user)
    api.force_authenticate(user)
    return api


@pytest.fixture
def advisor_api(api, django_user_model, anna):
    user = django_user_model.objects.create_user("anna")
    anna.user = user
    anna.save()
    api.force_authenticate(user)
    return api


@pytest.fixture
def visit(branch, service, anna, lukas):
    """Lukas booked, checked in today, and rated 2 with a comment."""
    from django.utils import timezone

    on_duty_all_week(anna, branch)
    start = (timezone.now() + dt.timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    appointment, _ = appointment_book(
        branch=branch,
        service=service,
        start=start.astimezone(branch.tz).replace(hour=10),
        customer=lukas,
    )
    device, _ = device_create(branch=branch, name="Eingang")
    checkin_at_kiosk(
        device=device, code=appointment.code, now=appointment.start - dt.timedelta(minutes=5)
    )
    rating_submit(
        device=device,
        client_id=uuid.uuid4(),
        score=2,
        code=appointment.code,
        comment="Zu laut",
        given_at=None,
    )
    return appointment


def around(appointment) -> str:
    """A period of a few days around the visit (any year the suite runs in)."""
    day = appointment.start.astimezone(appointment.branch.tz).date()
    return f"from={day - dt.timedelta(days=3)}&to={day + dt.timedelta(days=3)}"


def test_the_funnel_answers_with_steps(manager_api, visit):
    body = manager_api.get(f"/api/v1/branches/mitte/funnel/?{around(visit)}").json()
    assert [s["step"] for s in body["steps"]] == [
        "booked",
        "confirmed",
        "reminded",
        "arrived",
        "served",
        "rated",
    ]
    assert body["steps"][0]["count"] == 1
    assert {"cancelled", "no_show"} <= set(body)


def test_satisfaction_as_csv_has_the_header_row(manager_api, visit):
    response = manager_api.get("/api/v1/branches/mitte/satisfaction/?by=service&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["key", "count", "avg_score", "avg_wait_minutes"]
    assert rows[1][:3] == ["Beratung", "1", "2.0"]


def test_satisfaction_with_an_unknown_dimension_is_400(manager_api, branch):
    response = manager_api.get("/api/v1/branches/mitte/satisfaction/?by=weather")
    assert response.status_code == 400
    assert "by" in response.json()["errors"]


def test_a_period_backwards_is_400(manager_api, branch):
    assert (
        manager_api.get("/api/v1/branches/mitte/funnel/?from=2026-02-01&to=2026-01-01").status_code
        == 400
    )


def test_advisors_get_no_funnel(advisor_api, branch):
    assert advisor_api.get("/api/v1/branches/mitte/funnel/").status_code == 403


def test_customers_are_found_by_name_or_email(manager_api, visit):
    assert (
        manager_api.get("/api/v1/customers/?search=lukas@").json()["results"][0]["name"]
        == "Lukas Meier"
    )
    assert manager_api.get("/api/v1/customers/?search=Meier").json()["count"] == 1
    assert manager_api.get("/api/v1/customers/?search=nobody").json()["count"] == 0


def test_the_journey_lists_every_touchpoint_in_time_order(manager_api, visit):
    body = manager_api.get(f"/api/v1/customers/{visit.customer_id}/journey/").json()
    kinds = [event["kind"] for event in body["events"]]
    assert kinds[0] == "booked"
    assert {"checked_in", "ticket_issued", "rated"} <= set(kinds)
    assert body["events"] == sorted(body["events"], key=lambda e: e["at"])
    assert body["customer"] == {"id": visit.customer_id, "name": "Lukas Meier"}


def test_customers_of_other_branches_stay_hidden(api, django_user_model, other_branch, visit):
    stranger = django_user_model.objects.create_user("other-boss")
    other_branch.managers.add(stranger)
    api.force_authenticate(stranger)
    assert api.get(f"/api/v1/customers/{visit.customer_id}/journey/").status_code == 404
    assert api.get("/api/v1/customers/?search=Lukas").json()["count"] == 0


def test_the_export_holds_personal_data_and_events(manager_api, visit):
    body = manager_api.get(f"/api/v1/customers/{visit.customer_id}/export/").json()
    assert body["customer"]["email"] == "lukas@example.org"
    assert body["ratings"][0]["comment"] == "Zu laut"
    assert len(body["events"]) >= 3


def test_erasing_removes_personal_data_but_keeps_the_figures(manager_api, visit):
    before = manager_api.get(f"/api/v1/branches/mitte/funnel/?{around(visit)}").json()
    response = manager_api.post(f"/api/v1/customers/{visit.customer_id}/erase/")
    assert response.status_code == 200
    customer = Customer.objects.get(id=visit.customer_id)
    assert (customer.name, customer.email, customer.phone) == ("", "", "")
    assert Rating.objects.get().comment == ""
    assert JourneyEvent.objects.filter(customer=customer, kind=EventKind.RATED).exists()
    after = manager_api.get(f"/api/v1/branches/mitte/funnel/?{around(visit)}").json()
    assert after == before


def test_advisors_may_not_export_or_erase(advisor_api, visit):
    assert advisor_api.get(f"/api/v1/customers/{visit.customer_id}/export/").status_code == 404
    assert advisor_api.post(f"/api/v1/customers/{visit.customer_id}/erase/").status_code == 404


def test_an_advisor_sees_the_visitors_earlier_visits(advisor_api, visit):
    from booking.models import Appointment, AppointmentStatus

    Appointment.objects.filter(id=visit.id).update(status=AppointmentStatus.SERVED)
    ticket = visit.tickets.get()
    body = advisor_api.get(f"/api/v1/tickets/{ticket.id}/history/").json()
    assert body["visits"][0]["advisor"] == "Anna Weber"
    assert body["visits"][0]["rating"] == 2


def test_the_privacy_command_exports_then_erases(visit):
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("customer_privacy", "export", "--email", "lukas@example.org", stdout=out)
    assert json.loads(out.getvalue())["customer"]["name"] == "Lukas Meier"
    call_command("customer_privacy", "erase", "--id", str(visit.customer_id), stdout=io.StringIO())
    assert Customer.objects.get(id=visit.customer_id).email == ""


def test_the_admin_erases_selected_customers(client, django_user_model, visit):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    client.post(
        "/admin/booking/customer/",
        {"action": "erase_data", "_selected_action": [visit.customer_id]},
    )
    assert Customer.objects.get(id=visit.customer_id).anonymized_at is not None


def test_retention_anonymizes_customers_without_recent_activity(visit, settings):
    from django.utils import timezone

    from booking.services.jobs import anonymize_expired_customers

    assert anonymize_expired_customers() == 0
    later = timezone.now() + dt.timedelta(days=settings.RETENTION_DAYS + 30)
    assert anonymize_expired_customers(now=later) == 1
    assert Customer.objects.get(id=visit.customer_id).name == ""


def test_an_error_asked_for_as_csv_still_answers_json_with_detail(api, branch):
    response = api.get("/api/v1/branches/mitte/satisfaction/?format=csv")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
