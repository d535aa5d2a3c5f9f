"""The HTTP path against a bare Django + DRF app outside the project's stack.

PostgreSQL, Redis (cache and channel layer), two worker processes per server, and a
bounded loopback load from ``wrk -t2 -c32``. Three servers run side by side: the
project under granian's WSGI interface, 2 workers x 4 threads (``server.wsgi``, how
production serves HTTP), the project under uvicorn x2 (``server.asgi``, how production
serves ``/ws/``), and the bare app of ``tests/bench/bare`` under gunicorn gthread 2x4.
The runs take turns in rounds, so a busy moment of the host does not hit one side
alone, and each figure is printed as a ratio against the bare app measured in the same
round:

- ``GET /healthz/`` of the project ÷ the bare app's ``/healthz/`` (goal >= 0.8);
- kiosk check-in req/s ÷ the bare ``/bench/locked-update/`` (one ``select_for_update``
  and one update of an appointment found by its code; goal >= 0.5), and p99 ÷ the bare
  p99 (goal <= 2).

The check-ins spread over 48 branches, each with its kiosk (ticket numbers are
handed out per branch and day in order, so check-ins at one branch queue for each
other's commits, as they must; a bank's load spreads over its branches). The branches
lie in a time zone where it is six in the morning when the run starts, so the mix of
arrivals does not depend on the hour: about one visitor in twenty is late (and becomes
a priority walk-in), the others come early or on time. Every check-in run (and every
bare run) gets appointments of its own, so nothing repeats. Before the rounds each
server serves the same requests for ``WARM_UP_SECONDS``, printed but not counted.
Run with ``scripts/bench http`` (needs ``DATABASE_URL`` pointing at PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from booking.models import (
    Advisor,
    Appointment,
    Branch,
    Customer,
    KioskDevice,
    Service,
    WorkingHours,
)
from booking.services.devices import device_create
from tests.support import booked, start_server

from . import wrk

# Numbers are handed out per branch and day in order, so check-ins at one branch wait
# for each other's commits; a bank's load spreads over its branches.
BRANCHES = 48
ADVISORS_PER_BRANCH = 10
SLOTS_PER_ADVISOR = 76  # every quarter hour from 05:00 to midnight
THREADS, CONNECTIONS, SECONDS = 2, 32, 8
ROUNDS = 2
# Before the rounds every server serves the same requests for a few seconds, not counted
# (as the load test leaves out its first 20 s): a fresh process's caches, pooled
# connections and prepared statements fill in its first seconds. Printed, not hidden.
WARM_UP_SECONDS = 3
WARM_UP_LINES = 3000
BARE_SETTINGS = "tests.bench.bare.settings"

pytestmark = pytest.mark.django_db(transaction=True)

LUA = """
local lines = {}
for line in io.lines("%(values)s") do lines[#lines + 1] = line end
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function init(args) counter = id end
request = function()
  counter = counter + %(threads)d
  local code, token = lines[counter %% #lines + 1]:match("(%%S+) (%%S+)")
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
    ["Authorization"] = "Device " .. token}, '{"code": "' .. code .. '"}')
end
"""


def early_morning_zone(now: dt.datetime) -> str:
    """A zone where it is six o'clock now (Etc/GMT+N lies N hours behind UTC)."""
    ahead = (6 - now.astimezone(dt.UTC).hour + 12) % 24 - 12
    return "UTC" if ahead == 0 else f"Etc/GMT{-ahead:+d}"


