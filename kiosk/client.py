"""Every HTTP call of the kiosk. No widgets here: the app runs these off the GUI thread."""

from __future__ import annotations

import datetime as dt
import email.utils
import enum
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests


class ErrorKind(enum.StrEnum):
    OFFLINE = "offline"  # no answer: network or server down, or a timeout
    NOT_API = "not_api"  # an answer that is not the API's (a proxy's or portal's page)
    REVOKED = "revoked"  # the device token is unknown or revoked
    THROTTLED = "throttled"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    SERVER = "server"  # the server answered 5xx


# The API could not be asked: the kiosk answers from what it keeps (manifest, outbox).
UNREACHABLE = {ErrorKind.OFFLINE, ErrorKind.NOT_API, ErrorKind.SERVER}


@dataclass
class KioskError(Exception):
    kind: ErrorKind
    detail: str = ""
    status: int = 0
    code: str = ""
    retry_after: int = 0
    # The request went out but no answer came (a read timeout): the server may have it.
    maybe_delivered: bool = False

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"

    @property
    def unreachable(self) -> bool:
        return self.kind in UNREACHABLE


KINDS_BY_STATUS = {
    400: ErrorKind.INVALID,
    401: ErrorKind.REVOKED,
    403: ErrorKind.REVOKED,
    404: ErrorKind.NOT_FOUND,
    409: ErrorKind.CONFLICT,
    429: ErrorKind.THROTTLED,
}


def _error(response: requests.Response) -> KioskError:
    try:
        data = response.json()
    except ValueError:
        data = None
    status = response.status_code
    retry_after = response.headers.get("Retry-After", "0")
    retry_after = int(retry_after) if retry_after.isdigit() else 0
    if status >= 500:
        detail = data.get("detail", "") if isinstance(data, dict) else ""
        return KioskError(ErrorKind.SERVER, str(detail), status, retry_after=retry_after)
    # Every 4xx of the API is a JSON object with a "detail"; anything else came from a
    # proxy, a captive portal or a server that is not ours, and says nothing about the
    # request itself.
    if not (isinstance(data, dict) and isinstance(data.get("detail"), str)):
        return KioskError(ErrorKind.NOT_API, response.reason or "", status)
    return KioskError(
        KINDS_BY_STATUS.get(status, ErrorKind.INVALID),
        data["detail"],
        status,
        str(data.get("code", "")),
        retry_after,
    )


class KioskClient:
    """The kiosk API (DESIGN.md, "Kiosk"), authenticated as ``Device <token>``.

    It also learns how far the server's clock is from the kiosk's (``clock_offset``,
    from each answer's ``Date`` header), so that times the kiosk stamps on check-ins
    and ratings are in the server's time even when the kiosk's clock is off.
    """

    def __init__(
        self,
        server: str,
        token: str,
        *,
        language: str = "de",
        timeout: tuple[float, float] = (3.0, 10.0),
        visitor_timeout: tuple[float, float] = (2.0, 6.0),
        wall: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.language = language
        self.timeout = timeout
        # A visitor waits in front of the screen: give up sooner and answer from what the
        # kiosk keeps (a request that timed out is resent with its client_id).
        self.visitor_timeout = visitor_timeout
        self.wall = wall
        self.clock_offset: dt.timedelta | None = None
        self._session = requests.Session()

    def _call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        params: dict | None = None,
        timeout: tuple[float, float] | None = None,
    ) -> tuple[int, Any]:
        headers = {
            "Authorization": f"Device {self.token}",
            "Accept-Language": self.language,
            "Accept": "application/json",
        }
        sent = self.wall()
        try:
            response = self._session.request(
                method,
                f"{self.server}{path}",
                json=body,
                params=params,
                headers=headers,
                timeout=timeout or self.timeout,
            )
        except requests.RequestException as error:
            sent_out = isinstance(error, requests.ReadTimeout)
            raise KioskError(ErrorKind.OFFLINE, str(error), maybe_delivered=sent_out) from error
        self._learn_clock(response, sent)
        if response.status_code >= 400:
            raise _error(response)
        try:
            return response.status_code, response.json()
        except ValueError:
            raise KioskError(ErrorKind.NOT_API, "not JSON", response.status_code) from None

    def _learn_clock(self, response: requests.Response, sent: dt.datetime) -> None:
        try:
            server_time = email.utils.parsedate_to_datetime(response.headers["Date"])
        except (KeyError, TypeError, ValueError):
            return
        if server_time.tzinfo is None:
            return
        # The server wrote its Date somewhere between sending and receiving: take the middle.
        self.clock_offset = server_time - (sent + (self.wall() - sent) / 2)

    def server_now(self) -> dt.datetime:
        """The kiosk's clock, corrected by what the server's answers said (when they did)."""
        offset = self.clock_offset
        # The Date header has whole seconds and the answer took a moment: only a real
        # difference is corrected.
        if offset is None or abs(offset) < dt.timedelta(seconds=5):
            return self.wall()
        return self.wall() + offset

    def device(self) -> dict:
        return self._call("GET", "/api/v1/kiosk/")[1]

    def manifest(self, date: str | None = None) -> dict:
        return self._call(
            "GET", "/api/v1/kiosk/manifest/", params={"date": date} if date else None
        )[1]

    def check_in(self, code: str, client_id: uuid.UUID | str | None = None) -> dict:
        body = {"code": code}
        if client_id:
            body["client_id"] = str(client_id)
        return self._call("POST", "/api/v1/kiosk/check-in/", body, timeout=self.visitor_timeout)[1]

    def take_ticket(self, service: str, client_id: uuid.UUID | str | None = None) -> dict:
        body = {"service": service}
        if client_id:
            body["client_id"] = str(client_id)
        return self._call("POST", "/api/v1/kiosk/tickets/", body, timeout=self.visitor_timeout)[1]

    def send_rating(self, rating: dict) -> int:
        """POST a stored rating; the status code says whether it was new (201) or known (200)."""
        return self._call("POST", "/api/v1/kiosk/ratings/", rating)[0]

    def send_check_in(self, check_in: dict) -> int:
        """POST a check-in the kiosk took while offline (``client_id``, ``checked_in_at``)."""
        return self._call("POST", "/api/v1/kiosk/check-in/", check_in)[0]


class Background:
    """Runs calls on worker threads and hands results to ``deliver`` (the GUI's scheduler)."""

    def __init__(self, deliver: Callable[[Callable[[], None]], None], workers: int = 2) -> None:
        self._deliver = deliver
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-net")

    def run(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[KioskError], None],
    ) -> None:
        def work() -> None:
            try:
                result = call()
            except KioskError as error:
                self._deliver(lambda failure=error: on_error(failure))
                return
            except Exception as error:  # a bug must reach the screen as an error, not vanish
                failure = KioskError(ErrorKind.SERVER, repr(error))
                self._deliver(lambda: on_error(failure))
                return
            self._deliver(lambda: on_done(result))

        self._pool.submit(work)

    def shutdown(self, wait: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)


class Immediate:
    """Runs calls at once on the calling thread: the flow's tests need no threads."""

    def run(self, call, on_done, on_error) -> None:
        try:
            result = call()
        except KioskError as error:
            on_error(error)
            return
        on_done(result)

    def shutdown(self, wait: bool = False) -> None:
        pass
