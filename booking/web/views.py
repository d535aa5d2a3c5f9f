"""Customer pages: book in four steps, and the private manage page of a booking.

Plain GET links carry the choices (branch, service, day, time), so the flow works
without JavaScript, can be bookmarked, and the browser's back button does the right
thing. All rules run in the booking services, exactly as for the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from booking.errorpages import throttled_response
from booking.exceptions import BookingError, Invalid, Throttled
from booking.models import (
    Advisor,
    Appointment,
    AppointmentStatus,
    Branch,
    Channel,
    OpeningHours,
    Service,
)
from booking.selectors.availability import available_slots
from booking.selectors.catalog import bookable_services
from booking.services.appointments import (
    CustomerData,
    appointment_book,
    appointment_cancel,
    appointment_change_phone,
    appointment_is_changeable,
    appointment_reschedule,
)
from booking.services.codes import format_code
from booking.services.documents import manage_url
from booking.services.recovery import recovery_mark_booked
from booking.throttling import client_address, throttle_hit
from booking.validators import parse_day

from .forms import DetailsForm, PhoneForm, form_token_key, form_token_new

DAYS_SHOWN = 14
PAGE = dt.timedelta(days=DAYS_SHOWN)


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render with times on the branch's wall clock (where the visitor will be)."""
    branch = context.get("branch")
    with timezone.override(branch.tz if branch else timezone.get_default_timezone()):
        return render(request, f"booking/web/{template}", context, status=status)


def _branch(slug: str | None) -> Branch | None:
    return Branch.objects.filter(slug=slug, active=True).first() if slug else None


def _service(branch: Branch, slug: str | None) -> Service | None:
    if not slug:
        return None
    return bookable_services(branch).filter(slug=slug).first()


def _advisor(branch: Branch, service: Service, value: str | None) -> Advisor | None:
    if not value or not str(value).isdigit():
        return None
    return Advisor.objects.filter(id=value, active=True, branches=branch, services=service).first()


def _start(value: str | None, branch: Branch) -> dt.datetime | None:
    """A time from a link or form; None when malformed, impossible or out of range."""
    try:
        start = parse_datetime(value or "")
    except ValueError:
        return None
    if start is None or parse_day(start.date().isoformat()) is None:
        return None
    return start if start.tzinfo else start.replace(tzinfo=branch.tz)


def _days(branch, service, advisor, first: dt.date, last: dt.date, *, exclude=None):
    """Free slots of the days ``first``..``last``, grouped by local day: [(day, [slots])].

    Rescheduling leaves the booking's own time out (``exclude``): it is no choice.
    """
    slots = available_slots(
        branch=branch,
        service=service,
        first=first,
        last=last,
        now=timezone.now(),
        advisor_id=advisor.id if advisor else None,
        exclude_appointment_id=exclude.id if exclude else None,
    )
    if exclude is not None:
        slots = [slot for slot in slots if slot.start != exclude.start]
    return [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.start.date())]


@dataclass(frozen=True)
class Window:
    """The days one page shows: ``DAYS_SHOWN`` at a time, from today to the horizon."""

    first: dt.date
    last: dt.date
    earlier: dt.date | None
    later: dt.date | None


def _window(branch: Branch, wanted_from: str | None, wanted_day: dt.date | None) -> Window:
    now = timezone.now()
    today = branch.local_date(now)
    horizon = branch.local_date(now + dt.timedelta(days=branch.horizon_days))
    first = _date(wanted_from)
    if first is None and wanted_day is not None and wanted_day >= today + PAGE:
        first = wanted_day  # a day further out than the first page: start there
    first = min(max(first or today, today), horizon)
    last = min(first + PAGE - dt.timedelta(days=1), horizon)
    return Window(
        first=first,
        last=last,
        earlier=max(first - PAGE, today) if first > today else None,
        later=last + dt.timedelta(days=1) if last < horizon else None,
    )


def _date(value) -> dt.date | None:
    return value if isinstance(value, dt.date) else parse_day(value)


def _chosen_day(days, wanted: dt.date | None):
    for listed, slots in days:
        if listed == wanted:
            return listed, slots
    return days[0] if days else (None, [])


