"""The docs name every setting and every CLI command, so they cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

import typer.main

from siaga.cli import app
from siaga.importers.workspace import IMPORTERS
from siaga.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(group: object, prefix: str = "siaga") -> list[str]:
    names = []
    for name, command in getattr(group, "commands", {}).items():
        if hasattr(command, "commands"):
            names += _commands(command, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    for name in Settings.model_fields:
        assert f"`{name}`" in text and f"`SIAGA_{name.upper()}`" in text


def test_every_command_is_documented() -> None:
    commands = _commands(typer.main.get_command(app))
    assert "siaga regions show" in commands and "siaga data check" in commands
    text = (DOCS / "cli.md").read_text()
    for command in commands:
        assert f"## `{command}" in text, command


def test_every_importer_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    for name in IMPORTERS:
        assert f"`{name}`" in text
