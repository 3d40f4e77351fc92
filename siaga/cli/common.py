"""What every command shares: the Typer apps, settings, output consoles, error mapping."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from siaga.application import Siaga
from siaga.application.errors import RiskError, StoreError
from siaga.datafiles.problems import DataFileError
from siaga.domain.regions import RegionCodeError
from siaga.risk.framework import FrameworkError
from siaga.risk.hierarchy import HierarchyError
from siaga.settings import Settings, SettingsError, load_settings

app = typer.Typer(
    help="Siaga: early warning and coordination for Pilkada.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
data_app = typer.Typer(help="Check the shared reference data.", no_args_is_help=True)
regions_app = typer.Typer(help="Look up regions: show one, search by name.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(regions_app, name="regions")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
EXPECTED_ERRORS = (
    SettingsError, DataFileError, StoreError, RegionCodeError, FrameworkError, HierarchyError,
    RiskError,
)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one error line to stderr and exit with `code`."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn the library's expected exceptions into one-line messages and exit status 1."""
    try:
        yield
    except EXPECTED_ERRORS as exc:
        fail(str(exc).replace("[", "\\["))


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option(help="TOML settings file (or SIAGA_CONFIG).")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Shared data folder (or SIAGA_DATA_DIR).")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL (or SIAGA_DATABASE_URL).")
    ] = None,
    home: Annotated[Path | None, typer.Option(help="Working folder (or SIAGA_HOME).")] = None,
) -> None:
    """Siaga: early warning and coordination for Pilkada."""
    with clear_errors():
        ctx.obj = load_settings(config, data_dir=data_dir, database_url=database_url, home=home)


def settings_of(ctx: typer.Context) -> Settings:
    """Return the settings built by the main callback."""
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def siaga_of(ctx: typer.Context) -> Siaga:
    """Return the command's application object, built on first use from its settings (the
    store opened and migrated to the newest schema) and closed when the command ends."""
    found = ctx.meta.get("siaga")
    if found is None:
        found = ctx.meta["siaga"] = Siaga(settings_of(ctx))
        ctx.call_on_close(found.close)
    assert isinstance(found, Siaga)
    return found


def print_json(value: Any) -> None:
    """Print a value as JSON on stdout (no colour, no wrapping)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
