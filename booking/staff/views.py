"""Staff pages: the advisor's workstation, the manager's live page, the lobby screen.

The pages render the first state on the server and then follow the branch live over
WebSockets; every action goes through the same JSON API as any other client.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from booking.api.views_analytics import PeriodQuery
from booking.models import (
    RATING_TAGS,
    Advisor,
    AdvisorStatus,
    AppointmentStatus,
    Branch,
    Channel,
    PauseReason,
    TicketStatus,
)
from booking.presenters.floor import display_payload, queue_payload
from booking.selectors import analytics
from booking.selectors.access import advisor_of, managed_branches, staff_branch_of, staff_branches
from booking.selectors.catalog import bookable_services, walk_in_services
from booking.selectors.service_levels import within_target_day
from booking.selectors.stats import branch_day_stats

from . import charts, levels

# Words the pages' scripts show, translated on the server.
TEXTS = {
    "early": _("early"),
    "on_time": _("on time"),
    "late": _("late"),
    "appointment": _("appointment"),
    "walk_in": _("walk-in"),
    "priority": _("priority"),
    "waiting": _("waiting"),
    "called": _("called"),
    "serving": _("serving"),
    "nobody": _("Nobody is with you. Press “Call next”."),
    "none_waiting": _("Nobody is waiting."),
    "none_mine": _("None of your visitors is waiting."),
    "nobody_for_you": _("Nobody is waiting for you right now."),
    "arrived": _("%(name)s has arrived (%(number)s)."),
    "minutes": _("%(n)s min"),
    "at": _("at %(time)s"),
    "waited": _("waited %(n)s min"),
    "live": _("live"),
    "offline": _("reconnecting…"),
    "history": _("Earlier visits"),
    "rated": _("rated %(score)s"),
    "last_hour": _("last hour: Ø %(avg)s (%(n)s)"),
    "no_ratings": _("No ratings yet today."),
    "no_alerts": _("No open alerts."),
    "acknowledge": _("Acknowledge"),
    "resolve": _("Resolve"),
    "note": _("What was done?"),
    "overdue": _("overdue"),
    "due": _("due %(time)s"),
    "owner": _("owner: %(name)s"),
    "open": _("open"),
    "acknowledged": _("acknowledged"),
    "resolved": _("resolved"),
    "called_now": _("Please go to %(location)s"),
    # the desk, breaks and running late
    "no_breaks": _("No breaks yet today."),
    "running_late": _("running %(n)s min late"),
    "paused_for": _("paused: %(reason)s"),
    "topic": _("Wants to talk about: %(topic)s"),
    "feedback_mean": _("Mean %(avg)s from %(count)s ratings"),
    "no_feedback": _("No ratings of your visits yet."),
    "week_of": _("week of %(date)s"),
    **{f"reason_{value}": label for value, label in PauseReason.choices},
    **{f"status_{value}": label for value, label in AdvisorStatus.choices},
    # Joined the queue from outside and follows it on the phone: maybe not here yet.
    "remote": _("joined online, may not be here yet"),
}


def texts() -> dict[str, str]:
    return {key: str(value) for key, value in TEXTS.items()}


class StaffLoginView(auth_views.LoginView):
    template_name = "booking/staff/login.html"
    redirect_authenticated_user = True


def _staff_branch(request: HttpRequest, slug: str) -> Branch:
    branch = staff_branch_of(request.user, slug)
    if branch is None:
        raise Http404
    return branch


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the workstation when there is only one place to go."""
    branches = list(staff_branches(request.user))
    managed = set(managed_branches(request.user).values_list("slug", flat=True))
    advisor = advisor_of(request.user)
    if advisor is not None and len(branches) == 1 and not managed:
        return redirect("staff-workstation", branch=branches[0].slug)
    return render(
        request,
        "booking/staff/home.html",
        {"branches": branches, "managed": managed, "advisor": advisor},
    )


# What the workstation offers for "running late" (the API takes any 1-240 minutes).
LATE_CHOICES = (5, 10, 15, 20, 30, 45, 60)


@login_required
@require_GET
def workstation(request: HttpRequest, branch: str) -> HttpResponse:
    branch_obj = _staff_branch(request, branch)
    advisor = advisor_of(request.user)
    if advisor is None:
        raise PermissionDenied
    return render(
        request,
        "booking/staff/workstation.html",
        {
            "branch": branch_obj,
            "advisor": advisor,
            "statuses": AdvisorStatus.choices,
            "pause_reasons": PauseReason.choices,
            "late_choices": LATE_CHOICES,
            "services": branch_obj.services.filter(active=True),
            "texts": texts(),
            "initial": {
                "branch": branch_obj.slug,
                "advisor": {
                    "id": advisor.id,
                    "name": advisor.name,
                    "status": advisor.status,
                    "pause_reason": advisor.pause_reason,
                    "late_minutes": advisor.late_minutes,
                },
                "queue": queue_payload(branch_obj, timezone.now()),
                "tags": {key: str(label) for key, label in RATING_TAGS.items()},
            },
        },
    )


