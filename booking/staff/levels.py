"""The manager page's service levels, reasons, recoveries and journeys as they ran."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import RATING_TAGS, EventKind, TicketKind
from booking.selectors import analytics
from booking.selectors.analytics import tag_counts
from booking.selectors.paths import SEGMENTS, journey_paths
from booking.selectors.service_levels import recoveries_summary, within_target_by_day

from . import charts, charts_levels

# Words the manager page's script shows for alerts and recoveries.
TEXTS = {
    "kind_rating": _("Low rating"),
    "kind_wait": _("Waiting past the target"),
    "waiting_for": _("%(number)s waiting %(n)s min"),
    "waited": _("waited %(n)s min"),
    "with_advisor": _("with %(name)s"),
    "journey": _("Customer journey"),
    "win_back": _("Win back"),
    "win_back_hint": _("A personal message with a link to book again (by SMS or e-mail)."),
    "message": _("Your message"),
    "send": _("Send"),
    "contact_ok": _("may be contacted"),
    "no_contact": _("did not agree to be contacted"),
    "no_address": _("agreed to be contacted, but left no phone number or e-mail"),
    "recovery_sent": _("message sent %(time)s"),
    "rebooked": _("booked again"),
    "rerated": _("re-rated %(score)s"),
    "anonymous": _("anonymous"),
    "none_in_queue": _("Nobody is waiting or being served."),
}
VISIT_KINDS = {
    TicketKind.APPOINTMENT.value: TicketKind.APPOINTMENT.label,
    TicketKind.WALK_IN.value: TicketKind.WALK_IN.label,
    "anonymous": _("anonymous"),
    "unknown": _("unknown"),
    "-": _("unknown"),
}
SEGMENT_NAMES = {"": _("all"), "new": _("new customers"), "returning": _("returning customers")}


def texts() -> dict[str, str]:
    return {key: str(value) for key, value in TEXTS.items()}


def labelled(dimension: str, rows: list[dict]) -> list[dict]:
    """Rows with a label in the page's language instead of a raw key."""
    for row in rows:
        key = row["key"]
        if dimension == "visit":
            row["label"] = str(VISIT_KINDS.get(key, key))
        elif dimension == "tag":
            row["label"] = str(RATING_TAGS.get(key, key))
        elif dimension == "hour" and str(key).isdigit():
            row["label"] = f"{int(key):02d}:00–{int(key) + 1:02d}:00"
        elif dimension == "wait":
            row["label"] = str(VISIT_KINDS["unknown"]) if key == "unknown" else key
    return rows


def service_levels(request: HttpRequest, period: analytics.Period) -> dict:
    branch = period.branch
    days = within_target_by_day(branch, period.first, period.last)
    visits = sum(row["visits"] for row in days)
    within = sum(row["within"] for row in days)
    tags = labelled("tag", tag_counts(period))
    segment = request.GET.get("segment", "")
    segment = segment if segment in SEGMENTS else ""
    paths = journey_paths(period, segment=segment or None)
    step_labels = {kind.value: str(kind.label) for kind in EventKind}
    return {
        "targets": {
            "wait": branch.target_wait_minutes,
            "start_delay": branch.target_start_delay_minutes,
            "visits": visits,
            "within": within,
            "share": round(100 * within / visits) if visits else None,
            "chart": charts_levels.columns(
                days, title=str(_("Share of visitors called within target, by day"))
            ),
        },
        "tags": {
            "rows": tags,
            "svg": charts.bars(
                tags,
                "count",
                maximum=max([row["count"] for row in tags] + [1]),
                title=str(_("Reasons given")),
                show_count=False,
            ),
        },
        "recoveries": recoveries_summary(period),
        "paths": {
            "segment": segment,
            "segments": list(SEGMENT_NAMES.items()),
            "journeys": paths["journeys"],
            "rows": paths["paths"],
            "svg": charts_levels.flow(
                paths["paths"][:8], step_labels, title=str(_("The most common journeys"))
            ),
        },
        "now": timezone.now(),
    }
