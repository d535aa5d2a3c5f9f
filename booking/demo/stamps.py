"""``created`` columns of the history's rows: the moment they were made in the history.

``auto_now_add`` reads the real clock, so rows are stamped again after the run."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Model
from django.db.models.signals import post_save

from booking.models import Alert, Appointment, Customer, Notification, Rating, Ticket
from booking.timeutils import resolve_now

STAMPED = (Alert, Appointment, Customer, Notification, Rating, Ticket)


class Stamps:
    def __init__(self) -> None:
        self._made: dict[type[Model], dict[int, dt.datetime]] = defaultdict(dict)

    def add(self, instance: Model, moment: dt.datetime) -> None:
        self._made[type(instance)].setdefault(instance.pk, moment)

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Note every row of a stamped model saved for the first time (tickets, written
        without signals, are added by the caller)."""

        def made(sender, instance, created, **kwargs) -> None:
            if created and sender in STAMPED:
                self.add(instance, resolve_now(None))

        post_save.connect(made, weak=False, dispatch_uid=id(self))
        try:
            yield
        finally:
            post_save.disconnect(dispatch_uid=id(self))

    def save(self) -> None:
        for model, made in self._made.items():
            rows = [model(pk=pk, created=moment) for pk, moment in made.items()]
            model.objects.bulk_update(rows, ["created"], batch_size=500)