def book(request: HttpRequest) -> HttpResponse:
    """Steps 1-3: branch, service, day and time (each a plain link)."""
    branch = _branch(request.GET.get("branch"))
    if branch is None:
        branches = Branch.objects.filter(active=True).prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
        )
        return _render(request, "branches.html", {"branches": branches, "step": 1})
    service = _service(branch, request.GET.get("service"))
    if service is None:
        services = bookable_services(branch)
        return _render(
            request, "services.html", {"branch": branch, "services": services, "step": 2}
        )
    advisor = _advisor(branch, service, request.GET.get("advisor"))
    start = _start(request.GET.get("start"), branch)
    if start is not None:
        return _details(
            request,
            branch,
            service,
            advisor,
            start,
            DetailsForm(
                initial={
                    "language": translation.get_language()[:2],
                    "start": start.isoformat(),
                    "advisor": advisor.id if advisor else None,
                    "form_token": form_token_new(),
                }
            ),
        )
    return _render(request, "slots.html", _slot_context(request, branch, service, advisor))


def _slot_context(request, branch, service, advisor, *, wanted_day=None, exclude=None) -> dict:
    """Days with free times, a page of ``DAYS_SHOWN`` at a time, and the chosen day's times.

    ``exclude`` is the appointment being moved: its own time is free for it, yet no choice.
    """
    wanted = _date(wanted_day or request.GET.get("day"))
    window = _window(branch, request.GET.get("from"), wanted)
    days = _days(branch, service, advisor, window.first, window.last, exclude=exclude)
    day, slots = _chosen_day(days, wanted)
    advisors = Advisor.objects.filter(active=True, branches=branch, services=service)
    chosen = {} if exclude else {"branch": branch.slug, "service": service.slug}
    if advisor:
        chosen["advisor"] = advisor.id
    base = request.path if exclude else reverse("book")
    # Day links keep the page of days; time links need only the choices so far.
    page = {**chosen, "from": window.first.isoformat()} if window.earlier else chosen
    return {
        "branch": branch,
        "service": service,
        "advisor": advisor,
        "advisors": advisors,
        "days": days,
        "day": day,
        "slots": slots,
        "window": window,
        "step": 3,
        "query_prefix": urlencode(chosen) + "&" if chosen else "",
        "day_prefix": urlencode(page) + "&" if page else "",
        "earlier_url": _page_url(base, chosen, window.earlier),
        "later_url": _page_url(base, chosen, window.later),
        "slot_base": base,
    }


def _page_url(base: str, chosen: dict, first: dt.date | None) -> str:
    if first is None:
        return ""
    return f"{base}?{urlencode({**chosen, 'from': first.isoformat()})}"


def _details(request, branch, service, advisor, start, form, *, taken: str = "") -> HttpResponse:
    context = {
        "branch": branch,
        "service": service,
        "advisor": advisor,
        "start": start,
        "form": form,
        "step": 4,
        "taken": taken,
    }
    if taken:
        context.update(
            _slot_context(request, branch, service, advisor, wanted_day=branch.local_date(start))
        )
        context["step"] = 4
    return _render(request, "details.html", context, status=409 if taken else 200)


@require_http_methods(["POST"])
def book_submit(request: HttpRequest) -> HttpResponse:
    """Step 4: who is coming. Success leads to the booking's own page."""
    branch = _branch(request.POST.get("branch"))
    service = _service(branch, request.POST.get("service")) if branch else None
    if service is None:
        raise Http404
    try:
        # Counted with POST /api/v1/appointments/: one budget per address, valid or not.
        throttle_hit("booking", client_address(request))
    except Throttled as error:
        return throttled_response(request, error)
    form = DetailsForm(request.POST)
    start = _start(request.POST.get("start"), branch)
    advisor = _advisor(branch, service, request.POST.get("advisor"))
    if start is None:
        return redirect(
            f"{reverse('book')}?{urlencode({'branch': branch.slug, 'service': service.slug})}"
        )
    if not form.is_valid():
        return _details(request, branch, service, advisor, start, form)
    data = form.cleaned_data
    key = form_token_key(data["form_token"])
    if key is None:
        # Forged or hours old: keep what was typed, ask to send again with a fresh token.
        form = DetailsForm({**request.POST.dict(), "form_token": form_token_new()})
        form.is_valid()
        form.add_error(None, _("This form has expired. Please check your details and book."))
        return _details(request, branch, service, advisor, start, form)
    try:
        appointment, _created = appointment_book(
            branch=branch,
            service=service,
            start=start,
            advisor=advisor,
            channel=Channel.WEB,
            idempotency_key=key,
            customer=CustomerData(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                language=data["language"],
            ),
            topic=data["topic"],
        )
    except Invalid as error:
        shown = error.field in form.fields and not form.fields[error.field].widget.is_hidden
        form.add_error(error.field if shown else None, error.message)
        return _details(request, branch, service, advisor, start, form)
    except BookingError as error:
        return _details(request, branch, service, advisor, start, form, taken=error.message)
    # Booked after following a recovery message's link: the manager sees it worked.
    recovery_token = request.session.pop("recovery_token", None)
    if recovery_token:
        recovery_mark_booked(token=recovery_token, appointment=appointment)
    return redirect(f"{reverse('manage', args=[appointment.manage_token])}?booked=1")


