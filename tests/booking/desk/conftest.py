"""The desk works on the floor of a branch that is open now (see the floor fixtures)."""

from __future__ import annotations

import pytest

from tests.booking.floor.conftest import (  # noqa: F401  (the shared floor fixtures)
    anna,
    branch,
    device,
    device_token,
    jonas,
    make_appointment,
    manager_api,
    on_duty_all_week,
    staff_api,
)


@pytest.fixture
def stranger_api(api, django_user_model, other_branch, service):
    """An advisor of another branch."""
    from tests.conftest import make_advisor

    user = django_user_model.objects.create_user("eve", password="pw")
    make_advisor(other_branch, [service], "Eve Fremd", user=user)
    api.force_authenticate(user)
    return api
