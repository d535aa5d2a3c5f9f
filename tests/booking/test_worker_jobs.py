"""The job pipeline with a real Celery worker process on Redis (CI's PostgreSQL run).

Skipped unless ``TEST_CELERY_BROKER_URL`` names a Redis broker.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from booking.models import Appointment, EventKind, JourneyEvent, Notification
from server.celery import app
from tests.conftest import local, next_weekday
from tests.support import booked, child_env, wait_for

BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "")
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not BROKER, reason="set TEST_CELERY_BROKER_URL to run a real worker"),
    pytest.mark.django_db(transaction=True),
]


def use_broker(**conf) -> None:
    app.conf.update(conf)
    # Eager tasks of earlier tests pooled connections to the old broker: drop them, as
    # Celery itself does after a fork.
    app._after_fork()


@pytest.fixture
def worker(tmp_path, transactional_db):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir, sms_dir = tmp_path / "mail", tmp_path / "sms"
    env = child_env(
        CELERY_BROKER_URL=BROKER,
        CELERY_QUEUE=queue,
        EMAIL_FILE_PATH=str(mail_dir),
        SMS_FILE_PATH=str(sms_dir),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "server",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    use_broker(broker_url=BROKER, task_always_eager=False, task_default_queue=queue)
    broker = redis.Redis.from_url(BROKER)

    def idle() -> bool:
        """Nothing queued and nothing running: every delivered job has finished."""
        if broker.llen(queue):
            return False
        active = app.control.inspect(timeout=0.5).active() or {}
        return bool(active) and not any(active.values())

    try:
        wait_for(lambda: app.control.ping(timeout=0.5), what="the worker to answer")
        yield {"mail": mail_dir, "sms": sms_dir, "wait_idle": lambda: wait_for(idle, what="idle")}
    finally:
        use_broker(**saved)
        process.terminate()
        output, _ = process.communicate(timeout=30)
        if "Traceback" in output:
            print(output)


def mails(folder: Path) -> list[str]:
    return [p.read_text() for p in folder.glob("*.log")] if folder.exists() else []


def test_a_booking_is_confirmed_by_the_worker(worker, api, anna):
    body = {
        "branch": "mitte",
        "service": "beratung",
        "start": local(next_weekday(2), 10).isoformat(),
        "customer": {"name": "Lukas Meier", "email": "lukas@example.org"},
    }
    booked = api.post("/api/v1/appointments/", body, format="json").json()
    wait_for(lambda: Notification.objects.filter(status="sent").exists(), what="the confirmation")
    sent = mails(worker["mail"])
    assert len(sent) == 1
    assert booked["code"][:4] in sent[0]
    assert JourneyEvent.objects.filter(kind=EventKind.CONFIRMATION_SENT).count() == 1


def test_a_job_delivered_twice_sends_once(worker, branch, service, anna):
    from booking.tasks import send_notification

    appointment = _appointment(branch, service, anna, local(next_weekday(2), 11))
    send_notification.delay(appointment.id, "confirmation")
    send_notification.delay(appointment.id, "confirmation")
    wait_for(lambda: Notification.objects.filter(status="sent").exists(), what="the confirmation")
    worker["wait_idle"]()
    assert len(mails(worker["mail"])) == 1
    assert Notification.objects.get().attempts == 1


def test_the_reminder_sweep_sends_each_reminder_once(worker, branch, service, anna):
    from booking.tasks import send_due_reminders

    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=24)
    appointment = _appointment(branch, service, anna, start)
    send_due_reminders.delay()
    send_due_reminders.delay()
    wait_for(
        lambda: Notification.objects.filter(kind="reminder_email", status="sent").exists(),
        what="the reminder",
    )
    worker["wait_idle"]()
    assert Notification.objects.filter(appointment=appointment, kind="reminder_email").count() == 1
    assert len(mails(worker["mail"])) == 1


def _appointment(branch, service, advisor, start) -> Appointment:
    return booked(branch=branch, service=service, advisor=advisor, start=start)
