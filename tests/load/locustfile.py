"""A bank's peak hour, compressed: the load test of the production-like stack.

Run by ``scripts/loadtest`` (which starts the stack, seeds the bank with
``manage.py seed_load`` and reads the summary); not part of the test suite.

Every branch gets its peak hour's traffic (``PEAK_HOUR``, per branch) ``LOAD_SPEED``
times faster than real: customers browse availability and book, the kiosk checks in
the hour's appointments and issues walk-in tickets, advisors call, start and finish,
staff open their pages, visitors follow their turn on their phones. Each branch's staff
page and each walk-in's status page are open on a WebSocket the whole time.

Besides Locust's own figures it measures the live-update delays (check-in until the
branch's staff page shows the ticket; call until the visitor's page says so) and the
CPU the stack spent, from which it works out how many branches one core carries.

Environment: ``LOAD_BANK`` (the JSON of seed_load), ``LOAD_SPEED`` (default 2),
``LOAD_SECONDS`` (default 150, measured after ``LOAD_WARMUP``, default 20),
``STACK_PID`` (scripts/stack, for its CPU),
``LOAD_DATABASE`` (the stack's database, for its PostgreSQL backends' CPU),
``LOAD_SUMMARY`` (a JSON file for the summary).
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import json
import os
import random
import time
import uuid
from pathlib import Path

import gevent
import psutil
import websocket
from locust import LoadTestShape, User, between, constant_throughput, events, task
from locust.contrib.fasthttp import FastHttpUser

BANK = json.loads(Path(os.environ.get("LOAD_BANK", "var/load/bank.json")).read_text())
BRANCHES = BANK["branches"]
SPEED = float(os.environ.get("LOAD_SPEED", "2"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "150"))
WARMUP = float(os.environ.get("LOAD_WARMUP", "20"))

# One branch's peak hour (5 advisors): what its visitors, kiosk and staff send. The
# appointments checked in are the hour's booked visits that seed_load made.
APPOINTMENTS_PER_HOUR = sum(len(b["codes"]) for b in BRANCHES) / len(BRANCHES)
PEAK_HOUR = {
    "availability": 60,  # customers looking for a slot online (a tenth of them book)
    "kiosk": APPOINTMENTS_PER_HOUR + 20,  # check-ins, plus 20 walk-in tickets
    "desk": 35,  # call next (and start, and finish the one before)
    "pages": 40,  # staff pages, queue reads, visitors' status pages, kiosk settings
}
ROLE_USERS = {"availability": 8, "kiosk": 6, "desk": 6, "pages": 4}
BOOKING_SHARE = 0.1
WALK_INS_PER_HOUR = 20
# The bank's clients all come from loopback: the stack runs with throttles raised.
HTTP_TIMEOUT = 30


def role_rate(role: str) -> float:
    """Iterations per second for one user of this role."""
    total = len(BRANCHES) * PEAK_HOUR[role] * SPEED / 3600
    return total / ROLE_USERS[role]


class Rendezvous:
    """Delays between an action (one side) and a live page showing it (the other side):
    whichever side is second records the delay, so the order of arrival does not matter."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: dict[object, float] = {}
        self.seen: dict[object, float] = {}

    def mark_sent(self, key, at: float) -> None:
        if key in self.seen:
            self._record(self.seen.pop(key) - at)
        else:
            self.sent[key] = at

    def mark_seen(self, key, at: float) -> None:
        if key in self.sent:
            self._record(at - self.sent.pop(key))
        elif key not in self.seen:
            self.seen[key] = at

    def _record(self, seconds: float) -> None:
        events.request.fire(
            request_type="LIVE",
            name=self.name,
            response_time=max(seconds, 0) * 1000,
            response_length=0,
            exception=None,
            context={},
        )


