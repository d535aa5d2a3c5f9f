"""``python -m kiosk --server URL --token-file PATH [...]`` (see ``--help``)."""

from __future__ import annotations

import logging
import os
import sys

# Kivy parses sys.argv on import unless told not to; the kiosk parses its own arguments.
os.environ.setdefault("KIVY_NO_ARGS", "1")


def main(argv: list[str] | None = None) -> int:
    from .config import load_config, parser, save_config
    from .files import private_dir

    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    config = load_config(argv)
    if parser().parse_args(argv).save_config:
        print(f"settings written to {save_config(config)}")
        return 0
    if any(arg == "--token" or arg.startswith("--token=") for arg in argv):
        logging.getLogger("kiosk").warning(
            "the token on the command line shows in ps: use --token-file or kiosk.ini"
        )
    private_dir(config.data_dir)
    os.environ.setdefault("KIVY_HOME", str(config.data_dir / "kivy"))

    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    if config.size:
        width, height = config.size.split("x")
        Config.set("graphics", "width", width)
        Config.set("graphics", "height", height)
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "position", "custom")
        Config.set("graphics", "left", "0")
        Config.set("graphics", "top", "0")
    elif config.fullscreen:
        Config.set("graphics", "fullscreen", "auto")
    if config.fullscreen or config.size:
        Config.set("graphics", "show_cursor", "0")
    from .app import KioskApp

    KioskApp(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
