"""Kiosk settings: command line over environment over config file over defaults.

The device token is a secret: pass it with ``--token-file`` (or ``KIOSK_TOKEN_FILE``)
so it never shows in ``ps``, or keep it in ``<data dir>/kiosk.ini``, which the kiosk
writes (``--save-config``) readable by its own user only.
"""

from __future__ import annotations

import argparse
import configparser
import logging
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import platformdirs

from .files import private_dir, readable_by_others, write_private

logger = logging.getLogger(__name__)
MODES = ("checkin", "survey", "both")
LANGUAGES = ("de", "en")
# Written by --save-config: everything a kiosk needs to start with no arguments.
SAVED = (
    "server",
    "token",
    "token_file",
    "mode",
    "lang",
    "fullscreen",
    "size",
    "idle_seconds",
    "printer",
    "camera",
)
SIZE = re.compile(r"^(\d{3,5})x(\d{3,5})$")


@dataclass(frozen=True)
class KioskConfig:
    """Every setting; see ``parser()`` for what each one means."""

    server: str = "http://127.0.0.1:8000"
    token: str = ""
    token_file: Path | None = None  # read the token from here (not shown in ps)
    mode: str | None = None  # None: the device's mode from the server
    lang: str = "de"
    fullscreen: bool = False
    # "WxH": a borderless window of that size in the top left corner, for X sessions
    # without a window manager (where SDL cannot make a window full screen).
    size: str = ""
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir("branchkiosk")))
    idle_seconds: float = 30.0
    printer: str = ""  # a file or device the ticket text is written to, e.g. /dev/usb/lp0
    speech_command: str = "espeak-ng"
    camera: int | None = None  # a camera index for reading QR codes (OpenCV)
    exit_after: float = 0.0  # for smoke tests: quit after this many seconds

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def manifest_dir(self) -> Path:
        return self.data_dir / "manifest"

    @property
    def device_file(self) -> Path:
        return self.data_dir / "device.json"

    @property
    def ini_file(self) -> Path:
        return self.data_dir / "kiosk.ini"


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(
        prog="python -m kiosk", description="Branch kiosk", allow_abbrev=False
    )
    args.add_argument("--server", help="server address, e.g. http://127.0.0.1:8000")
    args.add_argument(
        "--token", help="device token (shows in ps: prefer --token-file or kiosk.ini)"
    )
    args.add_argument("--token-file", type=Path, help="a file holding the device token")
    args.add_argument("--mode", choices=MODES, help="overrides the device's mode")
    args.add_argument("--lang", choices=LANGUAGES, help="start language")
    args.add_argument("--fullscreen", action="store_true", default=None)
    args.add_argument(
        "--size", help="WIDTHxHEIGHT: a borderless window at the top left (no window manager)"
    )
    args.add_argument("--data-dir", type=Path, help="outbox, manifest and cached settings")
    args.add_argument("--config", type=Path, help="an ini file with a [kiosk] section")
    args.add_argument("--idle-seconds", type=float, help="return home after this idle time")
    args.add_argument("--printer", help="write ticket receipts to this file or device")
    args.add_argument("--speech-command", help="text-to-speech program (default espeak-ng)")
    args.add_argument("--camera", type=int, help="read QR codes from this camera (0, 1, ...)")
    args.add_argument(
        "--save-config",
        action="store_true",
        help="write these settings to <data dir>/kiosk.ini (mode 0600) and exit",
    )
    args.add_argument("--exit-after", type=float, help=argparse.SUPPRESS)
    return args


def _coerce(name: str, text: str):
    if name in ("fullscreen",):
        return text.strip().lower() in ("1", "true", "yes", "on")
    if name in ("idle_seconds", "exit_after"):
        return float(text)
    if name == "camera":
        return int(text)
    if name in ("data_dir", "token_file"):
        return Path(text).expanduser()
    return text.strip()


def _from_mapping(values: dict[str, str]) -> dict:
    known = {f.name for f in fields(KioskConfig)}
    try:
        return {k: _coerce(k, v) for k, v in values.items() if k in known and v not in (None, "")}
    except ValueError as error:
        raise SystemExit(f"bad kiosk setting: {error}") from None


def _read_token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise SystemExit(f"cannot read the token file {path}: {error.strerror}") from None
    if not token or len(token.split()) != 1:
        raise SystemExit(f"the token file {path} must hold the token alone")
    if readable_by_others(path):
        logger.warning("the token file %s is readable by other users: chmod 600 it", path)
    return token


def load_config(
    argv: list[str] | None = None, environ: dict[str, str] | None = None
) -> KioskConfig:
    """Defaults, then ``--config`` (or ``<data dir>/kiosk.ini``), ``KIOSK_*``, the arguments.

    A token file (from any of them) is read unless ``--token`` is on the command line.
    """
    environ = os.environ if environ is None else environ
    options = vars(parser().parse_args(argv))
    skip = ("config", "save_config")
    from_args = {k: v for k, v in options.items() if v is not None and k not in skip}
    from_env = _from_mapping(
        {f.name: environ.get(f"KIOSK_{f.name.upper()}") for f in fields(KioskConfig)}
    )
    data_dir = Path(from_args.get("data_dir") or from_env.get("data_dir") or KioskConfig().data_dir)
    ini = options.get("config") or Path(environ.get("KIOSK_CONFIG", data_dir / "kiosk.ini"))
    from_file: dict = {}
    if Path(ini).is_file():
        parsed = configparser.ConfigParser(interpolation=None)
        parsed.read(ini, encoding="utf-8")
        if parsed.has_section("kiosk"):
            from_file = _from_mapping({k.replace("-", "_"): v for k, v in parsed["kiosk"].items()})
        if from_file.get("token") and readable_by_others(Path(ini)):
            Path(ini).chmod(0o600)
            logger.warning("%s holds the device token: made it readable by this user only", ini)
    config = replace(KioskConfig(), **{**from_file, **from_env, **from_args})
    if config.token_file is not None and "token" not in from_args:
        config = replace(config, token=_read_token(config.token_file))
    if config.mode is not None and config.mode not in MODES:
        raise SystemExit(f"unknown mode {config.mode!r}; use one of {', '.join(MODES)}")
    if config.size and not SIZE.match(config.size):
        raise SystemExit(f"bad window size {config.size!r}; use WIDTHxHEIGHT, e.g. 1280x800")
    if config.lang not in LANGUAGES:
        raise SystemExit(f"unknown language {config.lang!r}; use one of {', '.join(LANGUAGES)}")
    return replace(config, server=config.server.rstrip("/"))


def save_config(config: KioskConfig) -> Path:
    """``kiosk.ini`` in the data dir, readable by this user only (it holds the token)."""
    private_dir(config.data_dir)
    lines = [
        "# Branch kiosk settings (python -m kiosk --save-config). Keep this file private.",
        "[kiosk]",
    ]
    for name in SAVED:
        value = getattr(config, name)
        if name == "token" and config.token_file is not None:
            continue  # the token stays in its file; only the file's path is kept
        if value not in (None, "", False):
            lines.append(f"{name} = {value}")
    write_private(config.ini_file, "\n".join(lines) + "\n")
    return config.ini_file
