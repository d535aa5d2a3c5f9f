"""Kiosk settings: command line over environment over file over defaults."""

from __future__ import annotations

import pytest

from kiosk.config import load_config


def test_defaults_need_no_file_or_environment(tmp_path):
    config = load_config(["--data-dir", str(tmp_path)], environ={})
    assert (config.server, config.lang, config.mode, config.idle_seconds) == (
        "http://127.0.0.1:8000",
        "de",
        None,
        30.0,
    )


def test_the_file_sets_values(tmp_path):
    (tmp_path / "kiosk.ini").write_text(
        "[kiosk]\nserver = http://bank:8000/\ntoken = abc\nlang = en\n"
    )
    config = load_config(["--data-dir", str(tmp_path)], environ={})
    assert (config.server, config.token, config.lang) == ("http://bank:8000", "abc", "en")


def test_the_environment_beats_the_file(tmp_path):
    (tmp_path / "kiosk.ini").write_text("[kiosk]\ntoken = from-file\n")
    config = load_config(["--data-dir", str(tmp_path)], environ={"KIOSK_TOKEN": "from-env"})
    assert config.token == "from-env"


def test_the_command_line_beats_everything(tmp_path):
    (tmp_path / "kiosk.ini").write_text("[kiosk]\nmode = survey\n")
    config = load_config(
        ["--data-dir", str(tmp_path), "--mode", "checkin"], environ={"KIOSK_MODE": "both"}
    )
    assert config.mode == "checkin"


def test_an_unknown_mode_in_the_file_is_refused(tmp_path):
    (tmp_path / "kiosk.ini").write_text("[kiosk]\nmode = party\n")
    with pytest.raises(SystemExit):
        load_config(["--data-dir", str(tmp_path)], environ={})


def test_a_config_file_can_be_named(tmp_path):
    ini = tmp_path / "elsewhere.ini"
    ini.write_text("[kiosk]\nidle_seconds = 45\n")
    config = load_config(["--data-dir", str(tmp_path), "--config", str(ini)], environ={})
    assert config.idle_seconds == 45.0
