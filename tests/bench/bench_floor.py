"""Check-in and call-next throughput and latency on the production-like stack.

PostgreSQL, Redis (cache and channel layer), two ASGI server processes, and a bounded
loopback load from ``wrk``; each figure is printed next to a baseline measured in the
same run against the same server: a bare view doing one ``select_for_update`` and one
update of a row found by an indexed code. Target: check-in at >= 50 % of the baseline.

The branch lies in a time zone where it is six in the morning when the run starts, so
the mix of arrivals does not depend on the hour: about one visitor in twenty is late
(and becomes a priority walk-in), the others come early or on time.
Run with ``scripts/bench floor`` (needs ``DATABASE_URL`` pointing at PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from booking.models import (
    Advisor,
    Appointment,
    Branch,
    Customer,
    Service,
    Ticket,
    TicketKind,
    WorkingHours,
)
from booking.services.devices import device_create
from tests.support import booked, start_asgi_server

ADVISORS_WITH_APPOINTMENTS = 96
SLOTS_PER_ADVISOR = 76  # every quarter hour from 05:00 to midnight
DESK_ADVISORS = 8
WALK_INS = 4000
CONNECTIONS = 8
SECONDS = 8
ROUNDS = 2  # the runs take turns, so a busy moment of the host does not hit one alone

pytestmark = pytest.mark.django_db(transaction=True)

LUA = """
local lines = {}
for line in io.lines("%(values)s") do lines[#lines + 1] = line end
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function init(args) counter = id end
request = function()
  counter = counter + %(stride)d
  local value = lines[counter %% #lines + 1]
  %(build)s
end
"""
CODE_BODY = """return wrk.format("POST", nil, {["Content-Type"] = "application/json",
    ["Authorization"] = "%(auth)s"}, '{"code": "' .. value .. '"}')"""
TOKEN_BODY = """return wrk.format("POST", nil, {["Authorization"] = "Token " .. value})"""


def early_morning_zone(now: dt.datetime) -> str:
    """A zone where it is six o'clock now (Etc/GMT+N lies N hours behind UTC)."""
    ahead = (6 - now.astimezone(dt.UTC).hour + 12) % 24 - 12
    return "UTC" if ahead == 0 else f"Etc/GMT{-ahead:+d}"


def setup_floor():
    branch = Branch.objects.create(
        slug="bench",
        name="Bench",
        timezone=early_morning_zone(timezone.now()),
        checkin_early_minutes=24 * 60,
        late_policy="priority_walk_in",
    )
    counter = Service.objects.create(
        slug="beratung", name="Beratung", ticket_prefix="A", duration_minutes=15
    )
    desk = Service.objects.create(slug="kasse", name="Kasse", ticket_prefix="K", walk_in=True)
    for service in (counter, desk):
        service.branches.add(branch)
    customer = Customer.objects.create(name="Bench Kunde", email="bench@example.org")
    today = branch.local_date(timezone.now())
    first_slot = dt.datetime.combine(today, dt.time(5), tzinfo=branch.tz)
    appointments, codes = [], []
    for index in range(ADVISORS_WITH_APPOINTMENTS + DESK_ADVISORS):
        advisor = Advisor.objects.create(name=f"Advisor {index}", location=f"Raum {index}")
        advisor.branches.add(branch)
        advisor.services.add(desk if index >= ADVISORS_WITH_APPOINTMENTS else counter)
        WorkingHours.objects.bulk_create(
            WorkingHours(
                advisor=advisor, branch=branch, weekday=d, start=dt.time(0), end=dt.time(23, 59, 59)
            )
            for d in range(7)
        )
        if index >= ADVISORS_WITH_APPOINTMENTS:
            continue
        for slot in range(SLOTS_PER_ADVISOR):
            start = first_slot + dt.timedelta(minutes=15 * slot)
            appointment = booked(
                branch=branch,
                service=counter,
                advisor=advisor,
                customer=customer,
                start=start,
                save=False,
            )
            codes.append(appointment.code)
            appointments.append(appointment)
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    now = timezone.now()
    Ticket.objects.bulk_create(
        (
            Ticket(
                branch=branch,
                service=desk,
                day=today,
                number=f"W{n:05d}",
                kind=TicketKind.WALK_IN,
                queued_at=now - dt.timedelta(seconds=WALK_INS - n),
            )
            for n in range(WALK_INS)
        ),
        batch_size=2000,
    )
    tokens = []
    for advisor in Advisor.objects.filter(services=desk):
        user = get_user_model().objects.create_user(f"desk{advisor.id}")
        advisor.user = user
        advisor.save()
        tokens.append(Token.objects.create(user=user).key)
    _device, device_token = device_create(branch=branch, name="Bench")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after such a load
    random.Random(7).shuffle(codes)  # arrivals come in no advisor's order
    return codes, tokens, device_token


def run_wrk(url: str, script: Path) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def number(pattern):
        match = re.search(pattern, output)
        return match.group(1) if match else None

    def millis(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        "p50": millis(number(r"50%\s+(\S+)")),
        "p99": millis(number(r"99%\s+(\S+)")),
        "errors": int(number(r"Non-2xx or 3xx responses: (\d+)") or 0),
    }


def script(tmp_path: Path, name: str, values: list[str], build: str) -> Path:
    values_file = tmp_path / f"{name}.txt"
    values_file.write_text("\n".join(values) + "\n")
    path = tmp_path / f"{name}.lua"
    path.write_text(LUA % {"values": values_file, "stride": 2, "build": build})
    return path


BASELINE = "baseline: select_for_update + update"


def test_check_in_and_call_next_against_a_bare_locked_update(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("wrk"):
        pytest.skip("needs DATABASE_URL on PostgreSQL and wrk (scripts/bench installs it)")
    codes, tokens, device_token = setup_floor()
    # Every run gets codes of its own, so no check-in repeats an earlier one.
    chunks = [codes[index :: 2 * ROUNDS] for index in range(2 * ROUNDS)]
    log = tmp_path / "server.log"
    server, base = start_asgi_server(log, workers=2, settings="tests.bench.settings")
    rounds = []
    try:
        call_script = script(tmp_path, "callnext", tokens, TOKEN_BODY)
        for index in range(ROUNDS):
            baseline_script = script(
                tmp_path, f"baseline{index}", chunks[2 * index], CODE_BODY % {"auth": ""}
            )
            checkin_script = script(
                tmp_path,
                f"checkin{index}",
                chunks[2 * index + 1],
                CODE_BODY % {"auth": f"Device {device_token}"},
            )
            rounds.append(
                {
                    BASELINE: run_wrk(f"{base}/bench/baseline/", baseline_script),
                    "kiosk check-in": run_wrk(f"{base}/api/v1/kiosk/check-in/", checkin_script),
                    "staff call-next": run_wrk(
                        f"{base}/api/v1/branches/bench/call-next/", call_script
                    ),
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\n{CONNECTIONS} connections, {SECONDS} s each, uvicorn x2 workers, PostgreSQL, Redis;"
        f" {ROUNDS} rounds in turn"
    )
    for index, results in enumerate(rounds, 1):
        baseline = results[BASELINE]["rps"]
        print(f" round {index}")
        for name, figures in results.items():
            print(
                f"  {name:<40} {figures['rps']:8.1f} req/s "
                f"({figures['rps'] / baseline:5.0%} of baseline)"
                f"   p50 {figures['p50']:7.1f} ms   p99 {figures['p99']:7.1f} ms"
                f"   non-2xx {figures['errors']}"
            )

    def total(name: str) -> float:
        return sum(results[name]["rps"] for results in rounds)

    checkin = total("kiosk check-in") / total(BASELINE)
    print(
        f"  -> check-in at {checkin:.0%} of the baseline over all rounds (target >= 50 %: "
        f"{'met' if checkin >= 0.5 else 'NOT met'}); call-next at "
        f"{total('staff call-next') / total(BASELINE):.0%}"
    )
    output = log.read_text()
    errors = sum(f["errors"] for results in rounds for f in results.values())
    if "Traceback" in output or errors:
        print(output[-4000:])
    assert all(results["kiosk check-in"]["errors"] == 0 for results in rounds)
