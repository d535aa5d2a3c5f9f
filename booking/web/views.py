"""Customer pages: book in four steps, and the private manage page of a booking.

Plain GET links carry the choices (branch, service, day, time), so the flow works
without JavaScript, can be bookmarked, and the browser's back button does the right
thing. All rules run in the booking services, exactly as for the API.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from booking.exceptions import BookingError, Invalid
from booking.models import Advisor, Appointment, Branch, Channel, OpeningHours, Service
from booking.selectors.availability import available_slots
from booking.services.appointments import (
    CustomerData,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    last_advisor_id,
)
from booking.services.codes import format_code
from booking.services.documents import manage_url

from .forms import DetailsForm

DAYS_SHOWN = 14


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
    return branch.services.filter(slug=slug, active=True, online_bookable=True).first()


def _advisor(branch: Branch, service: Service, value: str | None) -> Advisor | None:
    if not value or not str(value).isdigit():
        return None
    return Advisor.objects.filter(id=value, active=True, branches=branch, services=service).first()


def _start(value: str | None, branch: Branch) -> dt.datetime | None:
    try:
        start = parse_datetime(value or "")
    except ValueError:
        return None
    if start is None:
        return None
    return start if start.tzinfo else start.replace(tzinfo=branch.tz)


def _days(branch, service, advisor, first: dt.date, exclude_appointment_id=None):
    """Free slots of the next days, grouped by local day: [(day, [slots])]."""
    slots = available_slots(
        branch=branch,
        service=service,
        first=first,
        last=first + dt.timedelta(days=DAYS_SHOWN - 1),
        now=timezone.now(),
        advisor_id=advisor.id if advisor else None,
        exclude_appointment_id=exclude_appointment_id,
    )
    return [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.start.date())]


def _chosen_day(days, wanted: str | None):
    day = parse_date(wanted or "") if wanted else None
    for listed, slots in days:
        if listed == day:
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
        services = branch.services.filter(active=True, online_bookable=True)
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
                }
            ),
        )
    return _render(request, "slots.html", _slot_context(request, branch, service, advisor))


def _slot_context(request, branch, service, advisor, *, wanted_day=None, exclude=None) -> dict:
    today = branch.local_date(timezone.now())
    days = _days(branch, service, advisor, today, exclude)
    day, slots = _chosen_day(days, wanted_day or request.GET.get("day"))
    advisors = Advisor.objects.filter(active=True, branches=branch, services=service)
    chosen = {"branch": branch.slug, "service": service.slug}
    if advisor:
        chosen["advisor"] = advisor.id
    return {
        "branch": branch,
        "service": service,
        "advisor": advisor,
        "advisors": advisors,
        "days": days,
        "day": day,
        "slots": slots,
        "step": 3,
        "query_prefix": "" if exclude else urlencode(chosen) + "&",
        "slot_base": request.path if exclude else reverse("book"),
    }


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
            _slot_context(
                request, branch, service, advisor, wanted_day=branch.local_date(start).isoformat()
            )
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
    try:
        appointment, _created = appointment_book(
            branch=branch,
            service=service,
            start=start,
            advisor=advisor,
            channel=Channel.WEB,
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
    return redirect(f"{reverse('manage', args=[appointment.manage_token])}?booked=1")


def _appointment(token: str) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("branch", "service", "advisor", "customer"),
        manage_token=token,
    )


def _manage_context(appointment: Appointment) -> dict:
    again = {"branch": appointment.branch.slug, "service": appointment.service.slug}
    last = last_advisor_id(appointment.customer)
    if last:
        again["advisor"] = last
    return {
        "appointment": appointment,
        "branch": appointment.branch,
        "code": format_code(appointment.code),
        "manage_url": manage_url(appointment),
        "changeable": appointment.status == "booked" and appointment.start > timezone.now(),
        "book_again": f"{reverse('book')}?{urlencode(again)}",
        "last_advisor": Advisor.objects.filter(id=last).first() if last else None,
    }


def manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    context = _manage_context(appointment)
    context["booked"] = request.GET.get("booked") == "1"
    context["moved"] = request.GET.get("moved") == "1"
    return _render(request, "manage.html", context)


@require_http_methods(["GET", "POST"])
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
            exclude=appointment.id,
        )
    )
    context.update({"error": error, "step": None})
    return _render(request, "reschedule.html", context, status=409 if error else 200)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    context = _manage_context(appointment)
    if request.method == "POST" and context["changeable"]:
        appointment_cancel(appointment=appointment, channel=Channel.WEB)
        return redirect("manage", token=token)
    return _render(request, "cancel.html", context)


def privacy(request: HttpRequest) -> HttpResponse:
    return _render(request, "privacy.html", {})