CHECK_IN_SHOWN = Rendezvous("check-in -> staff page (WebSocket)")
CALL_SHOWN = Rendezvous("call -> visitor's status page (WebSocket)")
codes = {b["slug"]: list(b["codes"]) for b in BRANCHES}
for pending in codes.values():
    random.shuffle(pending)
status_tokens: list[str] = []
# Per role: iterations run and HTTP requests they made, to weigh the peak-hour model.
role_iterations: collections.Counter[str] = collections.Counter()
role_requests: collections.Counter[str] = collections.Counter()
serving: dict[int, int] = {}  # advisor id -> ticket in service
open_sockets: set[gevent.Greenlet] = set()


def ws_url(host: str, path: str) -> str:
    return host.replace("http://", "ws://", 1).rstrip("/") + path


def fire(request_type: str, name: str, started: float, error: Exception | None = None) -> None:
    events.request.fire(
        request_type=request_type,
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=0,
        exception=error,
        context={},
    )


class Customer(FastHttpUser):
    """Looks for a slot in the coming week; one in ten books one."""

    fixed_count = ROLE_USERS["availability"]
    wait_time = constant_throughput(role_rate("availability"))
    network_timeout = connection_timeout = HTTP_TIMEOUT

    def context(self) -> dict:
        return {"role": "availability"}

    @task
    def browse_and_book(self) -> None:
        role_iterations["availability"] += 1
        branch = random.choice(BRANCHES)
        today = dt.date.today()
        first = today + dt.timedelta(days=random.randint(1, 5))
        response = self.client.get(
            f"/api/v1/branches/{branch['slug']}/availability/?service={branch['service']}"
            f"&from={first}&to={first + dt.timedelta(days=2)}",
            name="GET /api/v1/branches/[branch]/availability/",
        )
        if random.random() >= BOOKING_SHARE or not response.ok:
            return
        slots = response.json()["slots"]
        if not slots:
            return
        slot = random.choice(slots)
        with self.client.post(
            "/api/v1/appointments/",
            json={
                "branch": branch["slug"],
                "service": branch["service"],
                "start": slot["start"],
                "customer": {"name": "Kim Lastig", "email": f"{uuid.uuid4().hex}@load.example"},
            },
            name="POST /api/v1/appointments/",
            catch_response=True,
        ) as booking:
            if booking.status_code == 409:
                booking.success()  # another customer was faster: a fair answer, not an error


class Kiosk(FastHttpUser):
    """The entrance: the hour's appointments check in, walk-ins take a ticket (and follow
    their turn on their phone)."""

    fixed_count = ROLE_USERS["kiosk"]
    wait_time = constant_throughput(role_rate("kiosk"))
    network_timeout = connection_timeout = HTTP_TIMEOUT

    def context(self) -> dict:
        return {"role": "kiosk"}

    @task
    def arrive(self) -> None:
        role_iterations["kiosk"] += 1
        branch = random.choice(BRANCHES)
        headers = {"Authorization": f"Device {branch['kiosk_token']}"}
        left = codes[branch["slug"]]
        if left and random.random() < APPOINTMENTS_PER_HOUR / PEAK_HOUR["kiosk"]:
            started = time.perf_counter()
            response = self.client.post(
                "/api/v1/kiosk/check-in/",
                json={"code": left.pop()},
                headers=headers,
                name="POST /api/v1/kiosk/check-in/",
            )
            if response.ok:
                CHECK_IN_SHOWN.mark_sent(response.json()["ticket"]["id"], started)
            return
        service = random.choice(BANK["walk_in_services"])
        response = self.client.post(
            "/api/v1/kiosk/tickets/",
            json={"service": service, "client_id": str(uuid.uuid4())},
            headers=headers,
            name="POST /api/v1/kiosk/tickets/",
        )
        if response.ok:
            ticket = response.json()
            token = ticket["status_url"].rstrip("/").rsplit("/", 1)[-1]
            status_tokens.append(token)
            del status_tokens[:-500]
            follow = gevent.spawn(follow_turn, self.host, token, ticket["id"])
            open_sockets.add(follow)
            follow.link(open_sockets.discard)


