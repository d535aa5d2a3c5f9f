"""The kiosk as installed: ``python -m kiosk --size 1280x800`` filling an X server's
screen (Xvfb, no window manager), typed at by real X keystrokes (xdotool), like a
keyboard-wedge scanner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy
import pytest
from PIL import ImageGrab

from booking.models import Appointment
from tests.kiosk.driver import SHOTS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.kiosk_app,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
    ),
]


def decoded(image) -> str:
    """The QR code on a screenshot, as a phone would read it."""
    pixels = cv2.cvtColor(numpy.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)
    text = cv2.QRCodeDetector().detectAndDecode(pixels)[0]
    return text or cv2.QRCodeDetectorAruco().detectAndDecode(pixels)[0]


def wait_until(condition, what: str, timeout: float = 90) -> None:
    """Another process is working: poll until it is done."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture
def display():
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=[write],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait(timeout=30)


def test_a_code_typed_on_the_x_keyboard_checks_in_on_the_full_screen_kiosk(world, display):
    appointment = world["appointment"]
    appointment.language = "en"
    appointment.save(update_fields=["language"])
    folder = Path(tempfile.mkdtemp(prefix="kiosk-x-"))
    token_file = folder / "token"
    token_file.write_text(world["token"])
    token_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY_", "SDL_"))}
    env.update(DISPLAY=display, PYTHONPATH=str(ROOT))
    log = folder / "kiosk.log"
    with open(log, "w") as output:
        kiosk = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "--server",
                world["url"],
                "--token-file",
                str(token_file),
                "--data-dir",
                str(folder / "data"),
                "--size",
                "1280x800",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: (folder / "data" / "device.json").exists(), "the kiosk's start")
        wait_until(lambda: "manifest of" in log.read_text(), "the manifest")
        xdotool = ["xdotool"]
        subprocess.run([*xdotool, "mousemove", "640", "400"], env=env, check=True)
        home = ImageGrab.grab(xdisplay=display)
        assert home.size == (1280, 800)
        subprocess.run([*xdotool, "type", "--delay", "40", world["appointment"].code], env=env)
        subprocess.run([*xdotool, "key", "Return"], env=env, check=True)
        wait_until(
            lambda: Appointment.objects.get().status == "checked_in", "the check-in on the server"
        )
        # The answer reaches the screen in the kiosk's next frames, fading in.
        shots = [ImageGrab.grab(xdisplay=display)]

        def settled() -> bool:
            shots.append(ImageGrab.grab(xdisplay=display))
            return bool(decoded(shots[-1])) and shots[-1].tobytes() == shots[-2].tobytes()

        wait_until(settled, "the result screen")
        (SHOTS / "xvfb").mkdir(parents=True, exist_ok=True)
        home.save(SHOTS / "xvfb" / "home-de.png")
        shots[-1].save(SHOTS / "xvfb" / "result-en.png")
        assert decoded(shots[-1]).startswith("http://127.0.0.1:8000/t/")
        assert shots[-1].getpixel((640, 30)) == home.getpixel((640, 30))  # the header bar
    finally:
        kiosk.terminate()
        kiosk.wait(timeout=30)
    assert "home screen shown" in log.read_text()
