"""`siaga data check` and `siaga data manifest`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from siaga.cli.common import clear_errors, data_app, err, fail, out, print_json, settings_of
from siaga.datafiles.manifest import build_manifest, check_data


@data_app.command("check")
def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Check every dataset Siaga uses: present, checksum as in the manifest, what needs it."""
    with clear_errors():
        data_dir = settings_of(ctx).require_data_dir()
        results = check_data(data_dir)
    bad = [r for r in results if r.required and r.status != "ok"]
    if as_json:
        print_json(
            {"data_dir": str(data_dir), "ok": not bad, "datasets": [r.as_dict() for r in results]}
        )
    else:
        table = Table("dataset", "status", "files", "needed for", title=f"Data in {data_dir}")
        for r in results:
            colour = "green" if r.status == "ok" else "red"
            table.add_row(r.id, f"[{colour}]{r.status}[/]", str(r.files), ", ".join(r.features))
        out.print(table)
    for r in bad:
        for problem in r.missing + r.altered:
            err.print(f"{r.id}: {problem}", highlight=False, markup=False)
    if bad:
        fail(f"{len(bad)} required dataset(s) missing or altered: {', '.join(r.id for r in bad)}")


@data_app.command("manifest")
def manifest(ctx: typer.Context) -> None:
    """Print a fresh manifest (JSON) of the data directory, for maintainers updating the data."""
    with clear_errors():
        data_dir = settings_of(ctx).require_data_dir()
        print(json.dumps(build_manifest(data_dir), indent=1))
