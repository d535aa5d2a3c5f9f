"""The server goes away and comes back: the kiosk checks visitors in from its manifest,
and each check-in reaches the server once, with the time the visitor arrived."""

from __future__ import annotations

import datetime as dt
import subprocess
from urllib.parse import urlsplit

import pytest

from booking.models import Appointment, EventKind, JourneyEvent, Ticket
from kiosk.outbox import CHECK_IN
from tests.support import start_asgi_server

pytestmark = [pytest.mark.kiosk_app, pytest.mark.django_db(transaction=True)]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    """The real server in its own process, to be stopped and started again on its port."""
    log = tmp_path / "server.log"
    process, url = start_asgi_server(log)
    running = {"process": process, "url": url}

    def restart() -> None:
        port = urlsplit(url).port
        running["process"], _url = start_asgi_server(log, port=port)

    running["restart"] = restart
    yield running
    if running["process"].poll() is None:
        stop(running["process"])


def test_a_visitor_checks_in_while_the_server_is_down_and_arrives_once(kiosk, world, server):
    appointment = world["appointment"]
    appointment.language = "en"  # booked in English, at a German kiosk
    appointment.save(update_fields=["language"])
    driver = kiosk(server=server["url"])
    driver.until(lambda: len(driver.flow.manifest.days) == 2, what="the manifest")

    stop(server["process"])
    driver.scan(appointment.code)
    driver.until(lambda: driver.screen == "result", what="the offline greeting")
    shown = " ".join(driver.texts())
    assert "Welcome, Lukas!" in shown
    assert "Anna Weber will meet you in Raum 2" in shown
    assert "Your advisor will be told that you are here." in shown
    (item,) = driver.app.outbox.pending()
    assert item.kind == CHECK_IN
    arrived = dt.datetime.fromisoformat(item.body["checked_in_at"])
    assert Appointment.objects.get().checked_in_at is None

    driver.key(27)
    driver.scan("ZZZZ9999")
    driver.until(lambda: driver.screen == "message", what="the refusal")
    assert "We cannot check your code right now" in driver.texts()

    server["restart"]()
    driver.flow.flush_outbox(force=True)
    driver.until(lambda: len(driver.app.outbox) == 0, what="the delivery")
    driver.flow.flush_outbox(force=True)
    driver.app.client.send_check_in(item.body)  # and once more, as a lost answer would make it
    appointment.refresh_from_db()
    assert appointment.checked_in_at == arrived
    assert appointment.status == "checked_in"
    ticket = Ticket.objects.get()
    assert ticket.queued_at == arrived
    assert str(ticket.client_id) == item.body["client_id"]
    (event,) = JourneyEvent.objects.filter(kind=EventKind.CHECKED_IN)
    assert event.at == arrived


def test_walk_ins_are_told_honestly_that_no_number_can_be_given(kiosk, world, server):
    driver = kiosk(server=server["url"], lang="en")
    stop(server["process"])
    driver.tap(driver.widget("home", "walkin"))
    driver.tap(driver.app.root.get_screen("services").ids.tiles.children[-1])
    driver.until(lambda: driver.screen == "message", what="the walk-in refusal")
    assert "We cannot give out numbers right now" in driver.texts()
    assert not Ticket.objects.exists()
