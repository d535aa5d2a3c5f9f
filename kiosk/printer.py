"""An optional receipt printer: plain text to a file or a character device."""

from __future__ import annotations

from pathlib import Path

from .i18n import translate


def ticket_receipt(ticket: dict, branch_name: str, language: str) -> str:
    # Messages stay outside f-strings: the catalogue's extraction cannot see into them.
    service = translate("Service", language)
    position = translate("Position in the queue", language)
    lines = [
        branch_name,
        "",
        translate("Your number", language),
        f"    {ticket['number']}",
        "",
        f"{service}: {ticket.get('service_name', ticket['service'])}",
    ]
    if ticket.get("position"):
        lines.append(f"{position}: {ticket['position']}")
    if ticket.get("estimated_wait_minutes") is not None:
        lines.append(
            translate("Estimated wait: %(minutes)s min", language)
            % {"minutes": ticket["estimated_wait_minutes"]}
        )
    if ticket.get("status_url"):
        follow = translate("Follow your turn on your phone", language)
        lines += ["", f"{follow}:", ticket["status_url"]]
    return "\n".join(lines) + "\n\n\n"


def print_receipt(target: str, text: str) -> None:
    with Path(target).open("a", encoding="utf-8") as printer:
        printer.write(text)
