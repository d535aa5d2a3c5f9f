"""Versions under which availability is cached, and their bumping on every change.

Two versions: one for everything that shapes the hours (working hours, absences,
closures, advisors, services, branches), shared by all branches because such changes
are rare; and one per branch for its bookings. Cached schedules and answers are stored
under keys that name the versions they were computed under, so a bump makes every older
entry unreachable at once. A version is a random token, never a counter, so a version
key the cache evicted cannot come back with an old value and revive old entries.

A change bumps at once and again after its commit: a request that read the rows while
the change was still uncommitted stored its answer under the first bump's version,
which the second makes unreachable. So the next answer after a committed change never
shows its old state. The bumps follow the models' signals (``booking.subscriptions``);
a bulk write that sends none (``bulk_create``, ``QuerySet.update``) shows when the
entries expire, unless a signalled change commits with it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from booking.models import Advisor

HOURS_KEY = "availability:hours"


def _bookings_key(branch_id: int) -> str:
    return f"availability:bookings:{branch_id}"


def versions(branch_id: int) -> tuple[str, str]:
    """The hours version and the branch's bookings version, in one round trip."""
    keys = [HOURS_KEY, _bookings_key(branch_id)]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in keys:
            if key not in found:
                cache.add(key, secrets.token_hex(8), None)
        found = cache.get_many(keys)
    return found[keys[0]], found[keys[1]]


def _bump(keys: list[str]) -> None:
    cache.set_many({key: secrets.token_hex(8) for key in keys}, None)


def _bump_now_and_after_commit(keys: list[str]) -> None:
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def hours_changed() -> None:
    """Working hours, absences, closures, advisors, services or branch rules changed."""
    _bump_now_and_after_commit([HOURS_KEY])


def bookings_changed(branch_ids: Iterable[int]) -> None:
    """A booking was made, moved, cancelled or deleted that the advisor's branches show."""
    keys = [_bookings_key(branch_id) for branch_id in sorted(set(branch_ids))]
    if keys:
        _bump_now_and_after_commit(keys)


def booking_changed(*, branch_id: int, advisor_id: int | None) -> None:
    """A booking at ``branch_id`` changed: every branch its advisor works at shows it,
    since an advisor busy at one branch is busy at all of them."""
    branch_ids = {branch_id}
    if advisor_id is not None:
        memberships = Advisor.branches.through.objects.filter(advisor_id=advisor_id)
        branch_ids.update(memberships.values_list("branch_id", flat=True))
    bookings_changed(branch_ids)
