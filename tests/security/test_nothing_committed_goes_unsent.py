"""A booking committed without its confirmation (the process died between the commit
and the queue) is confirmed by the next sweep; a send whose worker died is retried
after ten minutes; nothing is ever sent twice."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from booking.models import Appointment, Notification, NotificationKind, NotificationStatus
from booking.services import jobs
from booking.services.notifications import notification_key
from tests.conftest import local, next_weekday
from tests.support import child_env

CRASHING_BOOKING = textwrap.dedent(
    """
    import datetime, os, signal, sys, django
    django.setup()
    from django.db import transaction
    from booking.models import Branch, Service
    from booking.services.appointments import CustomerData, appointment_book

    branch, service = Branch.objects.get(slug="mitte"), Service.objects.get(slug="beratung")
    with transaction.atomic():
        # Runs first after the commit: the process dies before the confirmation is queued.
        transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
        appointment_book(
            branch=branch, service=service, start=datetime.datetime.fromisoformat(sys.argv[1]),
            customer=CustomerData(name="Lukas Meier", email="lukas@example.org"),
        )
    """
)


@pytest.mark.django_db(transaction=True)
def test_a_booking_whose_process_was_killed_after_the_commit_is_confirmed_once(
    branch, service, anna, tmp_path
):
    start = local(next_weekday(2), 10)
    process = subprocess.run(
        [sys.executable, "-c", CRASHING_BOOKING, start.isoformat()],
        env=child_env(EMAIL_FILE_PATH=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == -9, process.stderr
    appointment = Appointment.objects.get()
    assert not Notification.objects.exists()

    later = timezone.now() + dt.timedelta(minutes=3)
    assert jobs.resend_lost_messages(now=later) == 1
    assert jobs.resend_lost_messages(now=later + dt.timedelta(minutes=1)) == 0
    assert len(mail.outbox) == 1
    note = Notification.objects.get(appointment=appointment)
    assert (note.kind, note.status) == (NotificationKind.CONFIRMATION, NotificationStatus.SENT)


@pytest.mark.django_db
def test_a_message_claimed_by_a_worker_that_died_is_sent_after_ten_minutes(
    branch, service, anna, lukas
):
    from booking.services.appointments import appointment_book

    appointment, _ = appointment_book(
        branch=branch, service=service, start=local(next_weekday(2), 10), customer=lukas
    )
    claimed = timezone.now()
    Notification.objects.create(
        appointment=appointment,
        kind=NotificationKind.CONFIRMATION,
        key=notification_key(appointment),
        claimed_at=claimed,
        attempts=1,
    )
    assert jobs.resend_lost_messages(now=claimed + dt.timedelta(minutes=5)) == 0
    assert mail.outbox == []
    assert jobs.resend_lost_messages(now=claimed + dt.timedelta(minutes=11)) == 1
    assert jobs.resend_lost_messages(now=claimed + dt.timedelta(minutes=30)) == 0
    assert len(mail.outbox) == 1


def test_the_sweep_runs_with_every_periodic_run():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "booking.tasks.resend_lost_messages" in tasks
