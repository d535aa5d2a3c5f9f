"""Kiosk settings: command line over environment over file over defaults."""

from __future__ import annotations

import stat

import pytest

from kiosk.config import load_config, save_config


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


def test_the_token_can_come_from_a_file(tmp_path):
    secret = tmp_path / "token"
    secret.write_text("s3cret-token\n")
    secret.chmod(0o600)
    config = load_config(["--data-dir", str(tmp_path), "--token-file", str(secret)], environ={})
    assert config.token == "s3cret-token"


def test_the_token_file_can_be_named_in_the_environment(tmp_path):
    secret = tmp_path / "token"
    secret.write_text("from-file")
    config = load_config(
        ["--data-dir", str(tmp_path)],
        environ={"KIOSK_TOKEN_FILE": str(secret), "KIOSK_TOKEN": "from-env"},
    )
    assert config.token == "from-file"


def test_a_token_on_the_command_line_wins_over_a_token_file(tmp_path):
    secret = tmp_path / "token"
    secret.write_text("from-file")
    config = load_config(
        ["--data-dir", str(tmp_path), "--token", "typed"],
        environ={"KIOSK_TOKEN_FILE": str(secret)},
    )
    assert config.token == "typed"


def test_a_missing_token_file_stops_the_kiosk_with_a_reason(tmp_path):
    with pytest.raises(SystemExit) as stop:
        load_config(["--data-dir", str(tmp_path), "--token-file", str(tmp_path / "no")], {})
    assert "cannot read the token file" in str(stop.value)


def test_saved_settings_are_readable_by_the_kiosks_user_only(tmp_path):
    data_dir = tmp_path / "kiosk-data"
    config = load_config(
        ["--data-dir", str(data_dir), "--server", "http://bank:8000", "--token", "abc"], {}
    )
    ini = save_config(config)
    assert ini == data_dir / "kiosk.ini"
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    again = load_config(["--data-dir", str(data_dir)], environ={})
    assert (again.server, again.token) == ("http://bank:8000", "abc")


def test_saving_over_a_world_readable_file_makes_it_private(tmp_path):
    ini = tmp_path / "kiosk.ini"
    ini.write_text("[kiosk]\n")
    ini.chmod(0o644)
    save_config(load_config(["--data-dir", str(tmp_path), "--token", "abc"], {}))
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600


def test_a_token_file_is_saved_as_its_path_not_its_token(tmp_path):
    secret = tmp_path / "token"
    secret.write_text("s3cret-token")
    save_config(load_config(["--data-dir", str(tmp_path), "--token-file", str(secret)], {}))
    saved = (tmp_path / "kiosk.ini").read_text()
    assert "s3cret-token" not in saved
    assert f"token_file = {secret}" in saved


def test_a_world_readable_ini_holding_the_token_is_made_private(tmp_path):
    ini = tmp_path / "kiosk.ini"
    ini.write_text("[kiosk]\ntoken = abc\n")
    ini.chmod(0o644)
    assert load_config(["--data-dir", str(tmp_path)], environ={}).token == "abc"
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600