def follow_turn(host: str, token: str, ticket_id: int) -> None:
    """A visitor's phone: the status page's socket, open until the ticket is called."""
    started = time.perf_counter()
    name = "connect /ws/tickets/[token]/"
    try:
        socket = websocket.create_connection(
            ws_url(host, f"/ws/tickets/{token}/"), timeout=HTTP_TIMEOUT, origin=host
        )
    except Exception as error:  # any failure to connect is an error of the run
        fire("WS", name, started, error)
        return
    fire("WS", name, started)
    try:
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            try:
                message = json.loads(socket.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if message.get("status") and message["status"] != "waiting":
                CALL_SHOWN.mark_seen(ticket_id, time.perf_counter())
                return
    except websocket.WebSocketConnectionClosedException as error:
        fire("WS", "status page closed early", time.perf_counter(), error)
    finally:
        socket.close()


class Desk(FastHttpUser):
    """Advisors: finish the visitor in service, call the next one, start."""

    fixed_count = ROLE_USERS["desk"]
    wait_time = constant_throughput(role_rate("desk"))
    network_timeout = connection_timeout = HTTP_TIMEOUT

    def context(self) -> dict:
        return {"role": "desk"}

    @task
    def next_visitor(self) -> None:
        role_iterations["desk"] += 1
        branch = random.choice(BRANCHES)
        advisor = random.choice(branch["advisors"])
        headers = {"Authorization": f"Token {advisor['token']}"}
        current = serving.pop(advisor["id"], None)
        if current is not None:
            self.client.post(
                f"/api/v1/tickets/{current}/finish/",
                headers=headers,
                name="POST /api/v1/tickets/[id]/finish/",
            )
        started = time.perf_counter()
        response = self.client.post(
            f"/api/v1/branches/{branch['slug']}/call-next/",
            headers=headers,
            name="POST /api/v1/branches/[branch]/call-next/",
        )
        if response.status_code != 200:
            return
        ticket = response.json()["id"]
        CALL_SHOWN.mark_sent(ticket, started)
        started = self.client.post(
            f"/api/v1/tickets/{ticket}/start/",
            headers=headers,
            name="POST /api/v1/tickets/[id]/start/",
        )
        if started.ok:
            serving[advisor["id"]] = ticket


class Pages(FastHttpUser):
    """Pages and reads: the staff workstation, the queue, visitors' status pages, the
    kiosk's settings."""

    fixed_count = ROLE_USERS["pages"]
    wait_time = constant_throughput(role_rate("pages"))
    network_timeout = connection_timeout = HTTP_TIMEOUT

    def context(self) -> dict:
        return {"role": "pages"}

    @task(6)
    def workstation(self) -> None:
        role_iterations["pages"] += 1
        branch = random.choice(BRANCHES)
        self.client.get(
            f"/staff/{branch['slug']}/",
            headers={"Cookie": f"sessionid={branch['staff_session']}"},
            name="GET /staff/[branch]/ (page)",
        )

    @task(12)
    def queue(self) -> None:
        role_iterations["pages"] += 1
        branch = random.choice(BRANCHES)
        self.client.get(
            f"/api/v1/branches/{branch['slug']}/queue/",
            headers={"Authorization": f"Token {branch['advisors'][0]['token']}"},
            name="GET /api/v1/branches/[branch]/queue/",
        )

    @task(20)
    def status_page(self) -> None:
        role_iterations["pages"] += 1
        if status_tokens:
            self.client.get(f"/t/{random.choice(status_tokens)}/", name="GET /t/[token]/ (page)")

    @task(2)
    def kiosk_settings(self) -> None:
        role_iterations["pages"] += 1
        branch = random.choice(BRANCHES)
        self.client.get(
            "/api/v1/kiosk/",
            headers={"Authorization": f"Device {branch['kiosk_token']}"},
            name="GET /api/v1/kiosk/",
        )


staff_branches = itertools.cycle(BRANCHES)


class StaffPage(User):
    """One staff page per branch, open the whole time on the branch's live queue."""

    fixed_count = len(BRANCHES)
    wait_time = between(0, 0)

    def on_start(self) -> None:
        self.branch = next(staff_branches)
        self.socket = None

    @task
    def listen(self) -> None:
        if self.socket is None:
            started = time.perf_counter()
            try:
                self.socket = websocket.create_connection(
                    ws_url(self.host, f"/ws/branches/{self.branch['slug']}/"),
                    timeout=HTTP_TIMEOUT,
                    origin=self.host,
                    cookie=f"sessionid={self.branch['staff_session']}",
                )
            except Exception as error:  # any failure to connect is an error of the run
                fire("WS", "connect /ws/branches/[branch]/", started, error)
                gevent.sleep(5)  # a page that retries at once only adds to the crowd
                return
            fire("WS", "connect /ws/branches/[branch]/", started)
        try:
            message = json.loads(self.socket.recv())
        except websocket.WebSocketTimeoutException:
            return
        except websocket.WebSocketConnectionClosedException as error:
            fire("WS", "staff page closed early", time.perf_counter(), error)
            self.socket = None
            return
        if message.get("event") == "queue":
            at = time.perf_counter()
            queue = message["queue"]
            for ticket in queue["waiting"] + queue["serving"]:
                CHECK_IN_SHOWN.mark_seen(ticket["id"], at)

    def on_stop(self) -> None:
        if self.socket is not None:
            self.socket.close()


class PeakHour(LoadTestShape):
    """Every user, for LOAD_WARMUP + LOAD_SECONDS; staff pages open 20 a second, as a
    morning's do over minutes, not all in one instant. The warm-up (new processes'
    first requests, every page connecting) is left out of the figures."""

    def tick(self):
        run_time = self.get_run_time()
        if run_time > WARMUP + SECONDS:
            return None
        if run_time >= WARMUP and "warm" not in measured:
            measured["warm"] = True
            self.runner.stats.reset_all()
            role_iterations.clear()
            role_requests.clear()
            _start(self.runner.environment)
        users = sum(ROLE_USERS.values()) + len(BRANCHES)
        return users, 20


# --- CPU of the stack, and the summary ---------------------------------------------


def stack_processes() -> list[psutil.Process]:
    """scripts/stack and everything it started (nginx, granian, uvicorn, Celery)."""
    pid = os.environ.get("STACK_PID")
    if not pid:
        return []
    root = psutil.Process(int(pid))
    return [root, *root.children(recursive=True)]


def database_backends() -> list[psutil.Process]:
    """PostgreSQL backends serving the stack's database (their title names it)."""
    name = os.environ.get("LOAD_DATABASE")
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        title = " ".join(process.info["cmdline"] or [])
        if name and title.startswith("postgres: ") and f" {name} " in title:
            found.append(process)
    return found


# Which line of deploy/Procfile a process belongs to, by a word of its command line.
PROCESS_KINDS = [("granian", "http"), ("uvicorn", "ws"), ("beat", "beat"), ("celery", "worker")]
PROCESS_KINDS += [("nginx", "proxy")]


def process_kind(process: psutil.Process) -> str:
    """uvicorn's and granian's workers are started by multiprocessing (a command line of
    their own): a process without a known word belongs to the nearest parent with one."""
    try:
        for candidate in [process, *process.parents()]:
            command = " ".join(candidate.cmdline())
            kind = next((kind for word, kind in PROCESS_KINDS if word in command), None)
            if kind:
                return kind
    except psutil.Error:
        pass
    return "other"


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, tuple[str, float]]:
    seconds = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        seconds[process.pid] = (process_kind(process), times.user + times.system)
    return seconds


