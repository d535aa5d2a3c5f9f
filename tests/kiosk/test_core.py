"""The kiosk's core (flow, client, outbox, manifest, settings) runs without Kivy and
without any server code: it is tested, and could run, on its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = [
    "kiosk.flow",
    "kiosk.client",
    "kiosk.outbox",
    "kiosk.manifest",
    "kiosk.config",
    "kiosk.messages",
    "kiosk.codes",
    "kiosk.speech",
    "kiosk.printer",
    "kiosk.camera",
    "kiosk.qr",
]


def test_the_core_imports_neither_kivy_nor_server_code():
    check = (
        f"import sys; import {', '.join(CORE)}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('kivy', 'booking', 'server', 'django', 'rest_framework')); print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
