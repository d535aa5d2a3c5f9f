"""Kiosk settings: command line over environment over config file over defaults."""

from __future__ import annotations

import argparse
import configparser
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import platformdirs

MODES = ("checkin", "survey", "both")
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class KioskConfig:
    server: str = "http://127.0.0.1:8000"
    token: str = ""
    mode: str | None = None  # None: the device's mode from the server
    lang: str = "de"
    fullscreen: bool = False
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir("branchkiosk")))
    idle_seconds: float = 30.0
    printer: str = ""  # a file or device the ticket text is written to, e.g. /dev/usb/lp0
    exit_after: float = 0.0  # for smoke tests: quit after this many seconds

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def device_file(self) -> Path:
        return self.data_dir / "device.json"


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(prog="python -m kiosk", description="Branch kiosk")
    args.add_argument("--server", help="server address, e.g. http://127.0.0.1:8000")
    args.add_argument("--token", help="device token (from seed_demo or create_kiosk)")
    args.add_argument("--mode", choices=MODES, help="overrides the device's mode")
    args.add_argument("--lang", choices=LANGUAGES, help="start language")
    args.add_argument("--fullscreen", action="store_true", default=None)
    args.add_argument("--data-dir", type=Path, help="outbox and cached settings")
    args.add_argument("--config", type=Path, help="an ini file with a [kiosk] section")
    args.add_argument("--idle-seconds", type=float, help="return home after this idle time")
    args.add_argument("--printer", help="write ticket receipts to this file or device")
    args.add_argument("--exit-after", type=float, help=argparse.SUPPRESS)
    return args


def _coerce(name: str, text: str):
    if name in ("fullscreen",):
        return text.strip().lower() in ("1", "true", "yes", "on")
    if name in ("idle_seconds", "exit_after"):
        return float(text)
    if name == "data_dir":
        return Path(text).expanduser()
    return text.strip()


def _from_mapping(values: dict[str, str]) -> dict:
    known = {f.name for f in fields(KioskConfig)}
    return {k: _coerce(k, v) for k, v in values.items() if k in known and v not in (None, "")}


def load_config(
    argv: list[str] | None = None, environ: dict[str, str] | None = None
) -> KioskConfig:
    """Defaults, then ``--config`` (or ``<data dir>/kiosk.ini``), ``KIOSK_*``, the arguments."""
    environ = os.environ if environ is None else environ
    options = vars(parser().parse_args(argv))
    from_args = {k: v for k, v in options.items() if v is not None and k != "config"}
    from_env = _from_mapping(
        {f.name: environ.get(f"KIOSK_{f.name.upper()}") for f in fields(KioskConfig)}
    )
    data_dir = Path(from_args.get("data_dir") or from_env.get("data_dir") or KioskConfig().data_dir)
    ini = options.get("config") or Path(environ.get("KIOSK_CONFIG", data_dir / "kiosk.ini"))
    from_file: dict = {}
    if Path(ini).is_file():
        parsed = configparser.ConfigParser()
        parsed.read(ini, encoding="utf-8")
        if parsed.has_section("kiosk"):
            from_file = _from_mapping({k.replace("-", "_"): v for k, v in parsed["kiosk"].items()})
    config = replace(KioskConfig(), **{**from_file, **from_env, **from_args})
    if config.mode is not None and config.mode not in MODES:
        raise SystemExit(f"unknown mode {config.mode!r}; use one of {', '.join(MODES)}")
    if config.lang not in LANGUAGES:
        raise SystemExit(f"unknown language {config.lang!r}; use one of {', '.join(LANGUAGES)}")
    return replace(config, server=config.server.rstrip("/"))
