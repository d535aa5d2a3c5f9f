"""Messages while waiting through a real Celery worker on Redis (CI's PostgreSQL run).

Skipped unless ``TEST_CELERY_BROKER_URL`` names a Redis broker.
"""

from __future__ import annotations

import pytest

from booking.models import EventKind, JourneyEvent, Notification, NotificationKind
from booking.services import queue
from tests.booking.test_worker_jobs import BROKER, worker  # noqa: F401  (the worker fixture)
from tests.support import wait_for

from .conftest import JOIN, sent_sms

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not BROKER, reason="set TEST_CELERY_BROKER_URL to run a real worker"),
    pytest.mark.django_db(transaction=True),
]

PHONE = "+49 170 7654321"


def sent(kind: str) -> bool:
    return Notification.objects.filter(kind=kind, status="sent").exists()


def test_the_worker_tells_a_remote_visitor_once_each(worker, api, anna, branch):  # noqa: F811
    body = {"service": "beratung", "name": "Lukas Meier", "phone": PHONE, "language": "en"}
    answer = api.post(JOIN, body, format="json").json()
    wait_for(lambda: sent(NotificationKind.TURN_SOON), what="almost your turn")
    queue.ticket_call_next(advisor=anna, branch=branch)
    wait_for(lambda: sent(NotificationKind.CALLED), what="please go to")
    worker["wait_idle"]()
    texts = sent_sms(worker["sms"])
    assert len(texts) == 2
    assert sum("almost your turn" in text for text in texts) == 1
    assert sum("Raum 2" in text and answer["status_url"] in text for text in texts) == 1
    kinds = JourneyEvent.objects.filter(ticket_id=answer["id"]).values_list("kind", flat=True)
    assert {EventKind.TURN_SOON_SENT, EventKind.CALL_SENT} <= set(kinds)


def test_a_message_job_delivered_twice_sends_once(worker, api, anna):  # noqa: F811
    from booking.tasks import send_ticket_message

    body = {"service": "beratung", "name": "Lukas Meier", "phone": PHONE}
    answer = api.post(JOIN, body, format="json").json()
    send_ticket_message.delay(answer["id"], NotificationKind.TURN_SOON)
    send_ticket_message.delay(answer["id"], NotificationKind.TURN_SOON)
    wait_for(lambda: sent(NotificationKind.TURN_SOON), what="almost your turn")
    worker["wait_idle"]()
    assert len(sent_sms(worker["sms"])) == 1
    assert Notification.objects.get(kind=NotificationKind.TURN_SOON).attempts == 1