def setup_floors() -> list[str]:
    """Branches with a day of appointments each and a kiosk each: lines of "code token"
    (shuffled), the token being the kiosk's at the appointment's branch."""
    zone = early_morning_zone(timezone.now())
    service = Service.objects.create(
        slug="beratung", name="Beratung", ticket_prefix="A", duration_minutes=15
    )
    # Every appointment its own customer, as at a bank: one customer for all would make
    # every concurrent check-in lock the same row for its foreign-key checks.
    customers = iter(
        Customer.objects.bulk_create(
            (
                Customer(name=f"Kunde {n}", email=f"kunde{n}@example.org")
                for n in range(BRANCHES * ADVISORS_PER_BRANCH * SLOTS_PER_ADVISOR)
            ),
            batch_size=2000,
        )
    )
    appointments, tokens = [], {}
    for number in range(BRANCHES):
        branch = Branch.objects.create(
            slug=f"bench-{number}",
            name=f"Bench {number}",
            timezone=zone,
            checkin_early_minutes=24 * 60,
            late_policy="priority_walk_in",
        )
        service.branches.add(branch)
        _device, tokens[branch.id] = device_create(branch=branch, name="Bench")
        first_slot = dt.datetime.combine(
            branch.local_date(timezone.now()), dt.time(5), tzinfo=branch.tz
        )
        for index in range(ADVISORS_PER_BRANCH):
            advisor = Advisor.objects.create(name=f"Advisor {index}", location=f"Raum {index}")
            advisor.branches.add(branch)
            advisor.services.add(service)
            WorkingHours.objects.bulk_create(
                WorkingHours(
                    advisor=advisor,
                    branch=branch,
                    weekday=day,
                    start=dt.time(0),
                    end=dt.time(23, 59, 59),
                )
                for day in range(7)
            )
            appointments.extend(
                booked(
                    branch=branch,
                    service=service,
                    advisor=advisor,
                    customer=next(customers),
                    start=first_slot + dt.timedelta(minutes=15 * slot),
                    save=False,
                )
                for slot in range(SLOTS_PER_ADVISOR)
            )
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    with connection.cursor() as cursor:
        # As autovacuum would after such a load: the tables it filled, not the empty ones.
        # An ANALYZE of the empty tickets and journey recorded them as empty, and the
        # plans the servers' pooled connections then made and kept (the foreign-key
        # checks read tickets by a sequential scan) grew slower with every check-in.
        filled = [Branch, Service, Advisor, WorkingHours, Customer, Appointment, KioskDevice]
        filled += [Service.branches.through, Advisor.branches.through]
        filled += [Advisor.services.through]
        for model in filled:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    lines = [f"{a.code} {tokens[a.branch_id]}" for a in appointments]
    random.Random(7).shuffle(lines)  # arrivals come in no advisor's or branch's order
    return lines


def run_wrk(url: str, script: Path | None = None, seconds: int = SECONDS) -> dict:
    return wrk.run_wrk(
        url, threads=THREADS, connections=CONNECTIONS, seconds=seconds, script=script
    )


def code_script(tmp_path: Path, name: str, lines: list[str]) -> Path:
    values = tmp_path / f"{name}.txt"
    values.write_text("\n".join(lines) + "\n")
    path = tmp_path / f"{name}.lua"
    path.write_text(LUA % {"values": values, "threads": THREADS})
    return path


BARE_GET = "bare GET /healthz/ (gunicorn)"
BARE_POST = "bare locked update (gunicorn)"
RUNS = [
    BARE_GET,
    "project /healthz/ (granian)",
    "project /healthz/ (uvicorn)",
    BARE_POST,
    "kiosk check-in (granian)",
    "kiosk check-in (uvicorn)",
]


def measure_round(
    servers: dict[str, str], scripts: dict[str, Path], seconds: int = SECONDS
) -> dict[str, dict]:
    bare, granian, uvicorn = servers["bare"], servers["granian"], servers["uvicorn"]
    check_in = "/api/v1/kiosk/check-in/"
    return {
        BARE_GET: run_wrk(f"{bare}/healthz/", seconds=seconds),
        RUNS[1]: run_wrk(f"{granian}/healthz/", seconds=seconds),
        RUNS[2]: run_wrk(f"{uvicorn}/healthz/", seconds=seconds),
        BARE_POST: run_wrk(f"{bare}/bench/locked-update/", scripts[BARE_POST], seconds),
        RUNS[4]: run_wrk(f"{granian}{check_in}", scripts[RUNS[4]], seconds),
        RUNS[5]: run_wrk(f"{uvicorn}{check_in}", scripts[RUNS[5]], seconds),
    }


def print_run(name: str, figures: dict, base: dict) -> None:
    print(
        f"  {name:<32} {figures['rps']:8.1f} req/s ({figures['rps'] / base['rps']:5.2f}x)"
        f"  p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms"
        f" ({figures['p99'] / base['p99']:5.2f}x)  non-2xx {figures['errors']}"
    )


