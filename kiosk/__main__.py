"""``python -m kiosk --server URL --token TOKEN [...]`` (see ``--help``)."""

from __future__ import annotations

import logging
import os
import sys

# Kivy parses sys.argv on import unless told not to; the kiosk parses its own arguments.
os.environ.setdefault("KIVY_NO_ARGS", "1")


def main(argv: list[str] | None = None) -> int:
    from .config import load_config

    config = load_config(argv)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    os.environ.setdefault("KIVY_HOME", str(config.data_dir / "kivy"))

    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    if config.fullscreen:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "show_cursor", "0")
    from .app import KioskApp

    KioskApp(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
