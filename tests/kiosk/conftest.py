"""Kivy runs offscreen in this test process: set up before anything imports kivy."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
os.environ.setdefault("KIVY_WINDOW", "sdl2")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")


@pytest.fixture
def branch(branch_open_now):
    """Visits booked for "today" must find the branch open at any hour the suite runs."""
    return branch_open_now
