"""The layers hold: the import contracts in pyproject.toml ([tool.importlinter]), and no
import hidden inside a function to dodge a cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Deliberately late: Django's app registry, the kiosk command line that must set Kivy's
# environment before Kivy is imported, and OpenCV, optional, for a kiosk with a camera.
LATE_IMPORTS_ALLOWED = {"booking/apps.py", "kiosk/__main__.py", "kiosk/camera.py"}
LINT_IMPORTS = "from importlinter.cli import lint_imports_command as run; run()"


def test_the_import_contracts_are_kept():
    # In a process of its own: pytest's plugins trip import-linter's option parsing.
    result = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


def test_no_module_imports_inside_a_function():
    hidden = []
    for package in ("booking", "kiosk", "server"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in LATE_IMPORTS_ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    hidden.extend(
                        f"{relative}:{inner.lineno}"
                        for inner in ast.walk(node)
                        if isinstance(inner, ast.Import | ast.ImportFrom)
                    )
    assert hidden == []