def _appointment(token: str) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("branch", "service", "advisor", "customer"),
        manage_token=token,
    )


def _last_served_advisor(appointment: Appointment) -> Advisor | None:
    """The advisor of the customer's last visit that took place (none before the first)."""
    served = (
        appointment.customer.appointments.filter(status=AppointmentStatus.SERVED)
        .select_related("advisor")
        .order_by("-start")
        .first()
    )
    return served.advisor if served and served.advisor.active else None


def _manage_context(appointment: Appointment) -> dict:
    again = {"branch": appointment.branch.slug, "service": appointment.service.slug}
    last = _last_served_advisor(appointment) if appointment.customer_id else None
    if last:
        again["advisor"] = last.id
    return {
        "appointment": appointment,
        "branch": appointment.branch,
        "code": format_code(appointment.code),
        "manage_url": manage_url(appointment),
        "changeable": appointment_is_changeable(appointment, timezone.now()),
        # Offered once there is someone to see again, or when this booking is off.
        "book_again": f"{reverse('book')}?{urlencode(again)}",
        "last_advisor": last,
        "offer_new_booking": last is not None or appointment.status == AppointmentStatus.CANCELLED,
    }


@never_cache
def manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    context = _manage_context(appointment)
    context["booked"] = request.GET.get("booked") == "1"
    context["moved"] = request.GET.get("moved") == "1"
    context["phone_saved"] = request.GET.get("phone") == "1"
    context["phone_form"] = PhoneForm(initial={"phone": appointment.contact_phone})
    return _render(request, "manage.html", context)


@require_http_methods(["POST"])
@never_cache
def change_phone(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    context = _manage_context(appointment)
    form = PhoneForm(request.POST)
    if context["changeable"] and form.is_valid():
        appointment_change_phone(
            appointment=appointment, phone=form.cleaned_data["phone"], channel=Channel.WEB
        )
        return redirect(f"{reverse('manage', args=[token])}?phone=1")
    context["phone_form"] = form
    return _render(request, "manage.html", context, status=400)


@require_http_methods(["GET", "POST"])
@never_cache
def reschedule(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    context = _manage_context(appointment)
    if not context["changeable"]:
        return redirect("manage", token=token)
    error = ""
    if request.method == "POST":
        start = _start(request.POST.get("start"), appointment.branch)
        if start is not None:
            try:
                appointment_reschedule(appointment=appointment, start=start, channel=Channel.WEB)
                return redirect(f"{reverse('manage', args=[token])}?moved=1")
            except BookingError as failure:
                error = failure.message
    context.update(
        _slot_context(
            request,
            appointment.branch,
            appointment.service,
            None,
            wanted_day=request.GET.get("day"),
            exclude=appointment,
        )
    )
    context.update({"error": error, "step": None})
    return _render(request, "reschedule.html", context, status=409 if error else 200)


@require_http_methods(["GET", "POST"])
@never_cache
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    context = _manage_context(appointment)
    if request.method == "POST" and context["changeable"]:
        appointment_cancel(appointment=appointment, channel=Channel.WEB)
        return redirect("manage", token=token)
    return _render(request, "cancel.html", context)


def privacy(request: HttpRequest) -> HttpResponse:
    return _render(request, "privacy.html", {})
