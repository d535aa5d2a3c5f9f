"""Booking rules: codes, conflicts, validation, reschedule, cancel, idempotency, journey."""

from __future__ import annotations

import datetime as dt

import pytest

from booking.exceptions import Conflict, Invalid
from booking.models import Appointment, AppointmentStatus, Customer, EventKind, JourneyEvent
from booking.services.appointments import (
    CustomerData,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from booking.services.codes import CODE_ALPHABET, normalize_code
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return next_weekday(1)


def book(branch, service, start, customer, **kwargs):
    appointment, _created = appointment_book(
        branch=branch, service=service, start=start, customer=customer, **kwargs
    )
    return appointment


def test_a_booking_gets_an_eight_character_code_without_look_alikes(
    branch, service, anna, lukas, day
):
    appointment = book(branch, service, local(day, 10), lukas)
    assert len(appointment.code) == 8
    assert set(appointment.code) <= set(CODE_ALPHABET)
    assert not set(appointment.code) & set("01OIL")


def test_manage_tokens_are_long_random_secrets(branch, service, anna, jonas, lukas, day):
    first = book(branch, service, local(day, 10), lukas)
    second = book(branch, service, local(day, 10), lukas)
    assert len(first.manage_token) >= 43
    assert first.manage_token != second.manage_token
    assert first.code != second.code


def test_codes_are_read_regardless_of_case_spaces_and_dashes():
    assert normalize_code(" abcd-efgh ") == "ABCDEFGH"
    assert normalize_code("ab cd ef gh") == "ABCDEFGH"


def test_the_appointment_lasts_the_service_duration(branch, service, anna, lukas, day):
    appointment = book(branch, service, local(day, 10), lukas)
    assert appointment.end - appointment.start == dt.timedelta(minutes=30)
    assert appointment.advisor == anna
    assert appointment.status == AppointmentStatus.BOOKED


def test_a_taken_slot_cannot_be_booked_again(branch, service, anna, lukas, day):
    book(branch, service, local(day, 10), lukas)
    with pytest.raises(Conflict) as error:
        book(branch, service, local(day, 10), CustomerData(name="Eva", email="eva@example.org"))
    assert error.value.code == "slot_taken"


def test_without_a_chosen_advisor_a_free_colleague_takes_the_booking(
    branch, service, anna, jonas, lukas, day
):
    first = book(branch, service, local(day, 10), lukas)
    second = book(
        branch, service, local(day, 10), CustomerData(name="Eva", email="eva@example.org")
    )
    assert {first.advisor, second.advisor} == {anna, jonas}


def test_a_chosen_advisor_who_is_busy_means_the_slot_is_taken(
    branch, service, anna, jonas, lukas, day
):
    book(branch, service, local(day, 10), lukas, advisor=anna)
    with pytest.raises(Conflict):
        book(
            branch,
            service,
            local(day, 10),
            CustomerData(name="Eva", email="e@example.org"),
            advisor=anna,
        )


def test_a_start_off_the_grid_is_refused(branch, service, anna, lukas, day):
    with pytest.raises(Invalid) as error:
        book(branch, service, local(day, 10, 7), lukas)
    assert (error.value.code, error.value.field) == ("off_grid", "start")


def test_a_start_in_the_past_is_refused(branch, service, anna, lukas):
    with pytest.raises(Invalid) as error:
        book(branch, service, local(next_weekday(0, weeks_ahead=-2), 10), lukas)
    assert error.value.code == "in_past"


def test_a_start_within_the_lead_time_is_refused(branch, service, anna, lukas, day):
    with pytest.raises(Invalid) as error:
        book(branch, service, local(day, 10), lukas, now=local(day, 9, 30))
    assert error.value.code == "too_soon"


def test_a_start_beyond_the_horizon_is_refused(branch, service, anna, lukas):
    with pytest.raises(Invalid) as error:
        book(branch, service, local(next_weekday(1, weeks_ahead=20), 10), lukas)
    assert error.value.code == "beyond_horizon"


def test_a_start_outside_working_hours_is_refused_as_invalid(branch, service, anna, lukas, day):
    with pytest.raises(Invalid) as error:
        book(branch, service, local(day, 19), lukas)
    assert error.value.code == "not_available"


def test_a_service_not_offered_online_is_refused(branch, service, anna, lukas, day):
    service.online_bookable = False
    service.save()
    with pytest.raises(Invalid) as error:
        book(branch, service, local(day, 10), lukas)
    assert error.value.field == "service"


def test_an_advisor_from_another_branch_is_refused(branch, other_branch, service, lukas, day):
    from tests.conftest import make_advisor

    stranger = make_advisor(other_branch, [service], "Fremd")
    with pytest.raises(Invalid) as error:
        book(branch, service, local(day, 10), lukas, advisor=stranger)
    assert error.value.field == "advisor"


def test_a_start_without_offset_is_read_as_branch_local_time(branch, service, anna, lukas, day):
    naive = dt.datetime.combine(day, dt.time(10))
    appointment = book(branch, service, naive, lukas)
    assert appointment.start == local(day, 10)


def test_a_start_with_another_offset_means_the_same_instant(branch, service, anna, lukas, day):
    utc = local(day, 10).astimezone(dt.UTC)
    assert book(branch, service, utc, lukas).start == local(day, 10)


def test_rescheduling_moves_the_booking_and_frees_the_old_slot(branch, service, anna, lukas, day):
    appointment = book(branch, service, local(day, 10), lukas)
    appointment_reschedule(appointment=appointment, start=local(day, 11))
    appointment.refresh_from_db()
    assert appointment.start == local(day, 11)
    assert appointment.revision == 1
    book(branch, service, local(day, 10), CustomerData(name="Eva", email="eva@example.org"))


def test_rescheduling_into_a_taken_slot_is_a_conflict_and_keeps_the_old_time(
    branch, service, anna, lukas, day
):
    appointment = book(branch, service, local(day, 10), lukas)
    book(branch, service, local(day, 11), CustomerData(name="Eva", email="eva@example.org"))
    with pytest.raises(Conflict):
        appointment_reschedule(appointment=appointment, start=local(day, 11))
    appointment.refresh_from_db()
    assert appointment.start == local(day, 10)


def test_rescheduling_to_an_overlapping_time_of_its_own_slot_works(
    branch, service, anna, lukas, day
):
    appointment = book(branch, service, local(day, 10), lukas)
    appointment_reschedule(appointment=appointment, start=local(day, 10, 15))
    appointment.refresh_from_db()
    assert appointment.start == local(day, 10, 15)


def test_cancelling_frees_the_slot_at_once(branch, service, anna, lukas, day):
    appointment = book(branch, service, local(day, 10), lukas)
    appointment_cancel(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    book(branch, service, local(day, 10), CustomerData(name="Eva", email="eva@example.org"))


def test_cancelling_twice_changes_nothing_more(branch, service, anna, lukas, day):
    appointment = book(branch, service, local(day, 10), lukas)
    appointment_cancel(appointment=appointment)
    appointment_cancel(appointment=appointment)
    assert JourneyEvent.objects.filter(kind=EventKind.CANCELLED).count() == 1


def test_a_served_appointment_cannot_be_cancelled(branch, service, anna, lukas, day):
    appointment = book(branch, service, local(day, 10), lukas)
    Appointment.objects.filter(id=appointment.id).update(status=AppointmentStatus.SERVED)
    with pytest.raises(Conflict) as error:
        appointment_cancel(appointment=appointment)
    assert error.value.code == "wrong_state"


def test_a_cancelled_appointment_cannot_be_rescheduled(branch, service, anna, lukas, day):
    appointment = book(branch, service, local(day, 10), lukas)
    appointment_cancel(appointment=appointment)
    with pytest.raises(Conflict):
        appointment_reschedule(appointment=appointment, start=local(day, 11))


def test_the_same_idempotency_key_returns_the_first_booking(
    branch, service, anna, jonas, lukas, day
):
    first, created = appointment_book(
        branch=branch, service=service, start=local(day, 10), customer=lukas, idempotency_key="k-1"
    )
    again, created_again = appointment_book(
        branch=branch, service=service, start=local(day, 10), customer=lukas, idempotency_key="k-1"
    )
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert Appointment.objects.count() == 1


def test_an_idempotency_key_reused_for_another_booking_is_a_conflict(
    branch, service, anna, lukas, day
):
    appointment_book(
        branch=branch, service=service, start=local(day, 10), customer=lukas, idempotency_key="k-2"
    )
    with pytest.raises(Conflict) as error:
        appointment_book(
            branch=branch,
            service=service,
            start=local(day, 11),
            customer=lukas,
            idempotency_key="k-2",
        )
    assert error.value.code == "idempotency_mismatch"


def test_a_returning_customer_keeps_one_record(branch, service, anna, lukas, day):
    book(branch, service, local(day, 10), lukas)
    second = book(
        branch,
        service,
        local(day, 11),
        CustomerData(name="Lukas Meier", email="LUKAS@example.org", language="en"),
    )
    assert Customer.objects.count() == 1
    assert second.customer == Customer.objects.get()
    assert second.language == "en"


def test_a_booking_with_someone_elses_email_changes_none_of_their_booking(
    branch, service, anna, lukas, day
):
    victim = book(branch, service, local(day, 10), lukas)
    book(
        branch,
        service,
        local(day, 11),
        CustomerData(name="Mallory Evil", email="LUKAS@Example.org", phone="+49 151 6666666"),
    )
    victim.refresh_from_db()
    assert (victim.contact_name, victim.contact_email, victim.contact_phone) == (
        "Lukas Meier",
        "lukas@example.org",
        "+49 170 1234567",
    )
    assert victim.first_name == "Lukas"
    customer = Customer.objects.get()
    assert (customer.name, customer.phone) == ("Lukas Meier", "+49 170 1234567")


def test_a_returning_customer_gets_the_advisor_they_saw_last(
    branch, service, anna, jonas, lukas, day
):
    first = book(branch, service, local(day, 10), lukas)
    Appointment.objects.filter(id=first.id).update(status=AppointmentStatus.SERVED)
    seen = first.advisor
    later = book(branch, service, local(day, 14), lukas)
    assert later.advisor == seen


def test_booking_rescheduling_and_cancelling_are_journey_events(branch, service, anna, lukas, day):
    appointment = book(branch, service, local(day, 10), lukas)
    appointment_reschedule(appointment=appointment, start=local(day, 11))
    appointment_cancel(appointment=appointment)
    kinds = list(
        JourneyEvent.objects.filter(appointment=appointment).values_list("kind", "channel")
    )
    assert (EventKind.BOOKED, "web") in kinds
    assert (EventKind.RESCHEDULED, "web") in kinds
    assert (EventKind.CANCELLED, "web") in kinds
    assert all(e.customer_id == appointment.customer_id for e in JourneyEvent.objects.all())
