"""German and English ship complete: every message translated, the compiled catalogue current."""

from __future__ import annotations

import ast
import gettext
import re
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


def po_file(part: str, language: str) -> Path:
    folder, domain = CATALOGUES[part]
    return folder / language / "LC_MESSAGES" / f"{domain}.po"


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
