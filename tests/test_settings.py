"""Settings come from defaults, an optional TOML file, the environment, then explicit overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.settings import SettingsError, load_settings


def test_defaults_put_the_database_under_home() -> None:
    settings = load_settings(env={})
    assert settings.home == Path("var") and settings.data_dir is None
    assert settings.resolved_database_url == f"sqlite:///{(Path('var') / 'siaga.db').resolve()}"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_file_then_environment_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "siaga.toml"
    config.write_text('[siaga]\nport = 9000\nhost = "0.0.0.0"\ndata_dir = "/srv/data"\n')
    env = {"SIAGA_CONFIG": str(config), "SIAGA_PORT": "9100"}
    settings = load_settings(env=env, host="127.0.0.2")
    assert (settings.port, settings.host, settings.data_dir) == (
        9100,
        "127.0.0.2",
        Path("/srv/data"),
    )


def test_database_url_from_environment() -> None:
    url = "postgresql+psycopg://siaga@db/siaga"
    assert load_settings(env={"SIAGA_DATABASE_URL": url}).resolved_database_url == url


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("port = 'many'", "port"),
        ("colour = 'red'", "colour"),
        ("port = ", "siaga.toml"),
    ],
)
def test_bad_settings_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "siaga.toml"
    config.write_text(content)
    with pytest.raises(SettingsError, match=message):
        load_settings(config, env={})


def test_missing_settings_file() -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(Path("/nonexistent/siaga.toml"), env={})


def test_require_data_dir_explains_how_to_set_it(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SIAGA_DATA_DIR"):
        load_settings(env={}).require_data_dir()
    assert load_settings(env={"SIAGA_DATA_DIR": str(tmp_path)}).require_data_dir() == tmp_path
