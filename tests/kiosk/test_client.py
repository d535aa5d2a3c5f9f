"""The kiosk client: against the real server, and against what else may answer."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from booking.services.devices import device_create, device_revoke
from kiosk.client import ErrorKind, KioskClient, KioskError
from kiosk.messages import notice_for


@pytest.fixture
def client(live_server, branch, service, anna):
    from tests.booking.floor.conftest import on_duty_all_week

    on_duty_all_week(anna, branch)
    _device, token = device_create(branch=branch, name="Eingang")
    return KioskClient(live_server.url, token, language="en")


@pytest.mark.django_db(transaction=True)
def test_it_reads_the_device_settings(client):
    assert client.device()["branch"]["slug"] == "mitte"


@pytest.mark.django_db(transaction=True)
def test_a_wrong_code_is_not_found_with_the_servers_words(client):
    with pytest.raises(KioskError) as error:
        client.check_in("ZZZZ9999")
    assert error.value.kind is ErrorKind.NOT_FOUND
    assert "could not find" in error.value.detail


@pytest.mark.django_db(transaction=True)
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
    assert error.value.unreachable
    assert not error.value.maybe_delivered


@pytest.mark.django_db(transaction=True)
def test_a_walk_in_ticket_comes_back(client):
    assert client.take_ticket("beratung")["number"] == "A001"


@pytest.mark.django_db(transaction=True)
def test_a_walk_in_resent_with_its_client_id_is_the_same_ticket(client):
    client_id = uuid.uuid4()
    assert client.take_ticket("beratung", client_id) == client.take_ticket("beratung", client_id)


@pytest.mark.django_db(transaction=True)
def test_a_rating_sent_twice_is_new_then_known(client):
    rating = {"client_id": str(uuid.uuid4()), "score": 4, "tags": ["quick"]}
    assert client.send_rating(rating) == 201
    assert client.send_rating(rating) == 200


@pytest.mark.django_db(transaction=True)
def test_the_manifest_comes_for_today_and_a_given_day(client):
    today = client.manifest()
    tomorrow = dt.date.fromisoformat(today["date"]) + dt.timedelta(days=1)
    assert client.manifest(tomorrow.isoformat())["date"] == tomorrow.isoformat()


@pytest.mark.django_db(transaction=True)
def test_a_kiosk_clock_six_minutes_fast_still_stamps_the_servers_time(client):
    from booking.models import Rating

    fast = dt.timedelta(minutes=6)
    client.wall = lambda: dt.datetime.now(dt.UTC) + fast
    client.device()  # any answer tells the kiosk how far off its clock is
    given_at = client.server_now()
    rating = {"client_id": str(uuid.uuid4()), "score": 4, "given_at": given_at.isoformat()}
    assert client.send_rating(rating) == 201
    assert abs(Rating.objects.get().given_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


class Answers(BaseHTTPRequestHandler):
    """Answers as a proxy, a portal or a sick server would."""

    status, body, content_type, date = 200, b"{}", "application/json", None
    hang = threading.Event()

    def _answer(self) -> None:
        if self.path.startswith("/hang"):
            Answers.hang.wait(5)
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer

    def date_time_string(self, timestamp=None):  # the Date header send_response adds
        return self.date or super().date_time_string(timestamp)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def fake():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def answer(status: int, body, content_type="application/json", date=None) -> KioskClient:
        Answers.status, Answers.content_type, Answers.date = status, content_type, date
        Answers.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        return KioskClient(f"http://127.0.0.1:{server.server_port}", "t", timeout=(1, 0.5))

    yield answer
    Answers.hang.set()
    server.shutdown()
    server.server_close()
    Answers.hang.clear()


def error_of(call) -> KioskError:
    with pytest.raises(KioskError) as error:
        call()
    return error.value


def test_a_proxys_html_404_is_not_the_apis_not_found(fake):
    client = fake(404, b"<html>Not Found</html>", "text/html")
    error = error_of(lambda: client.check_in("ABCD2345"))
    assert error.kind is ErrorKind.NOT_API
    assert error.unreachable


def test_the_apis_404_is_not_found(fake):
    client = fake(404, {"detail": "We could not find this code.", "code": "unknown_code"})
    error = error_of(lambda: client.check_in("ABCD2345"))
    assert (error.kind, error.code) == (ErrorKind.NOT_FOUND, "unknown_code")
    assert not error.unreachable


def test_a_400_without_the_apis_detail_is_not_the_api(fake):
    client = fake(400, b"Bad Request", "text/plain")
    assert error_of(lambda: client.send_rating({"client_id": "x"})).kind is ErrorKind.NOT_API


def test_a_400_with_the_apis_detail_is_invalid(fake):
    client = fake(400, {"detail": "Please check your input.", "errors": {"score": ["x"]}})
    assert error_of(lambda: client.send_rating({"client_id": "x"})).kind is ErrorKind.INVALID


def test_a_502_page_is_a_server_error(fake):
    client = fake(502, b"<html>Bad Gateway</html>", "text/html")
    error = error_of(client.device)
    assert (error.kind, error.status) == (ErrorKind.SERVER, 502)
    assert error.unreachable


def test_a_200_that_is_not_json_is_not_the_api(fake):
    client = fake(200, b"<html>Welcome to the hotel wifi</html>", "text/html")
    assert error_of(client.device).kind is ErrorKind.NOT_API


def test_a_request_that_got_no_answer_in_time_may_have_arrived(fake):
    client = fake(200, {})
    error = error_of(lambda: client._call("POST", "/hang", {}))
    assert error.kind is ErrorKind.OFFLINE
    assert error.maybe_delivered


def test_the_servers_date_tells_the_kiosk_how_far_off_its_clock_is(fake):
    server_time = dt.datetime(2031, 3, 4, 9, 0, tzinfo=dt.UTC)
    client = fake(200, {}, date=email.utils.format_datetime(server_time, usegmt=True))
    client.wall = lambda: server_time + dt.timedelta(minutes=6)
    client.device()
    assert abs(client.clock_offset + dt.timedelta(minutes=6)) < dt.timedelta(seconds=2)
    assert abs(client.server_now() - server_time) < dt.timedelta(seconds=2)


def test_a_clock_seconds_off_is_left_alone(fake):
    server_time = dt.datetime(2031, 3, 4, 9, 0, tzinfo=dt.UTC)
    client = fake(200, {}, date=email.utils.format_datetime(server_time, usegmt=True))
    client.wall = lambda: server_time + dt.timedelta(seconds=2)
    client.device()
    assert client.server_now() == client.wall()
