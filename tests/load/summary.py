"""The load test's summary table, printed from the JSON the locustfile writes:
``python -m tests.load.summary var/load/summary.json``."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def format_summary(summary: dict) -> str:
    lines = [
        "",
        f"Peak hour of {summary['branches']} branches at {summary['speed']:g}x speed "
        f"for {summary['seconds']:g} s: served {summary['simulated_branch_hours']:g} "
        f"branch peak-hours ({summary['achieved_speed']:g}x achieved)",
        f"{'what':<58} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p99 ms':>7}",
    ]
    for row in summary["rows"]:
        # HTTP rows are named with their method already; sockets and delays are not.
        name = (
            row["name"] if row["name"].startswith(row["kind"]) else f"{row['kind']} {row['name']}"
        )
        name = name[:58]
        lines.append(
            f"{name:<58} {row['count']:>7} {row['errors']:>6} "
            f"{row['p50_ms']:>7.0f} {row['p99_ms']:>7.0f}"
        )
    lines += [
        f"HTTP requests {summary['http_requests']} ({summary['requests_per_second']:g}/s), "
        f"errors {summary['errors']}",
        f"a branch's peak hour: {summary['requests_per_branch_hour']:g} requests",
        f"CPU: app tier (nginx, granian, uvicorn, Celery) {summary['app_cpu_seconds']:g} s, "
        f"PostgreSQL backends {summary['database_cpu_seconds']:g} s",
        "  app tier by process: "
        + ", ".join(f"{k} {v:g} s" for k, v in summary.get("app_cpu_by_process", {}).items()),
        f"one core carries {summary['branches_per_app_core']} branches at their peak hour "
        f"(app tier; {summary['branches_per_core_with_database']} counting the database), "
        f"{summary['requests_per_app_cpu_second']} requests per app CPU-second",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_summary(json.loads(Path(sys.argv[1]).read_text())))
