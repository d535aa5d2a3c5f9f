"""A GDPR erase removes the person from every place their details were written, and a
manager's export holds only the branches they manage."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from booking.models import Alert, Appointment, Customer, Notification
from booking.selectors.analytics import visit_history
from booking.services.alerts import alert_resolve
from booking.services.appointments import CustomerData, appointment_book
from booking.services.checkin import checkin_at_kiosk
from booking.services.devices import device_create
from booking.services.privacy import customer_erase, customer_export
from booking.services.ratings import rating_submit
from tests.conftest import local, make_advisor, next_weekday

pytestmark = pytest.mark.django_db

LUKAS = CustomerData(
    name="Lukas Meier", email="lukas@example.org", phone="+49 170 1234567", language="de"
)


@pytest.fixture
def low_rating(branch, service, anna, django_user_model):
    appointment, _ = appointment_book(
        branch=branch, service=service, start=local(next_weekday(2), 10), customer=LUKAS
    )
    device, _token = device_create(branch=branch, name="Eingang")
    now = appointment.start - dt.timedelta(minutes=5)
    checkin_at_kiosk(device=device, code=appointment.code, now=now)
    rating, _ = rating_submit(
        device=device, client_id=uuid.uuid4(), score=1, code=appointment.code, now=now
    )
    return Alert.objects.get(rating=rating)


def test_erase_scrubs_name_email_and_phone_from_alert_notes(low_rating, django_user_model):
    boss = django_user_model.objects.create_user("boss")
    alert_resolve(
        low_rating,
        user=boss,
        note="Called Lukas Meier back on 0170/1234567, wrote to lukas@example.org. Meier was ok.",
    )
    customer_erase(Customer.objects.get(email="lukas@example.org"))
    note = Alert.objects.get(id=low_rating.id).note
    assert "Lukas" not in note and "Meier" not in note
    assert "1234567" not in note and "lukas@example.org" not in note
    assert note.startswith("Called")


def test_erase_clears_the_bookings_own_contact_and_message_recipients(low_rating):
    customer = Customer.objects.get(email="lukas@example.org")
    Notification.objects.create(
        appointment=Appointment.objects.get(), kind="reminder_sms", key="x", recipient="+49 170"
    )
    customer_erase(customer)
    appointment = Appointment.objects.get()
    assert (appointment.contact_name, appointment.contact_email, appointment.contact_phone) == (
        "",
        "",
        "",
    )
    assert set(Notification.objects.values_list("recipient", flat=True)) == {""}


def test_a_managers_export_holds_only_the_branches_they_manage(
    branch, other_branch, service, anna, low_rating
):
    service.branches.add(other_branch)
    make_advisor(other_branch, [service], "Ole Nord")
    elsewhere, _ = appointment_book(
        branch=other_branch, service=service, start=local(next_weekday(3), 10), customer=LUKAS
    )
    customer = Customer.objects.get(email="lukas@example.org")
    exported = customer_export(customer, branches=type(branch).objects.filter(id=branch.id))
    assert {a["branch"] for a in exported["appointments"]} == {"mitte"}
    assert elsewhere.code not in str(exported)


def test_visit_history_shows_only_the_staff_members_branches(branch, other_branch, low_rating):
    customer = Customer.objects.get(email="lukas@example.org")
    Appointment.objects.update(status="served")
    assert visit_history(customer, type(branch).objects.filter(id=other_branch.id)) == []
    assert len(visit_history(customer, type(branch).objects.filter(id=branch.id))) == 1
