"""`siaga init` and `siaga import`: load reference data into the store."""

from __future__ import annotations

from typing import Annotated

import typer

from siaga.cli.common import app, clear_errors, err, fail, out, settings_of, siaga_of
from siaga.console import BarProgress
from siaga.domain.scope import Scope
from siaga.importers.base import ImportContext, ImportReport
from siaga.importers.workspace import IMPORTERS, init_workspace

SHOWN_PROBLEMS = 20
ScopeOption = Annotated[
    str, typer.Option(help="'national' or comma-separated region codes, e.g. 15.02,17.06.")
]


def _print_report(report: ImportReport) -> None:
    out.print(report.summary(), highlight=False, markup=False)
    for warning in report.warnings:
        err.print(f"warning: {warning}", highlight=False, markup=False)
    for problem in report.problems[:SHOWN_PROBLEMS]:
        err.print(f"rejected: {problem}", highlight=False, markup=False)
    hidden = report.rejected - min(len(report.problems), SHOWN_PROBLEMS)
    if hidden > 0:
        err.print(f"… and {hidden:,} more rejected rows in {report.dataset}", highlight=False)


def _context(ctx: typer.Context, scope: str, progress: BarProgress) -> ImportContext:
    settings = settings_of(ctx)
    return ImportContext(siaga_of(ctx).store, settings.require_data_dir(), Scope.parse(scope),
                         progress)


@app.command("init")
def init(ctx: typer.Context, scope: ScopeOption = "15.02,17.06") -> None:
    """Load the full region list plus every dataset inside SCOPE (idempotent)."""
    with clear_errors(), BarProgress() as progress:
        context = _context(ctx, scope, progress)
        reports = init_workspace(context, on_report=_print_report)
    rejected = sum(r.rejected for r in reports)
    changed = any(r.changed for r in reports)
    verdict = "loaded" if changed else "already up to date: nothing changed"
    out.print(
        f"Workspace [{context.scope}] {verdict}; {rejected:,} rows rejected in all.",
        highlight=False,
        markup=False,
    )


@app.command("import")
def import_one(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help=f"One of: {', '.join(IMPORTERS)}.")],
    scope: ScopeOption = "15.02,17.06",
) -> None:
    """Import one dataset for SCOPE (the regions must be imported first)."""
    importer = IMPORTERS.get(dataset)
    if importer is None:
        fail(f"unknown dataset {dataset!r}: expected one of {', '.join(IMPORTERS)}", code=2)
    with clear_errors(), BarProgress() as progress:
        _print_report(importer(_context(ctx, scope, progress)))
