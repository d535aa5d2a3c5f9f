"""The kiosk client against the real server (a live test server with real data)."""

from __future__ import annotations

import uuid

import pytest

from booking.services.devices import device_create, device_revoke
from kiosk.client import ErrorKind, KioskClient, KioskError
from kiosk.messages import notice_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client(live_server, branch, service, anna):
    from tests.booking.floor.conftest import on_duty_all_week

    on_duty_all_week(anna, branch)
    _device, token = device_create(branch=branch, name="Eingang")
    return KioskClient(live_server.url, token, language="en")


def test_it_reads_the_device_settings(client):
    assert client.device()["branch"]["slug"] == "mitte"


def test_a_wrong_code_is_not_found_with_the_servers_words(client):
    with pytest.raises(KioskError) as error:
        client.check_in("ZZZZ9999")
    assert error.value.kind is ErrorKind.NOT_FOUND
    assert "could not find" in error.value.detail


def test_a_revoked_device_is_told_apart(client, branch):
    from booking.models import KioskDevice

    device_revoke(KioskDevice.objects.get())
    with pytest.raises(KioskError) as error:
        client.device()
    assert error.value.kind is ErrorKind.REVOKED
    assert notice_for(error.value).ask_desk


def test_an_unreachable_server_is_offline():
    with pytest.raises(KioskError) as error:
        KioskClient("http://127.0.0.1:9", "x", timeout=(0.5, 0.5)).device()
    assert error.value.kind is ErrorKind.OFFLINE


def test_a_walk_in_ticket_comes_back(client):
    assert client.take_ticket("beratung")["number"] == "A001"


def test_a_rating_sent_twice_is_new_then_known(client):
    rating = {"client_id": str(uuid.uuid4()), "score": 4, "tags": ["quick"]}
    assert client.send_rating(rating) == 201
    assert client.send_rating(rating) == 200
