"""The customer's side of a recovery: rebook (next free times first) and re-rate.

Both pages hang on the recovery's secret token, need no login and no JavaScript.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from booking.exceptions import Invalid, NotFound
from booking.models import Recovery, Service
from booking.selectors.availability import available_slots
from booking.selectors.catalog import bookable_services
from booking.services.recovery import recovery_by_token, recovery_rerate

from .views import _render

# The booking form remembers that the visitor came through a recovery link.
SESSION_KEY = "recovery_token"
NEXT_SLOTS = 8
LOOK_AHEAD_DAYS = 21
FACES = [
    (1, _("very unhappy"), "M35 70 Q50 56 65 70", "#b91c1c"),
    (2, _("unhappy"), "M35 68 Q50 61 65 68", "#c2410c"),
    (3, _("neutral"), "M35 66 L65 66", "#a16207"),
    (4, _("happy"), "M35 63 Q50 72 65 63", "#15803d"),
    (5, _("very happy"), "M33 60 Q50 78 67 60", "#166534"),
]


def _recovery(token: str) -> Recovery:
    try:
        return recovery_by_token(token)
    except NotFound as error:
        raise Http404(error.message) from None


def _service(recovery: Recovery) -> Service | None:
    """The service of the visit that went wrong, or else the branch's first bookable one."""
    branch = recovery.alert.branch
    bookable = bookable_services(branch).order_by("name")
    rated = recovery.alert.rating.service if recovery.alert.rating else None
    if rated is not None and bookable.filter(id=rated.id).exists():
        return rated
    return bookable.first()


def rebook(request: HttpRequest, token: str) -> HttpResponse:
    """The rebooking link: the branch's next free times, then the whole calendar."""
    recovery = _recovery(token)
    branch = recovery.alert.branch
    service = _service(recovery)
    request.session[SESSION_KEY] = token
    slots = []
    if service is not None:
        today = branch.local_date(timezone.now())
        slots = available_slots(
            branch=branch,
            service=service,
            first=today,
            last=today + dt.timedelta(days=LOOK_AHEAD_DAYS),
            now=timezone.now(),
        )[:NEXT_SLOTS]
    base = {"branch": branch.slug, "service": service.slug} if service else {}
    return _render(
        request,
        "recovery_rebook.html",
        {
            "branch": branch,
            "service": service,
            "slots": [
                {"start": slot.start, "url": _book_url({**base, "start": slot.start.isoformat()})}
                for slot in slots
            ],
            "calendar_url": _book_url(base or {"branch": branch.slug}),
        },
    )


def _book_url(query: dict) -> str:
    return f"{reverse('book')}?{urlencode(query)}"


@require_http_methods(["GET", "POST"])
def rerate(request: HttpRequest, token: str) -> HttpResponse:
    """Did we put it right? Five faces, one tap, no login."""
    recovery = _recovery(token)
    error = ""
    answered = recovery.rerated_score is not None
    if request.method == "POST" and not answered:
        try:
            recovery, _created = recovery_rerate(
                token=token, score=int(request.POST.get("score", "0") or 0)
            )
            answered = True
        except (Invalid, ValueError):
            error = _("Please choose one of the five faces.")
    return _render(
        request,
        "recovery_rerate.html",
        {
            "branch": recovery.alert.branch,
            "recovery": recovery,
            "answered": answered,
            "faces": FACES,
            "error": error,
        },
        status=400 if error else 200,
    )
