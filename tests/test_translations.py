"""German and English ship complete: every message translated, the compiled catalogue current."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {
    "server": (ROOT / "booking" / "locale", "django"),
    "kiosk": (ROOT / "kiosk" / "locale", "kiosk"),
}
ENTRY = re.compile(r'^(msgid|msgstr|msgid_plural|msgstr\[\d\]) "(.*)"$')


def entries(po: Path) -> list[dict]:
    """The catalogue's entries as {field: text}, with continued lines joined."""
    found, current, field = [], {}, None
    for line in po.read_text(encoding="utf-8").splitlines():
        match = ENTRY.match(line)
        if match:
            field = match.group(1)
            if field == "msgid" and current:
                found.append(current)
                current = {}
            current[field] = match.group(2)
        elif line.startswith('"') and field:
            current[field] += line[1:-1]
        elif line.startswith("#, fuzzy") and current:
            current["fuzzy"] = True
        elif line.startswith("#, fuzzy"):
            current = {"fuzzy": True}
    if current:
        found.append(current)
    return [e for e in found if e.get("msgid")]


def unescape(text: str) -> str:
    """A .po string's C escapes (\\n, \\") as Python reads the same literal."""
    return ast.literal_eval(f'"{text}"')


def po_file(part: str, language: str, root: Path = ROOT) -> Path:
    folder, domain = CATALOGUES[part]
    return root / folder.relative_to(ROOT) / language / "LC_MESSAGES" / f"{domain}.po"


@pytest.mark.parametrize("part", CATALOGUES)
def test_every_german_message_is_translated(part):
    missing = [
        e["msgid"]
        for e in entries(po_file(part, "de"))
        if e.get("fuzzy") or not (e.get("msgstr") or e.get("msgstr[0]"))
    ]
    assert missing == []


@pytest.mark.parametrize("part", CATALOGUES)
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_compiled_catalogue_matches_its_source(part, language):
    po = po_file(part, language)
    with open(po.with_suffix(".mo"), "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in entries(po):
        if "msgid_plural" in entry or not entry.get("msgstr"):
            continue
        assert catalogue.gettext(unescape(entry["msgid"])) == unescape(entry["msgstr"])


KIOSK_MESSAGE = re.compile(r'''(?:\b_|\bapp\.t|\btranslate)\(\s*"((?:[^"\\]|\\.)*)"''')


def test_every_kiosk_message_is_in_its_catalogue():
    sources = [*ROOT.glob("kiosk/**/*.py"), *ROOT.glob("kiosk/**/*.kv")]
    used = {m for path in sources for m in KIOSK_MESSAGE.findall(path.read_text()) if m}
    known = {unescape(e["msgid"]) for e in entries(po_file("kiosk", "de"))}
    assert sorted(used - known) == []


def extracted_server_messages(workdir: Path) -> set[str]:
    """The msgids makemessages finds in the server's code, extracted in a copy (the real
    run rewrites the catalogues in place)."""
    for part in ("booking", "server"):
        shutil.copytree(
            ROOT / part, workdir / part, ignore=shutil.ignore_patterns("locale", "__pycache__")
        )
    shutil.copy(ROOT / "manage.py", workdir)
    (workdir / "booking" / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location"],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(workdir), "DEBUG": "1"},
        check=True,
        capture_output=True,
    )
    return {unescape(e["msgid"]) for e in entries(po_file("server", "de", root=workdir))}


def extracted_kiosk_messages(workdir: Path) -> set[str]:
    """The msgids xgettext finds in the kiosk's Python and .kv files (kv rules are Python)."""
    sources = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("kiosk/**/*.py"))
    sources += sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("kiosk/**/*.kv"))
    pot = workdir / "kiosk.pot"
    subprocess.run(
        [
            "xgettext",
            "-L",
            "Python",
            "--from-code=UTF-8",
            "--keyword=",
            "--keyword=_",
            "--keyword=translate:1",
            "--keyword=t:1",
            "-o",
            str(pot),
            *sources,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return {unescape(e["msgid"]) for e in entries(pot)}


EXTRACT = {"server": extracted_server_messages, "kiosk": extracted_kiosk_messages}


@pytest.mark.parametrize("part", CATALOGUES)
def test_the_catalogues_hold_exactly_the_messages_of_the_code(part, tmp_path):
    """New messages are in the catalogue, and messages the code dropped are gone from it
    (scripts/messages regenerates them)."""
    in_code = EXTRACT[part](tmp_path)
    for language in ("de", "en"):
        in_catalogue = {unescape(e["msgid"]) for e in entries(po_file(part, language))}
        assert sorted(in_code - in_catalogue) == [], f"missing from {language}"
        assert sorted(in_catalogue - in_code) == [], f"obsolete in {language}"