def cpu_spent(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> dict[str, float]:
    """CPU seconds spent between the two samples, by kind of process."""
    spent: collections.Counter[str] = collections.Counter()
    for pid, (kind, value) in after.items():
        spent[kind] += value - before.get(pid, (kind, 0.0))[1]
    return dict(spent)


measured: dict = {}


@events.request.add_listener
def _count_role(request_type, context=None, **kwargs) -> None:
    role = (context or {}).get("role")
    if role and request_type not in ("LIVE", "WS"):
        role_requests[role] += 1


def model_requests_per_branch_hour() -> float:
    """A branch's peak hour in requests: each role's iterations (PEAK_HOUR) times the
    requests an iteration made in this run (a call that finds nobody makes one, not two)."""
    return sum(
        PEAK_HOUR[role] * role_requests[role] / role_iterations[role]
        for role in PEAK_HOUR
        if role_iterations[role]
    )


def _start(environment, **kwargs) -> None:
    measured["started"] = time.monotonic()
    measured["app"] = cpu_seconds(stack_processes())
    measured["db"] = cpu_seconds(database_backends())


@events.test_stop.add_listener
def _stop(environment, **kwargs) -> None:
    for follow in list(open_sockets):
        follow.kill(block=False)
    measured["seconds"] = time.monotonic() - measured["started"]
    measured["app_cpu_by_process"] = cpu_spent(measured["app"], cpu_seconds(stack_processes()))
    measured["app_cpu"] = sum(measured["app_cpu_by_process"].values())
    measured["db_cpu"] = sum(cpu_spent(measured["db"], cpu_seconds(database_backends())).values())


@events.quitting.add_listener
def _summary(environment, **kwargs) -> None:
    if "seconds" not in measured:
        return
    stats = environment.stats
    rows = []
    http_requests = http_errors = 0
    for entry in sorted(stats.entries.values(), key=lambda e: (e.method != "LIVE", e.name)):
        rows.append(
            {
                "kind": entry.method,
                "name": entry.name,
                "count": entry.num_requests,
                "errors": entry.num_failures,
                "p50_ms": entry.get_response_time_percentile(0.5),
                "p99_ms": entry.get_response_time_percentile(0.99),
            }
        )
        if entry.method not in ("LIVE", "WS"):
            http_requests += entry.num_requests
        if entry.method != "LIVE":
            http_errors += entry.num_failures
    per_branch_hour = model_requests_per_branch_hour()
    # What the stack really served, in branch peak-hours (behind the target when it lags).
    branch_hours = http_requests / per_branch_hour if per_branch_hour else 0
    app_cpu, db_cpu = measured["app_cpu"], measured["db_cpu"]
    summary = {
        "branches": len(BRANCHES),
        "speed": SPEED,
        "achieved_speed": round(branch_hours * 3600 / (len(BRANCHES) * measured["seconds"]), 2),
        "seconds": round(measured["seconds"], 1),
        "simulated_branch_hours": round(branch_hours, 1),
        "http_requests": http_requests,
        "requests_per_second": round(http_requests / measured["seconds"], 1),
        "requests_per_branch_hour": round(per_branch_hour, 1),
        "errors": http_errors,
        "app_cpu_seconds": round(app_cpu, 1),
        "database_cpu_seconds": round(db_cpu, 1),
        "app_cpu_by_process": {
            kind: round(value, 1)
            for kind, value in sorted(measured["app_cpu_by_process"].items())
            if kind != "other"
        },
        "requests_per_app_cpu_second": round(http_requests / app_cpu, 1) if app_cpu else None,
        "branches_per_app_core": round(3600 / (app_cpu / branch_hours)) if app_cpu else None,
        "branches_per_core_with_database": (
            round(3600 / ((app_cpu + db_cpu) / branch_hours)) if app_cpu else None
        ),
        "rows": rows,
    }
    if os.environ.get("LOAD_SUMMARY"):
        Path(os.environ["LOAD_SUMMARY"]).write_text(json.dumps(summary, indent=2))
