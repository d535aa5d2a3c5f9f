"""The load test's summary table (tests/load/summary.py); the run itself is scripts/loadtest."""

from __future__ import annotations

from tests.load.summary import format_summary

SUMMARY = {
    "branches": 200,
    "speed": 2.0,
    "achieved_speed": 1.9,
    "seconds": 150.0,
    "simulated_branch_hours": 15.8,
    "http_requests": 3000,
    "requests_per_second": 20.0,
    "requests_per_branch_hour": 190.0,
    "errors": 0,
    "app_cpu_seconds": 90.0,
    "database_cpu_seconds": 15.0,
    "requests_per_app_cpu_second": 33.3,
    "branches_per_app_core": 632,
    "branches_per_core_with_database": 542,
    "rows": [
        {"kind": "POST", "name": "POST /api/v1/kiosk/check-in/", "count": 200,
         "errors": 0, "p50_ms": 40.0, "p99_ms": 300.0},
        {"kind": "LIVE", "name": "check-in -> staff page (WebSocket)", "count": 190,
         "errors": 0, "p50_ms": 120.0, "p99_ms": 700.0},
    ],
}  # fmt: skip


def test_http_rows_keep_their_name_and_delays_say_what_they_are():
    lines = format_summary(SUMMARY).splitlines()
    assert any(line.startswith("POST /api/v1/kiosk/check-in/ ") for line in lines)
    assert any(line.startswith("LIVE check-in -> staff page") for line in lines)


def test_the_summary_gives_errors_and_the_branches_one_core_carries():
    text = format_summary(SUMMARY)
    assert "errors 0" in text
    assert "one core carries 632 branches" in text