# Words of the desk page's script.
DESK_TEXTS = {
    "check_in": _("Check in"),
    "checked_in": _("Checked in"),
    "no_visits": _("No appointments found."),
    "found": _("Appointments found: %(n)s"),
    "ticket_issued": _("Ticket %(number)s: %(service)s"),
    "status_link": _("Status link for the visitor"),
    "booked": _("Booked: %(when)s with %(advisor)s. Check-in code %(code)s."),
    "manage_link": _("Link to change or cancel"),
    "any_colleague": _("The next free colleague"),
    "nobody_waiting": _("nobody waiting"),
    "no_times": _("No free times on this day."),
    "choose_time": _("choose a time"),
    "ticket": _("ticket %(number)s (%(status)s)"),
    **{f"appointment_{value}": label for value, label in AppointmentStatus.choices},
    **{f"ticket_{value}": label for value, label in TicketStatus.choices},
}


@login_required
@require_GET
def desk(request: HttpRequest, branch: str) -> HttpResponse:
    """The concierge: find a booking as one types, check visitors in, issue walk-in
    tickets, book on behalf of callers, and see who is waiting for whom."""
    branch_obj = _staff_branch(request, branch)
    now = timezone.now()
    return render(
        request,
        "booking/staff/desk.html",
        {
            "branch": branch_obj,
            "advisor": advisor_of(request.user),
            "advisors": Advisor.objects.filter(branches=branch_obj, active=True).order_by("name"),
            "walk_in_services": walk_in_services(branch_obj),
            "bookable_services": bookable_services(branch_obj),
            "today": branch_obj.local_date(now),
            "texts": {**texts(), **{key: str(value) for key, value in DESK_TEXTS.items()}},
            "initial": {"branch": branch_obj.slug, "queue": queue_payload(branch_obj, now)},
        },
    )


STEP_NAMES = {
    "booked": _("booked"),
    "confirmed": _("confirmed"),
    "reminded": _("reminded"),
    "arrived": _("arrived"),
    "served": _("served"),
    "rated": _("rated"),
}
CHARTED = [
    ("hour", _("Satisfaction by hour of day")),
    ("wait", _("Satisfaction by waiting time (minutes)")),
    ("service", _("Satisfaction by service")),
    ("advisor", _("Satisfaction by advisor")),
    ("visit", _("Satisfaction by kind of visit")),
]


def _analytics(request: HttpRequest, branch: Branch) -> dict:
    """The period's funnel and satisfaction, drawn as charts, plus the journey search."""
    context = {"today": branch.local_date(timezone.now())}
    query = PeriodQuery(data=request.GET, context=context)
    errors = {} if query.is_valid() else query.errors
    if errors:  # show the default period, and say why
        query = PeriodQuery(data={}, context=context)
        query.is_valid(raise_exception=True)
    values = query.validated_data
    period = analytics.Period(branch, values["from"], values["to"])
    funnel = analytics.funnel(period, service=values.get("service"), channel=values.get("channel"))
    for step in funnel["steps"]:
        step["name"] = STEP_NAMES[step["step"]]
    by = {
        dimension: analytics.satisfaction(period, dimension)
        for dimension in ["day", *dict(CHARTED)]
    }
    search = request.GET.get("q", "")[:100]
    managed = managed_branches(request.user)
    customer = None
    if request.GET.get("customer", "").isdigit():
        customer = analytics.customers_of(managed).filter(id=request.GET["customer"]).first()
    return {
        "period": period,
        "period_errors": errors,
        "funnel": funnel,
        "services": bookable_services(branch),
        "channels": [
            (c.value, c.label) for c in (Channel.WEB, Channel.STAFF, Channel.PHONE, Channel.DESK)
        ],
        "chosen": {"service": values.get("service", ""), "channel": values.get("channel", "")},
        "trend": charts.trend(by["day"], title=str(_("Satisfaction and waiting time by day"))),
        "charts": [
            {
                "by": key,
                "title": title,
                "rows": by[key],
                "svg": charts.bars(
                    levels.labelled(key, by[key]), "avg_score", maximum=5, title=str(title)
                ),
            }
            for key, title in CHARTED
        ],
        # Service levels, reasons, recoveries and journeys as they ran (booking/staff/levels.py).
        **levels.service_levels(request, period),
        "search": search,
        "found": analytics.customer_search(managed, search)[:20] if search else [],
        "customer": customer,
        "journey": analytics.journey(customer, managed) if customer else [],
    }


@login_required
@require_GET
def manager(request: HttpRequest, branch: str) -> HttpResponse:
    branch_obj = get_object_or_404(managed_branches(request.user), slug=branch)
    now = timezone.now()
    with timezone.override(branch_obj.tz):
        return render(
            request,
            "booking/staff/manager.html",
            {
                "branch": branch_obj,
                "texts": {**texts(), **levels.texts()},
                "pause_reasons": PauseReason.choices,
                "initial": {
                    "branch": branch_obj.slug,
                    "queue": queue_payload(branch_obj, now),
                    "within_target": within_target_day(branch_obj, branch_obj.local_date(now)),
                    "stats": branch_day_stats(branch_obj, branch_obj.local_date(now)),
                    "tags": {key: str(label) for key, label in RATING_TAGS.items()},
                },
                **_analytics(request, branch_obj),
            },
        )


@require_GET
def display(request: HttpRequest, branch: str) -> HttpResponse:
    """The lobby screen: public, numbers and places only."""
    branch_obj = get_object_or_404(Branch, slug=branch, active=True)
    # Each screen speaks the language set in its address, never its browser's default:
    # a TV's browser says little about the people in front of it.
    language = request.GET.get("lang")
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(branch_obj.tz):
        response = render(
            request,
            "booking/staff/display.html",
            {
                "branch": branch_obj,
                "texts": texts(),
                "initial": display_payload(branch_obj, timezone.now()),
            },
        )
    response["Content-Language"] = language
    return response
