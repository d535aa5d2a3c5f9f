"""Every ``sh example`` block of the README runs, as printed, against a demo server.

The blocks run in order in one bash session, against a server this test starts over a
freshly seeded demo. Filiale 24/7 is put in a zone where it is morning now, so "today"
has free times ahead at whatever hour the suite runs (a real demo has the last half
hour before midnight without a bookable time today).
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from booking.models import Appointment, AppointmentStatus, Branch, Rating, Ticket, TicketStatus
from tests.conftest import morning_zone
from tests.support import child_env, start_asgi_server

from .readme_examples import ROOT, example_blocks, example_script, readme_examples

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_marker_finds_indented_blocks_and_leaves_plain_ones():
    text = "```sh\nnot run\n```\n1. step\n\n   ```sh example\n   echo one\n   ```\n"
    assert example_blocks(text) == ["echo one\n"]


def test_the_readme_has_runnable_examples():
    _source, blocks = readme_examples()
    assert len(blocks) >= 5
    assert any("/kiosk/check-in/" in block for block in blocks)


@pytest.fixture
def demo(settings, tmp_path):
    secrets = tmp_path / "demo-secrets.json"
    settings.DEMO_SECRETS_FILE = str(secrets)
    call_command("seed_demo", stdout=io.StringIO())
    Branch.objects.filter(slug="rund-um-die-uhr").update(timezone=morning_zone())
    env = {"DEMO_SECRETS_FILE": str(secrets), "EMAIL_FILE_PATH": str(tmp_path / "mail")}
    process, url = start_asgi_server(tmp_path / "server.log", **env)
    yield url, env
    process.terminate()
    process.wait(timeout=30)
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log


def test_every_readme_example_works_as_printed(demo):
    url, env = demo
    source, blocks = readme_examples()
    script = example_script(blocks, url=url, python=sys.executable)
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, f"{source}:\n{result.stdout}\n{result.stderr}"
    # What the walkthrough did is really there.
    assert Appointment.objects.filter(branch__slug="mitte").exists()
    visit = Appointment.objects.get(branch__slug="rund-um-die-uhr")
    assert visit.status == AppointmentStatus.CHECKED_IN
    assert Ticket.objects.filter(branch__slug="rund-um-die-uhr", status=TicketStatus.CALLED)
    assert Rating.objects.filter(appointment=visit, score=5).exists()
