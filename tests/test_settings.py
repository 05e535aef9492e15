"""Configuration from the environment and a settings file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanzuji.errors import TanzujiError
from tanzuji.settings import load_settings


def test_defaults() -> None:
    settings = load_settings({})
    assert settings.url == "sqlite:///var/tanzuji.db"
    assert settings.cookie_secure is True
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.keys_dir == Path("var/keys")


def test_the_public_address_is_an_http_address_without_a_trailing_slash() -> None:
    settings = load_settings({"TANZUJI_PUBLIC_URL": "https://pcf.example.cn/"})
    assert settings.public_url == "https://pcf.example.cn"
    with pytest.raises(TanzujiError, match=r"TANZUJI_PUBLIC_URL: .*http"):
        load_settings({"TANZUJI_PUBLIC_URL": "pcf.example.cn"})


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    file = tmp_path / "tanzuji.toml"
    file.write_text('data_dir = "/srv/tanzuji"\nsession_hours = 8\n', encoding="utf-8")
    settings = load_settings({"TANZUJI_SETTINGS": str(file), "TANZUJI_SESSION_HOURS": "2"})
    assert settings.data_dir == Path("/srv/tanzuji")
    assert settings.session_hours == 2
    assert settings.evidence_dir == Path("/srv/tanzuji/evidence")


def test_a_bad_value_names_its_variable() -> None:
    with pytest.raises(TanzujiError, match="TANZUJI_MAX_UPLOAD_BYTES"):
        load_settings({"TANZUJI_MAX_UPLOAD_BYTES": "a lot"})


def test_an_unknown_key_in_the_file(tmp_path: Path) -> None:
    file = tmp_path / "tanzuji.toml"
    file.write_text('colour = "green"\n', encoding="utf-8")
    with pytest.raises(TanzujiError, match="TANZUJI_COLOUR"):
        load_settings({"TANZUJI_SETTINGS": str(file)})
