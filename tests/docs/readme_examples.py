"""The README's runnable shell examples: fenced blocks marked ``sh example``."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
README = ROOT / "README.md"
DEMO_URL = "http://127.0.0.1:8000"

BLOCK = re.compile(r"^([ \t]*)```sh example[^\n]*\n(.*?)^[ \t]*```[ \t]*$", re.M | re.S)

# Every curl fails on an HTTP error and prints its answer on a line of its own.
PRELUDE = """set -euo pipefail
curl() { command curl --silent --show-error --fail-with-body "$@"; echo; }
"""


def example_blocks(text: str) -> list[str]:
    return [textwrap.dedent(indent + body) for indent, body in BLOCK.findall(text)]


def readme_examples() -> tuple[Path, list[str]]:
    return README, example_blocks(README.read_text())


def example_script(blocks: list[str], *, url: str, python: str) -> str:
    """One bash script of the blocks in order, pointed at ``url`` and ``python``."""
    pointed = [block.replace(DEMO_URL, url).replace(".venv/bin/python", python) for block in blocks]
    return PRELUDE + "\n".join(
        f"echo '### example {n}'\n{block}" for n, block in enumerate(pointed, 1)
    )
