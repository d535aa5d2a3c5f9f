"""Every HTTP call of the kiosk. No widgets here: the app runs these off the GUI thread."""

from __future__ import annotations

import enum
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests


class ErrorKind(enum.StrEnum):
    OFFLINE = "offline"  # no answer: network or server down
    REVOKED = "revoked"  # the device token is unknown or revoked
    THROTTLED = "throttled"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    SERVER = "server"  # the server answered 5xx


@dataclass
class KioskError(Exception):
    kind: ErrorKind
    detail: str = ""
    status: int = 0
    code: str = ""
    retry_after: int = 0

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


KINDS_BY_STATUS = {
    400: ErrorKind.INVALID,
    401: ErrorKind.REVOKED,
    403: ErrorKind.REVOKED,
    404: ErrorKind.NOT_FOUND,
    409: ErrorKind.CONFLICT,
    429: ErrorKind.THROTTLED,
}


class KioskClient:
    """The kiosk API (DESIGN.md, "Kiosk"), authenticated as ``Device <token>``."""

    def __init__(
        self,
        server: str,
        token: str,
        *,
        language: str = "de",
        timeout: tuple[float, float] = (3.0, 10.0),
    ) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.language = language
        self.timeout = timeout
        self._session = requests.Session()

    def _call(self, method: str, path: str, body: dict | None = None) -> tuple[int, Any]:
        headers = {
            "Authorization": f"Device {self.token}",
            "Accept-Language": self.language,
            "Accept": "application/json",
        }
        try:
            response = self._session.request(
                method, f"{self.server}{path}", json=body, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as error:
            raise KioskError(ErrorKind.OFFLINE, str(error)) from error
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code < 400:
            return response.status_code, data
        detail = data.get("detail", "") if isinstance(data, dict) else ""
        kind = KINDS_BY_STATUS.get(response.status_code, ErrorKind.SERVER)
        raise KioskError(
            kind,
            detail,
            response.status_code,
            data.get("code", "") if isinstance(data, dict) else "",
            int(response.headers.get("Retry-After", "0") or 0),
        )

    def device(self) -> dict:
        return self._call("GET", "/api/v1/kiosk/")[1]

    def check_in(self, code: str) -> dict:
        return self._call("POST", "/api/v1/kiosk/check-in/", {"code": code})[1]

    def take_ticket(self, service: str) -> dict:
        return self._call("POST", "/api/v1/kiosk/tickets/", {"service": service})[1]

    def send_rating(self, rating: dict) -> int:
        """POST a stored rating; the status code says whether it was new (201) or known (200)."""
        return self._call("POST", "/api/v1/kiosk/ratings/", rating)[0]


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

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