def baseline_of(name: str, results: dict[str, dict]) -> dict:
    return results[BARE_POST if "locked" in name or "check-in" in name else BARE_GET]


def report(warm_up: dict[str, dict], rounds: list[dict[str, dict]]) -> dict[str, float]:
    print(
        f"\nwrk -t{THREADS} -c{CONNECTIONS}, {SECONDS} s a run, PostgreSQL, Redis, 2 worker"
        " processes a server (granian 2x4 and uvicorn x2; the bare app: gunicorn gthread 2x4);"
        f" {ROUNDS} rounds in turn"
    )
    print(f" warm-up, {WARM_UP_SECONDS} s a run right after the servers started (not counted)")
    for name, figures in warm_up.items():
        print_run(name, figures, baseline_of(name, warm_up))
    for index, results in enumerate(rounds, 1):
        print(f" round {index}")
        for name, figures in results.items():
            print_run(name, figures, baseline_of(name, results))

    def total(name: str, figure: str = "rps") -> float:
        return sum(results[name][figure] for results in rounds)

    ratios = {
        "healthz granian": total(RUNS[1]) / total(BARE_GET),
        "healthz uvicorn": total(RUNS[2]) / total(BARE_GET),
        "check-in granian": total(RUNS[4]) / total(BARE_POST),
        "check-in uvicorn": total(RUNS[5]) / total(BARE_POST),
        "check-in p99 granian": total(RUNS[4], "p99") / total(BARE_POST, "p99"),
        "check-in p99 uvicorn": total(RUNS[5], "p99") / total(BARE_POST, "p99"),
    }
    goals = {"healthz granian": (">=", 0.8), "check-in granian": (">=", 0.5)}
    goals["check-in p99 granian"] = ("<=", 2.0)
    print(" over all rounds, against the bare app:")
    for name, ratio in ratios.items():
        goal = goals.get(name)
        verdict = ""
        if goal:
            met = ratio >= goal[1] if goal[0] == ">=" else ratio <= goal[1]
            verdict = f"(goal {goal[0]} {goal[1]}: {'met' if met else 'NOT met'})"
        print(f"  {name:<24} {ratio:5.2f}  {verdict}")
    return ratios


def test_the_http_path_against_the_bare_app(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("wrk"):
        pytest.skip("needs DATABASE_URL on PostgreSQL and wrk (scripts/bench installs it)")
    lines = setup_floors()
    warm, lines = lines[:WARM_UP_LINES], lines[WARM_UP_LINES:]  # nothing repeats
    posts = [name for name in RUNS if "locked" in name or "check-in" in name]
    chunks = iter(lines[index :: ROUNDS * len(posts)] for index in range(ROUNDS * len(posts)))
    log = tmp_path / "servers.log"
    servers, processes = {}, []
    try:
        for name, options in {
            "bare": {"kind": "gunicorn", "app": "tests.bench.bare.wsgi:application"},
            "granian": {"kind": "granian"},
            "uvicorn": {"kind": "uvicorn"},
        }.items():
            settings = BARE_SETTINGS if name == "bare" else "tests.bench.settings"
            process, servers[name] = start_server(
                log, workers=2, threads=4, settings=settings, **options
            )
            processes.append(process)
        warm_up = measure_round(
            servers,
            {
                name: code_script(tmp_path, f"warm-up-{index}", warm[index :: len(posts)])
                for index, name in enumerate(posts)
            },
            WARM_UP_SECONDS,
        )
        rounds = []
        for index in range(ROUNDS):
            scripts = {
                name: code_script(
                    tmp_path,
                    f"{index}-{name.split()[0]}-{name.split()[-1].strip('()')}",
                    next(chunks),
                )
                for name in posts
            }
            rounds.append(measure_round(servers, scripts))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    report(warm_up, rounds)
    output = log.read_text()
    errors = sum(
        figures["errors"] for results in (warm_up, *rounds) for figures in results.values()
    )
    if "Traceback" in output or errors:
        print(output[-4000:])
    assert errors == 0
