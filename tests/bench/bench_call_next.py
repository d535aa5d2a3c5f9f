"""Call-next throughput and latency with many desks calling at once.

The project under granian's WSGI interface (2 workers x 4 threads, as production serves
HTTP: deploy/Procfile; ``tests.bench.settings``), PostgreSQL and Redis; 8 and then 32
desks, each a wrk connection with an advisor token of its own, all calling next from
one branch's walk-in queue. The baseline stands outside
the project: the bare app (``tests/bench/bare``) under gunicorn gthread 2x4, doing one
``select_for_update`` and one update of an appointment found by its code
(``/bench/locked-update/``), with the same wrk settings. The runs take turns, so a busy
moment of the host does not hit one side alone. Goal: call-next at >= 25 % of the
baseline's requests per second, its p99 at most 3x the baseline's.

Before every call-next run the queue is filled up again to ``QUEUE_DEPTH`` waiting
walk-ins (one in ten a priority walk-in), so each run starts from the same queue; after
it, no ticket may have been called twice and the queue must not have run empty. Before
the rounds both servers serve the same requests for ``WARM_UP_SECONDS``, printed but not
counted.
Run with ``scripts/bench call_next`` (needs ``DATABASE_URL`` pointing at PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import shutil
from itertools import count
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from rest_framework.authtoken.models import Token

from booking.models import (
    Advisor,
    Appointment,
    Branch,
    Customer,
    EventKind,
    JourneyEvent,
    Service,
    Ticket,
    TicketKind,
    TicketStatus,
)
from tests.support import booked, start_server

from . import wrk

DESK_COUNTS = (8, 32)
# Deeper than the fastest run calls (about 600 a second for 8 s): an empty queue answers
# faster than a call, which would flatter the figures.
QUEUE_DEPTH = 8000
SECONDS = 8
ROUNDS = 2
# Before the rounds both servers serve the same requests for a few seconds (32 desks),
# printed but not counted, as the load test leaves out its first 20 s.
WARM_UP_SECONDS = 3
BASELINE_CODES = 2000
SERVER = {"kind": "granian", "workers": 2, "threads": 4}
BARE_SERVER = {"kind": "gunicorn", "workers": 2, "threads": 4}

pytestmark = pytest.mark.django_db(transaction=True)

# One wrk thread per connection, so each connection keeps its own value (a desk's token,
# or its own share of the codes).
LUA = """
local values = {}
for line in io.lines("%(values)s") do values[#values + 1] = line end
local threads = 0
function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end
function init(args) counter = index end
request = function()
  local value = values[counter %% #values + 1]
  counter = counter + %(stride)d
  %(build)s
end
"""
CODE_REQUEST = """return wrk.format("POST", nil, {["Content-Type"] = "application/json"},
    '{"code": "' .. value .. '"}')"""
TOKEN_REQUEST = """return wrk.format("POST", nil, {["Authorization"] = "Token " .. value})"""


def setup_branch() -> tuple[Branch, Service, list[str], list[str]]:
    """The branch, its walk-in service, one token per desk, and codes for the baseline."""
    branch = Branch.objects.create(slug="bench", name="Bench", timezone="UTC")
    desk_service = Service.objects.create(
        slug="kasse", name="Kasse", ticket_prefix="K", walk_in=True
    )
    counter_service = Service.objects.create(
        slug="beratung", name="Beratung", ticket_prefix="A", duration_minutes=15
    )
    for service in (desk_service, counter_service):
        service.branches.add(branch)
    tokens = []
    for n in range(max(DESK_COUNTS)):
        user = get_user_model().objects.create_user(f"desk{n}")
        advisor = Advisor.objects.create(name=f"Desk {n}", location=f"Schalter {n}", user=user)
        advisor.branches.add(branch)
        advisor.services.add(desk_service)
        tokens.append(Token.objects.create(user=user).key)
    # The baseline's rows: appointments of advisors without a desk, every quarter hour
    # from tomorrow on (nobody checks in to them but the baseline).
    customer = Customer.objects.create(name="Bench Kunde", email="bench@example.org")
    first = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    appointments = []
    per_advisor = 100
    for n in range(BASELINE_CODES // per_advisor):
        advisor = Advisor.objects.create(name=f"Berater {n}")
        advisor.branches.add(branch)
        advisor.services.add(counter_service)
        appointments += [
            booked(
                branch=branch,
                service=counter_service,
                advisor=advisor,
                customer=customer,
                start=first + dt.timedelta(minutes=15 * slot),
                save=False,
            )
            for slot in range(per_advisor)
        ]
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    return branch, desk_service, tokens, [a.code for a in appointments]


def fill_queue(branch: Branch, service: Service, numbers) -> int:
    """Top the walk-in queue up to ``QUEUE_DEPTH``: the newcomers queue behind those
    waiting. Returns how many came."""
    waiting = Ticket.objects.filter(branch=branch, status=TicketStatus.WAITING).count()
    now = timezone.now()
    newcomers = []
    for offset in range(QUEUE_DEPTH - waiting):
        number = next(numbers)
        newcomers.append(
            Ticket(
                branch=branch,
                service=service,
                day=branch.local_date(now),
                number=f"W{number:06d}",
                kind=TicketKind.WALK_IN,
                priority=number % 10 == 0,
                queued_at=now + dt.timedelta(milliseconds=offset),
            )
        )
    Ticket.objects.bulk_create(newcomers, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after such a load
    return len(newcomers)


def run_wrk(url: str, script: Path, connections: int, seconds: int = SECONDS) -> dict:
    # One thread per connection: a desk keeps its token.
    return wrk.run_wrk(
        url, threads=connections, connections=connections, seconds=seconds, script=script
    )


def script(tmp_path: Path, name: str, values: list[str], build: str, stride: int) -> Path:
    values_file = tmp_path / f"{name}.txt"
    values_file.write_text("\n".join(values) + "\n")
    path = tmp_path / f"{name}.lua"
    path.write_text(LUA % {"values": values_file, "stride": stride, "build": build})
    return path


def called_twice() -> int:
    """Tickets with more than one call: must stay 0."""
    return (
        JourneyEvent.objects.filter(kind=EventKind.CALLED)
        .values("ticket_id")
        .annotate(calls=Count("id"))
        .filter(calls__gt=1)
        .count()
    )


def test_call_next_against_a_bare_locked_update(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("wrk"):
        pytest.skip("needs DATABASE_URL on PostgreSQL and wrk (scripts/bench installs it)")
    branch, service, tokens, codes = setup_branch()
    numbers = count(1)
    log = tmp_path / "server.log"
    project, project_url = start_server(log, settings="tests.bench.settings", **SERVER)
    bare, bare_url = start_server(
        log,
        app="tests.bench.bare.wsgi:application",
        settings="tests.bench.bare.settings",
        **BARE_SERVER,
    )
    results: dict[int, list[dict]] = {desks: [] for desks in DESK_COUNTS}

    def measure(desks: int, seconds: int = SECONDS) -> dict:
        # Desk n has token n; the baseline's connection n takes every desks-th code.
        baseline_script = script(tmp_path, f"baseline{desks}", codes, CODE_REQUEST, stride=desks)
        call_script = script(tmp_path, f"callnext{desks}", tokens[:desks], TOKEN_REQUEST, stride=0)
        baseline = run_wrk(f"{bare_url}/bench/locked-update/", baseline_script, desks, seconds)
        fill_queue(branch, service, numbers)
        called_before = Ticket.objects.filter(status=TicketStatus.CALLED).count()
        figures = run_wrk(
            f"{project_url}/api/v1/branches/{branch.slug}/call-next/", call_script, desks, seconds
        )
        called = Ticket.objects.filter(status=TicketStatus.CALLED).count()
        figures["called"] = called - called_before
        figures["left"] = Ticket.objects.filter(status=TicketStatus.WAITING).count()
        return {"baseline": baseline, "call-next": figures}

    try:
        warm_up = measure(max(DESK_COUNTS), WARM_UP_SECONDS)
        for _ in range(ROUNDS):
            for desks in DESK_COUNTS:
                results[desks].append(measure(desks))
    finally:
        for server in (project, bare):
            server.terminate()
            server.wait(timeout=30)
    print(
        f"\ncall-next (granian {SERVER['workers']}x{SERVER['threads']}) vs bare "
        f"select_for_update + update (gunicorn gthread {BARE_SERVER['workers']}x"
        f"{BARE_SERVER['threads']}), PostgreSQL, Redis; wrk {SECONDS} s per "
        f"run, one connection per desk; queue filled to {QUEUE_DEPTH} before each run; "
        f"{ROUNDS} rounds in turn"
    )
    warm_base, warm_mine = warm_up["baseline"], warm_up["call-next"]
    print(
        f"  warm-up, {max(DESK_COUNTS)} desks, {WARM_UP_SECONDS} s right after the servers "
        f"started (not counted): baseline {warm_base['rps']:6.1f} req/s p99 "
        f"{warm_base['p99']:6.1f} ms | call-next {warm_mine['rps']:6.1f} req/s p99 "
        f"{warm_mine['p99']:6.1f} ms"
    )
    for desks, runs in results.items():
        for index, run in enumerate(runs, 1):
            base, mine = run["baseline"], run["call-next"]
            print(
                f"  {desks:>2} desks, round {index}: baseline {base['rps']:6.1f} req/s "
                f"p99 {base['p99']:6.1f} ms | call-next {mine['rps']:6.1f} req/s "
                f"p50 {mine['p50']:6.1f} ms p99 {mine['p99']:6.1f} ms "
                f"(called {mine['called']}, still waiting {mine['left']}, "
                f"non-2xx {mine['errors']})"
            )
        rps = sum(r["call-next"]["rps"] for r in runs) / sum(r["baseline"]["rps"] for r in runs)
        p99 = max(r["call-next"]["p99"] / r["baseline"]["p99"] for r in runs)
        print(
            f"  -> {desks} desks: call-next at {rps:.2f}x the baseline's req/s (goal >= 0.25: "
            f"{'met' if rps >= 0.25 else 'NOT met'}), p99 at most {p99:.1f}x the baseline's "
            f"(goal <= 3: {'met' if p99 <= 3 else 'NOT met'})"
        )
    twice = called_twice()
    print(f"  tickets called twice: {twice}")
    output = log.read_text()
    runs = [warm_up, *(run for runs in results.values() for run in runs)]
    errors = sum(run[side]["errors"] for run in runs for side in run)
    if "Traceback" in output or errors:
        print(output[-4000:])
    assert twice == 0
    assert errors == 0
    assert all(run["call-next"]["left"] > 0 for runs in results.values() for run in runs)
