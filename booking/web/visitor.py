"""The visitor's pages: their ticket's status link, leaving the queue, switching away
from a late advisor, and joining a queue from outside.

Every page works without JavaScript (forms, and a status page that refreshes itself);
with it, the status page follows the ticket live over ``/ws/tickets/<token>/``.
"""

from __future__ import annotations

import uuid

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from booking.api.serializers import phone_validator
from booking.exceptions import BookingError, Invalid, Throttled
from booking.models import OPEN_TICKET_STATUSES, Branch, Service, TicketStatus
from booking.presenters.visitor import status_payload
from booking.selectors.catalog import walk_in_services
from booking.selectors.visitor import Visit, visit_by_token
from booking.services.visitor import queue_join, ticket_leave, ticket_switch
from booking.throttling import throttle_hit

from .forms import LANGUAGES

# A page without JavaScript looks again this often while the visitor waits.
REFRESH_SECONDS = 30


def _visit(token: str) -> Visit:
    visit = visit_by_token(token)
    if visit is None:
        raise Http404
    return visit


def _private(response: HttpResponse) -> HttpResponse:
    """The page belongs to whoever holds the link: not cached, not passed on, not indexed.

    ``same-origin``, not ``no-referrer``: the address never leaves the site, and the
    page's own forms keep their ``Origin`` (the CSRF check needs it).
    """
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _status_page(request: HttpRequest, token: str, *, error: str = "", status: int = 200):
    visit = _visit(token)
    data = status_payload(visit, timezone.now())
    context = {
        "status": data,
        "token": token,
        "error": error,
        "switched": request.GET.get("switched") == "1",
        "refresh": REFRESH_SECONDS if data["status"] == TicketStatus.WAITING else None,
        "open": data["status"] in OPEN_TICKET_STATUSES,
        "live_texts": {"live": str(_("Live")), "offline": str(_("Reconnecting…"))},
    }
    return _private(render(request, "booking/web/status.html", context, status=status))


@require_http_methods(["GET", "HEAD"])
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    return _status_page(request, token)


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, token: str) -> HttpResponse:
    """Asks first; the visitor's place is gone once they confirm."""
    visit = _visit(token)
    if request.method == "POST":
        try:
            ticket_leave(visit=visit)
        except BookingError as error:
            return _status_page(request, token, error=error.message, status=409)
        return redirect("ticket-status-page", token=token)
    data = status_payload(visit, timezone.now())
    if not data["can_leave"]:
        return redirect("ticket-status-page", token=token)
    context = {"status": data, "token": token}
    return _private(render(request, "booking/web/status_leave.html", context))


@require_POST
def switch(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket_switch(visit=_visit(token))
    except BookingError as error:
        return _status_page(request, token, error=error.message, status=409)
    return redirect(f"{reverse('ticket-status-page', args=[token])}?switched=1")


class JoinForm(forms.Form):
    """Who joins the queue: a name for the desk, and optionally where to send messages."""

    service = forms.ChoiceField(label=_("What do you need?"))
    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Mobile number (optional, for an SMS when it is almost your turn)"),
        max_length=40,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail (optional, if you have no mobile number)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(label=_("Language of our messages"), choices=LANGUAGES)
    # Made with the form: a resent form finds the number the first one took.
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.slug, s.display_name) for s in services]


def _branch(slug: str | None) -> Branch | None:
    return Branch.objects.filter(slug=slug, active=True).first() if slug else None


def _walk_in_services(branch: Branch):
    return walk_in_services(branch).order_by("name")


def _join_page(request, branch: Branch, form: JoinForm, *, error: str = "", status: int = 200):
    context = {"branch": branch, "form": form, "error": error}
    with timezone.override(branch.tz):
        return render(request, "booking/web/join.html", context, status=status)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """``/queue/?branch=<slug>``: take a number from outside and follow it on the phone."""
    branch = _branch(request.GET.get("branch") or request.POST.get("branch"))
    if branch is None:
        branches = Branch.objects.filter(active=True, remote_queue=True)
        return render(request, "booking/web/join_branches.html", {"branches": branches})
    services = _walk_in_services(branch)
    if request.method == "GET":
        form = JoinForm(
            services=services,
            initial={"language": translation.get_language()[:2], "client_id": uuid.uuid4()},
        )
        return _join_page(request, branch, form)
    form = JoinForm(request.POST, services=services)
    try:
        # Counted together with the API's joins and the bookings: the "booking" throttle.
        throttle_hit("booking", request.META.get("REMOTE_ADDR", ""))
    except Throttled as error:
        response = _join_page(request, branch, form, error=error.message, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    if not form.is_valid():
        return _join_page(request, branch, form, status=400)
    data = form.cleaned_data
    try:
        ticket, _created = queue_join(
            branch=branch,
            service=Service.objects.get(slug=data["service"]),
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            language=data["language"],
            client_id=data["client_id"],
        )
    except Invalid as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _join_page(request, branch, form, status=400)
    except BookingError as error:
        return _join_page(request, branch, form, error=error.message, status=409)
    return redirect("ticket-status-page", token=ticket.visit_root.status_token)
