"""`siaga data check`, `siaga data manifest` and `siaga data verify-raw`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from siaga.cli.common import (
    clear_errors,
    data_app,
    err,
    fail,
    out,
    print_json,
    settings_of,
    siaga_of,
)
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


@data_app.command("verify-raw")
def verify_raw(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """Check every stored raw input file against its SHA-256; name each missing or wrong one."""
    home = settings_of(ctx).home
    with clear_errors():
        total, problems = siaga_of(ctx).system.verify_raw_inputs(home)
    if as_json:
        print_json({"home": str(home), "checked": total, "ok": not problems,
                    "problems": [vars(p) for p in problems]})
    else:
        out.print(f"Berkas mentah diperiksa / raw files checked: {total:,}; "
                  f"bermasalah / with problems: {len(problems):,}", markup=False)
    for p in problems:
        err.print(f"raw input {p.id} ({p.filename}): {p.stored_path}: {p.problem}",
                  highlight=False, markup=False)
    if problems:
        fail(f"{len(problems)} raw input file(s) missing or altered; importing the same file "
             "again rewrites it")
