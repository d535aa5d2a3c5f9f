"""A branch floor that is open right now: advisors on duty around the clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from booking.models import Advisor, Appointment, Customer, KioskDevice, WorkingHours
from booking.services.codes import new_code
from booking.services.devices import device_create
from tests.support import booked


def on_duty_all_week(advisor: Advisor, branch) -> Advisor:
    advisor.working_hours.all().delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(
            advisor=advisor, branch=branch, weekday=d, start=dt.time(0), end=dt.time(23, 59, 59)
        )
        for d in range(7)
    )
    return advisor


@pytest.fixture
def branch(branch_open_now):
    return branch_open_now


@pytest.fixture
def anna(branch, service, anna):
    return on_duty_all_week(anna, branch)


@pytest.fixture
def jonas(branch, service, jonas):
    return on_duty_all_week(jonas, branch)


@pytest.fixture
def device(branch) -> KioskDevice:
    device, _token = device_create(branch=branch, name="Eingang")
    return device


@pytest.fixture
def device_token(branch) -> str:
    _device, token = device_create(branch=branch, name="Eingang")
    return token


@pytest.fixture
def kiosk(api, device_token):
    api.credentials(HTTP_AUTHORIZATION=f"Device {device_token}")
    return api


@pytest.fixture
def make_appointment(branch, service, anna):
    """An appointment as if booked earlier, starting ``minutes`` from now."""

    def make(
        minutes: int = 30,
        *,
        advisor=None,
        customer_name="Lukas Meier",
        code=None,
        status="booked",
        at_branch=None,
    ) -> Appointment:
        start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=minutes)
        customer = Customer.objects.create(name=customer_name, email=f"{new_code()}@example.org")
        return booked(
            branch=at_branch or branch,
            service=service,
            advisor=advisor or anna,
            customer=customer,
            start=start,
            code=code,
            status=status,
        )

    return make


@pytest.fixture
def staff_api(api, django_user_model, anna):
    user = django_user_model.objects.create_user("anna", password="pw", first_name="Anna")
    anna.user = user
    anna.save()
    api.force_authenticate(user)
    return api


@pytest.fixture
def manager_api(api, django_user_model, branch):
    user = django_user_model.objects.create_user("boss", password="pw")
    branch.managers.add(user)
    api.force_authenticate(user)
    return api
