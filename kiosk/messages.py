"""What the visitor reads when something goes wrong (GUI-free, so it is tested plainly)."""

from __future__ import annotations

from dataclasses import dataclass

from .client import ErrorKind, KioskError
from .i18n import _


@dataclass(frozen=True)
class Notice:
    title: str  # a msgid, translated when shown
    detail: str  # the server's own words (already in the visitor's language), or a msgid
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
    if error.kind is ErrorKind.OFFLINE:
        return Notice(
            _("We cannot reach our system right now"),
            _("Please ask at the desk. We are happy to help."),
            False,
            True,
        )
    if error.kind is ErrorKind.REVOKED:
        return Notice(
            _("This kiosk is not available"),
            _("Please ask at the desk. We are happy to help."),
            False,
            True,
        )
    if error.kind is ErrorKind.NOT_FOUND:
        return Notice(_("We could not find this code"), error.detail, True, False)
    if error.kind is ErrorKind.THROTTLED:
        return Notice(_("Too many attempts"), error.detail, False, True)
    if error.kind is ErrorKind.CONFLICT:
        title = CONFLICT_TITLES.get(error.code, _("Please ask at the desk"))
        return Notice(title, error.detail, error.code == "too_early", True)
    if error.kind is ErrorKind.INVALID:
        return Notice(_("Please check your input"), error.detail, True, False)
    return Notice(
        _("Something went wrong"), _("Please ask at the desk. We are happy to help."), False, True
    )
