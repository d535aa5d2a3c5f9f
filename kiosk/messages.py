"""What the visitor reads (GUI-free, so it is tested plainly).

Texts are kept as message ids (with their values) until a screen shows them, so a
language switch changes every text on the screen, the kiosk's own sentences included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .client import ErrorKind, KioskError
from .i18n import _
from .manifest import Decision, Verdict

UNREACHABLE = _("Our system cannot be reached at the moment.")


@dataclass(frozen=True)
class Notice:
    title: str  # a msgid, translated when shown
    detail: str | tuple  # the server's own words, a msgid, or (msgid, values)
    retry: bool  # whether "try again" makes sense (a mistyped code)
    ask_desk: bool  # whether to send the visitor to a person


CONFLICT_TITLES = {
    "cancelled": _("This appointment was cancelled"),
    "wrong_day": _("Your appointment is on another day"),
    "wrong_branch": _("Your appointment is at another branch"),
    "too_early": _("You are early"),
    "too_late": _("Your appointment time has passed"),
    "already_served": _("This appointment has already taken place"),
    "service_closed": _("This service is not available right now"),
    "already_rated": _("This visit has already been rated"),
}


def notice_for(error: KioskError) -> Notice:
    """The screen's words for an error of the server or the network."""
    if error.unreachable:
        return Notice(_("We cannot reach our system right now"), "", False, True)
    if error.kind is ErrorKind.REVOKED:
        return Notice(_("This kiosk is not available"), "", False, True)
    if error.kind is ErrorKind.NOT_FOUND:
        return Notice(_("We could not find this code"), error.detail, True, False)
    if error.kind is ErrorKind.THROTTLED:
        return Notice(_("Too many attempts"), error.detail, False, True)
    if error.kind is ErrorKind.CONFLICT:
        title = CONFLICT_TITLES.get(error.code, _("Please ask at the desk"))
        return Notice(title, error.detail, error.code == "too_early", True)
    if error.kind is ErrorKind.INVALID:
        return Notice(_("Please check your input"), error.detail, True, False)
    return Notice(_("Something went wrong"), "", False, True)


def clock(moment: dt.datetime) -> str:
    """A time of day as the branch reads it (its own offset)."""
    return moment.strftime("%H:%M")


def where_to_go(advisor: str, location: str, start: dt.datetime) -> tuple:
    if not advisor:
        return (_("A colleague will call you on the screen shortly."), {})
    return (
        _("%(advisor)s will meet you in %(location)s at %(time)s."),
        {"advisor": advisor, "location": location, "time": clock(start)},
    )


def answer_sentence(answer: dict) -> tuple:
    """The check-in answer's sentence, composed by the kiosk in any language."""
    ticket = answer.get("ticket") or {}
    if ticket.get("kind") == "walk_in":
        return (
            _("Your number is %(number)s. Please take a seat; we will call you on the screen."),
            {"number": ticket.get("number", "")},
        )
    advisor = answer.get("advisor") or {}
    start = dt.datetime.fromisoformat(answer["start"]) if answer.get("start") else None
    if start is None:
        return (_("A colleague will call you on the screen shortly."), {})
    return where_to_go(advisor.get("name", ""), answer.get("location", ""), start)


def offline_notice(decision: Decision | None) -> Notice:
    """Words for a scan the kiosk judged alone, when it does not check the visitor in."""
    if decision is None:
        return Notice(_("We cannot check your code right now"), UNREACHABLE, False, True)
    start = decision.booking.start
    if decision.verdict is Verdict.OTHER_DAY:
        return Notice(
            _("Your appointment is on another day"),
            (
                _("Your appointment is on %(date)s at %(time)s. Please come back then."),
                {"date": start.date(), "time": clock(start)},
            ),
            False,
            True,
        )
    if decision.verdict is Verdict.EARLY:
        return Notice(
            _("You are early"),
            (
                _("You are early: check-in opens at %(time)s. Your appointment is at %(start)s."),
                {"time": clock(decision.opens_at), "start": clock(start)},
            ),
            False,
            False,
        )
    return Notice(
        _("Your appointment time has passed"),
        (
            _("Your appointment was at %(time)s and the time has passed."),
            {"time": clock(start)},
        ),
        False,
        True,
    )
