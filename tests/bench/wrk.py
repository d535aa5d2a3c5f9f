"""Running ``wrk`` (Debian's, loopback only) and reading its figures."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def run_wrk(
    url: str, *, threads: int, connections: int, seconds: int, script: Path | None = None
) -> dict:
    """``{"rps", "p50", "p99", "errors"}`` of one run; latencies in milliseconds."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def number(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        return match.group(1) if match else None

    def millis(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        # At a line's start: the thread statistics above end in percentages, too.
        "p50": millis(number(r"^\s+50%\s+(\S+)")),
        "p99": millis(number(r"^\s+99%\s+(\S+)")),
        "errors": int(number(r"Non-2xx or 3xx responses: (\d+)") or 0),
    }
