"""The visitor's way through the kiosk, without a window.

The flow holds what the kiosk shows (``screen``, ``shown``, the typed ``code``, the
visit's language, large type and speech) and decides every step: typing and scanning,
check-in online or from the manifest, walk-in tickets, ratings, timeouts. It never
imports Kivy or server code: the Kivy app renders it and forwards touches and keys,
and tests drive it directly. Network calls go through ``runner`` (worker threads in
the app, at once in tests), and an answer that arrives after its visitor has gone is
dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from . import codes
from .client import KioskClient, KioskError
from .config import LANGUAGES, KioskConfig
from .files import private_dir, write_private
from .i18n import Localized, _, render
from .manifest import Manifest, Verdict, decide
from .messages import (
    UNREACHABLE,
    Notice,
    answer_sentence,
    notice_for,
    offline_notice,
    where_to_go,
)
from .outbox import CHECK_IN, RATING, TIME_FIELDS, Item, Outbox
from .printer import print_receipt, ticket_receipt
from .speech import Speaker

logger = logging.getLogger("kiosk")

SCREENS = (
    "home",
    "code",
    "result",
    "services",
    "ticket",
    "rating",
    "contact",
    "thanks",
    "message",
)
THANKS_SECONDS = 6.0
FLUSH_EVERY = 30.0
REFRESH_EVERY = 300.0  # device settings and manifest
LOW_SCORES = (1, 2)
KEYPAD_HINT = _("Use the arrow keys to choose and Enter to confirm.")
LATE = _("Your appointment was at %(time)s. Please take a seat; a colleague will call you.")


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


class Flow:
    def __init__(
        self,
        config: KioskConfig,
        *,
        client: KioskClient,
        outbox: Outbox,
        manifest: Manifest,
        runner,
        jobs=None,
        speaker: Speaker | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.client = client
        self.outbox = outbox
        self.manifest = manifest
        self.runner = runner
        self.jobs = jobs or runner  # housekeeping, so that it never delays a visitor
        self.speaker = speaker or Speaker(config.speech_command)
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []
        self.device: dict = {}
        self.mode = config.mode or "both"
        self.screen = "home"
        self.shown: dict[str, Any] = {}
        self.code = ""
        self.busy = False
        self.lang = config.lang
        self.large = False
        self.speak_visit = False
        self.last_activity = self.entered_at = clock()
        self._visit = 0  # bumped when a visit ends: late answers for it are dropped
        self._due = {"device": 0.0, "manifest": 0.0, "outbox": 0.0}

    # --- what the screens read ---------------------------------------------------------
    @property
    def branch_name(self) -> str:
        return self.device.get("branch", {}).get("name", "")

    @property
    def walk_in_services(self) -> list[dict]:
        return self.device.get("walk_in_services", [])

    @property
    def rating_tags(self) -> list[dict]:
        return self.device.get("rating_tags", [])

    @property
    def speaking(self) -> bool:
        return bool(self.device.get("speech")) or self.speak_visit

    @property
    def purpose(self) -> str:
        return self.shown.get("purpose", "checkin")

    def text(self, value) -> str:
        return render(value, self.lang)

    def _changed(self) -> None:
        for listener in self.listeners:
            listener()

    # --- start and housekeeping ------------------------------------------------------------
    def start(self) -> None:
        self._apply_device(self._cached_device())
        self.tick()
        logger.info("home screen shown")

    def tick(self) -> None:
        """Called about once a second: timeouts and the jobs that are due."""
        now = self.clock()
        if now - self.last_activity >= self.config.idle_seconds and self._visit_open():
            self.finish()  # nobody is there any more: forget what was shown
        elif self.screen == "thanks" and now - self.entered_at >= THANKS_SECONDS:
            self.finish()
        if now >= self._due["device"]:
            self._due["device"] = now + REFRESH_EVERY
            self.refresh_device()
        if now >= self._due["manifest"] and self.mode != "survey":
            self._due["manifest"] = now + REFRESH_EVERY
            self.refresh_manifest()
        if now >= self._due["outbox"]:
            self._due["outbox"] = now + FLUSH_EVERY
            self.flush_outbox()

    def _visit_open(self) -> bool:
        return (
            self.screen != "home"
            or bool(self.code)
            or self.lang != self.config.lang
            or self.large
            or self.speak_visit
        )

    def _cached_device(self) -> dict:
        try:
            return json.loads(self.config.device_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _apply_device(self, device: dict) -> None:
        self.device = device
        self.mode = self.config.mode or device.get("mode") or "both"
        self._changed()

    def refresh_device(self) -> None:
        """Fetch the device's settings and keep them on disk for a start without network."""

        def fetch() -> dict:
            device = self.client.device()
            private_dir(self.config.data_dir)
            write_private(self.config.device_file, json.dumps(device))
            return device

        self.jobs.run(
            fetch,
            self._apply_device,
            lambda error: logger.warning("device settings not refreshed: %s", error),
        )

    def refresh_manifest(self) -> None:
        """Today's and tomorrow's bookings (the server's days), for checking in offline."""

        def fetch() -> str:
            today = self.client.manifest()
            self.manifest.store(today)
            day = dt.date.fromisoformat(today["date"])
            self.manifest.store(self.client.manifest((day + dt.timedelta(days=1)).isoformat()))
            self.manifest.prune(day)
            return today["date"]

        self.jobs.run(
            fetch,
            lambda day: logger.info("manifest of %s and the next day kept", day),
            lambda error: logger.warning("manifest not refreshed: %s", error),
        )

    def flush_outbox(self, *, force: bool = False) -> None:
        if not len(self.outbox) or not (force or self.outbox.due):
            return
        self.jobs.run(
            lambda: self.outbox.flush(self._send, force=force),
            lambda result: logger.info("outbox: %s", result),
            lambda error: logger.warning("outbox: %s", error),
        )

    def _send(self, item: Item) -> int:
        body = dict(item.body)
        if not item.clock_checked and self.client.clock_offset is None:
            self.client.device()  # any answer tells the server's time
        offset = self.client.clock_offset
        if not item.clock_checked and offset is not None and abs(offset.total_seconds()) >= 5:
            # Stamped before the kiosk knew how far off its clock is: correct it now.
            field = TIME_FIELDS[item.kind]
            body[field] = stamp(dt.datetime.fromisoformat(body[field]) + offset)
        if item.kind == CHECK_IN:
            return self.client.send_check_in(body)
        return self.client.send_rating(body)

    # --- moving between screens ----------------------------------------------------------
    def touched(self) -> None:
        self.last_activity = self.clock()

    def go(self, screen: str, **shown) -> None:
        self.screen = screen
        self.shown = shown
        self.code = ""
        self.entered_at = self.clock()
        self.touched()
        self._changed()
        self.speak()

    def home(self) -> None:
        """Escape or "Back": the start screen, the visit's choices kept."""
        self._visit += 1
        self.go("home")

    def finish(self) -> None:
        """The visit is over: the next visitor starts with the kiosk's own settings."""
        self._visit += 1
        if self.lang != self.config.lang:
            self.lang = self.config.lang
            self.client.language = self.lang
            self.refresh_device()  # the service names in the kiosk's own language again
        self.large = False
        self.speak_visit = False
        self.speaker.stop()
        self.go("home")

    def show_notice(self, notice: Notice, *, retry_screen: str = "code") -> None:
        self.go(
            "message",
            title=notice.title,
            detail=notice.detail,
            retry=notice.retry,
            ask_desk=notice.ask_desk,
            retry_screen=retry_screen,
            purpose=self.purpose,
        )

    def retry(self) -> None:
        if self.shown.get("retry_screen") == "services":
            self.go("services")
        else:
            self.go("code", purpose=self.purpose)

    # --- the visit's own settings ---------------------------------------------------------
    def set_language(self, language: str) -> None:
        if language not in LANGUAGES or language == self.lang:
            return
        self.lang = language
        self.client.language = language
        self._changed()

    def toggle_language(self) -> None:
        self.set_language("en" if self.lang == "de" else "de")
        self.touched()
        self.refresh_device()  # service names and reasons come from the server, translated
        self.speak()

    def toggle_large(self) -> None:
        self.large = not self.large
        self.touched()
        self._changed()

    def toggle_speech(self) -> None:
        self.speak_visit = not self.speak_visit
        self.touched()
        self._changed()
        if self.speaking:
            self.speak()
        else:
            self.speaker.stop()

    # --- network calls for the visitor -------------------------------------------------------
    def _call(self, work, on_done, on_error) -> None:
        if self.busy:
            return  # a second tap while the first is under way
        self.busy = True
        visit = self._visit
        self._changed()

        def done(result) -> None:
            self.busy = False
            if visit == self._visit:
                on_done(result)
            self._changed()

        def failed(error: KioskError) -> None:
            self.busy = False
            if visit == self._visit:
                on_error(error)
            self._changed()

        self.runner.run(work, done, failed)

    # --- typing and scanning -------------------------------------------------------------
    def _typed_characters(self) -> str:
        rating = self.purpose == "rate" if self.screen == "code" else self.mode == "survey"
        return codes.TICKET_CHARACTERS if rating else codes.CODE_ALPHABET

    def type_key(self, key: str) -> None:
        """A key of the on-screen keypad, a keyboard, or a scanner."""
        self.touched()
        if self.screen not in ("home", "code"):
            return
        if key == "back":
            self.code = self.code[:-1]
        elif len(self.code) < codes.MAX_TYPED and key.upper() in self._typed_characters():
            self.code += key.upper()
        else:
            return
        self._changed()

    def type_text(self, text: str) -> None:
        for character in text:
            self.type_key(character)

    def scan(self, text: str) -> None:
        """A whole code at once (a camera): as if typed and Enter pressed."""
        if self.screen in ("home", "code") and not self.busy:
            self.code = ""
            self.type_text(codes.normalize(text))
            self.enter()

    def enter(self) -> None:
        """Enter without a focused button: scanners end with it."""
        self.touched()
        if self.screen in ("home", "code") and self.code:
            if self.screen == "home":
                # On the home screen a scan checks in (or, on a survey kiosk, rates).
                self.shown = {"purpose": "rate" if self.mode == "survey" else "checkin"}
            self.submit_code()
        elif self.screen == "rating":
            self.send_rating()

    def start_code(self, purpose: str) -> None:
        self.go("code", purpose=purpose)

    def submit_code(self) -> None:
        code = codes.normalize(self.code)
        if not code or self.busy:
            return
        if self.purpose == "rate":
            if not (codes.looks_like_code(code) or codes.looks_like_ticket_number(code)):
                self.show_notice(
                    Notice(
                        _("Please check your input"),
                        _("Please enter the code of your confirmation or your ticket number."),
                        True,
                        False,
                    )
                )
                return
            self.go("rating", code=code, score=0, tags=[])
            return
        client_id = str(uuid.uuid4())
        scanned_at = self.client.server_now()
        clock_checked = self.client.clock_offset is not None
        asked_in = self.lang
        self._call(
            lambda: self.client.check_in(code, client_id),
            lambda answer: self._checked_in(answer, asked_in),
            lambda error: self._check_in_failed(error, code, client_id, scanned_at, clock_checked),
        )

    def _checked_in(self, answer: dict, asked_in: str) -> None:
        self.set_language(answer.get("language", ""))
        ticket = answer.get("ticket") or {}
        self.go(
            "result",
            first_name=answer.get("first_name", ""),
            message=Localized({asked_in: answer.get("message", "")}, answer_sentence(answer)),
            number=ticket.get("number", ""),
            status_url=ticket.get("status_url", ""),
            ticket=ticket,
        )

    def _check_in_failed(
        self,
        error: KioskError,
        code: str,
        client_id: str,
        scanned_at: dt.datetime,
        clock_checked: bool,
    ) -> None:
        if not error.unreachable:
            self.show_notice(notice_for(error))
            return
        booking = self.manifest.find(code, scanned_at)
        decision = decide(booking, scanned_at) if booking else None
        if decision is None or not decision.checks_in:
            self.show_notice(offline_notice(decision))
            return
        body = {"code": code, "client_id": client_id, "checked_in_at": stamp(scanned_at)}
        self.outbox.add(CHECK_IN, body, clock_checked=clock_checked)
        self.set_language(booking.language)
        if decision.verdict is Verdict.LATE:
            message = (LATE, {"time": booking.start.strftime("%H:%M")})
        else:
            message = where_to_go(booking.advisor, booking.location, booking.start)
        self.go("result", offline=True, first_name=booking.first_name, message=message)

    # --- walk-ins ------------------------------------------------------------------------
    def take_ticket(self, service: str) -> None:
        client_id = str(uuid.uuid4())

        def work() -> dict:
            try:
                return self.client.take_ticket(service, client_id)
            except KioskError as error:
                if not error.maybe_delivered:
                    raise
                # The first request may have made a ticket: the same id finds it.
                return self.client.take_ticket(service, client_id)

        self._call(work, self._ticket_taken, self._ticket_failed)

    def _ticket_taken(self, ticket: dict) -> None:
        if self.config.printer:
            text = ticket_receipt(ticket, self.branch_name, self.lang)
            self.jobs.run(
                lambda: print_receipt(self.config.printer, text),
                lambda _result: None,
                lambda error: logger.warning("receipt not printed: %s", error),
            )
        self.go("ticket", ticket=ticket, status_url=ticket.get("status_url", ""))

    def _ticket_failed(self, error: KioskError) -> None:
        if error.unreachable:
            # No number without the server: a made-up one would call nobody.
            self.show_notice(
                Notice(_("We cannot give out numbers right now"), UNREACHABLE, False, True),
                retry_screen="services",
            )
            return
        self.show_notice(notice_for(error), retry_screen="services")

    # --- ratings -----------------------------------------------------------------------------
    def skip_code(self) -> None:
        self.go("rating", score=0, tags=[])

    def choose_score(self, score: int) -> None:
        self.touched()
        if self.screen == "rating" and 1 <= score <= 5:
            self.shown = {**self.shown, "score": score}
            self._changed()

    def toggle_tag(self, key: str) -> None:
        self.touched()
        if self.screen != "rating" or not self.shown.get("score"):
            return
        tags = list(self.shown.get("tags", []))
        tags.remove(key) if key in tags else tags.append(key)
        self.shown = {**self.shown, "tags": tags}
        self._changed()

    def send_rating(self) -> None:
        self.touched()
        score = self.shown.get("score")
        if self.screen != "rating" or not score:
            return
        if score in LOW_SCORES and self.shown.get("code"):
            # Only a visit we know can be followed up: anonymous ratings are not asked.
            self.go("contact", **{k: v for k, v in self.shown.items()})
            return
        self._store_rating(None)

    def answer_contact(self, contact_ok: bool) -> None:
        if self.screen == "contact":
            self._store_rating(contact_ok)

    def _store_rating(self, contact_ok: bool | None) -> None:
        """Store first, then send: a crash or a dead network in between loses nothing."""
        rating = {
            "client_id": str(uuid.uuid4()),
            "score": int(self.shown["score"]),
            "tags": list(self.shown.get("tags", [])),
            "given_at": stamp(self.client.server_now()),
        }
        if self.shown.get("code"):
            rating["code"] = self.shown["code"]
        if contact_ok is not None:
            rating["contact_ok"] = contact_ok
        self.outbox.add(RATING, rating, clock_checked=self.client.clock_offset is not None)
        self.go("thanks")
        self.flush_outbox(force=True)

    # --- spoken guidance ---------------------------------------------------------------------
    def speak(self) -> None:
        if self.speaking:
            self.speaker.say(self.spoken(), self.lang)

    def spoken(self) -> str:
        """What the screen says, read aloud in the visit's language."""
        return " ".join(self.text(part) for part in self._spoken_parts() if part)

    def _spoken_parts(self) -> list:
        shown, screen = self.shown, self.screen
        if screen == "home":
            parts = [_("Welcome!"), _("How can we help you today?")]
            if self.mode != "survey":
                parts += [_("Check in with my code"), _("I have no appointment")]
            if self.mode != "checkin":
                parts.append(_("Rate my visit"))
            return [*parts, KEYPAD_HINT]
        if screen == "code":
            if self.purpose == "rate":
                return [_("Enter the code from your confirmation or your ticket number")]
            return [
                _("Please enter your check-in code"),
                _("Or scan the QR code of your confirmation."),
            ]
        if screen == "result":
            parts = [welcome(shown.get("first_name", "")), shown.get("message")]
            if shown.get("offline"):
                parts.append(_("Your advisor will be told that you are here."))
            elif shown.get("number"):
                parts.append((_("Your number is %(number)s."), {"number": shown["number"]}))
            return parts
        if screen == "services":
            return [_("What can we do for you?"), *(s["name"] for s in self.walk_in_services)]
        if screen == "ticket":
            ticket = shown.get("ticket", {})
            return [(_("Your number is %(number)s."), {"number": ticket.get("number", "")})]
        if screen == "rating":
            return [_("How was your visit today?"), _("Press a number from 1 to 5, then Enter.")]
        if screen == "contact":
            return [_("May we contact you about this?")]
        if screen == "thanks":
            return [_("Thank you!"), _("Your opinion helps us get better.")]
        return [shown.get("title"), shown.get("detail")]


def welcome(first_name: str) -> tuple | str:
    if first_name:
        return (_("Welcome, %(name)s!"), {"name": first_name})
    return _("Welcome!")
