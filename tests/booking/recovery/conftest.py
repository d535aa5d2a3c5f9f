"""The branch floor fixtures (open now, advisors on duty, a kiosk) and a manager."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from booking.services import queue
from booking.services.ratings import rating_submit
from tests.booking.floor.conftest import *  # noqa: F403  (the open floor's fixtures)


@pytest.fixture
def now():
    """A fixed moment in the branch's morning (the branch fixture puts it at 9 a.m.)."""
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def manager(django_user_model, branch):
    user = django_user_model.objects.create_user("boss", password="pw", first_name="Bea")
    branch.managers.add(user)
    return user


@pytest.fixture
def manager_api(api, manager):
    api.force_authenticate(manager)
    return api


@pytest.fixture
def walk_in(branch, service, anna, now):
    """A walk-in who took a number at ``now``."""
    return queue.walk_in_take(branch=branch, service=service, now=now)


def minutes(moment: dt.datetime, n: float) -> dt.datetime:
    return moment + dt.timedelta(minutes=n)


@pytest.fixture
def low_rating(device, branch, service, anna, make_appointment, now):
    """A visit by appointment, served by Anna, rated 1 with consent to be contacted."""

    made = []

    def make(*, contact_ok=True, phone="+49 170 1234567", score=1):
        # One after another: PostgreSQL refuses two visits at once with the same advisor.
        appointment = make_appointment(minutes=-20 - 40 * len(made))
        made.append(appointment)
        appointment.contact_phone = phone
        appointment.save(update_fields=["contact_phone"])
        rating, _created = rating_submit(
            device=device,
            client_id=uuid.uuid4(),
            score=score,
            code=appointment.code,
            contact_ok=contact_ok,
            now=now,
        )
        return rating

    return make
