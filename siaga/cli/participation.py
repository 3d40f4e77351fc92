"""`siaga participation …`: turnout baselines, targets, DPT, shared figures and the gap table."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from siaga.application.errors import ParticipationError
from siaga.cli.common import app, clear_errors, fail, out, print_json, siaga_of
from siaga.cli.fieldwork import FileArg, ScopeOpt, report_outcome

participation_app = typer.Typer(
    help="Partisipasi pemilih: baseline, target, selisih / turnout baselines, targets, gaps.",
    no_args_is_help=True,
)
app.add_typer(participation_app, name="participation")

ELECTION_HELP = "Election the figures belong to (pilkada2024, pilpres2024, …)."


@participation_app.command("import")
def import_figures(
    ctx: typer.Context,
    path: FileArg,
    kind: Annotated[str, typer.Option(help="baseline, target or turnout.")] = "turnout",
    election: Annotated[str, typer.Option(help=ELECTION_HELP)] = "pilkada2024",
) -> None:
    """Import region,turnout or region,dpt,voters_who_voted rows (baseline, target, turnout)."""
    with clear_errors():
        try:
            outcome = siaga_of(ctx).participation.import_figures(path, kind, election)
        except ParticipationError as exc:
            fail(str(exc))
    report_outcome(outcome, path, f"angka {kind} / {kind} figures")


@participation_app.command("dpt")
def import_dpt(
    ctx: typer.Context,
    path: FileArg,
    election: Annotated[str, typer.Option(help=ELECTION_HELP)] = "pilkada2024",
) -> None:
    """Import DPT per region or TPS: unit,dpt (unit = region code or 13-digit TPS code)."""
    with clear_errors():
        try:
            outcome = siaga_of(ctx).participation.import_dpt(path, election)
        except ParticipationError as exc:
            fail(str(exc))
    report_outcome(outcome, path, "angka DPT / DPT figures")


@participation_app.command("target")
def target(
    ctx: typer.Context,
    region: Annotated[str, typer.Argument(help="Region code.")],
    election: Annotated[str, typer.Option(help=ELECTION_HELP)] = "pilkada2024",
    value: Annotated[str | None, typer.Option(help="Target, e.g. 90% or 0.9.")] = None,
    above: Annotated[
        float | None, typer.Option(help="Points above the baseline (e.g. 1).")] = None,
    baseline_election: Annotated[str, typer.Option()] = "pilpres2024",
) -> None:
    """Set a region's turnout target: a value, or the baseline plus some points."""
    if value is None and above is None:
        fail("give --value (e.g. 90%) or --above (points above the baseline)")
    with clear_errors():
        try:
            result = siaga_of(ctx).participation.set_target(
                region, election, value=value, above_points=above,
                baseline_election=baseline_election)
        except ParticipationError as exc:
            fail(str(exc))
    out.print(f"Target {result.region} {result.election}: {result.target:.1%} "
              f"({result.source})", highlight=False)


@participation_app.command("load-shared")
def load_shared(ctx: typer.Context, scope: ScopeOpt = "national",
                as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Load the participation figures the shared data holds (with their sources)."""
    with clear_errors():
        siaga = siaga_of(ctx)
        loaded = siaga.participation.load_shared(siaga.risk.check_scope(scope))
    if as_json:
        print_json([item.to_dict() for item in loaded])
        return
    for item in loaded:
        out.print(f"{item.kind} {item.election} {item.region}: {item.turnout:.1%} "
                  f"— {item.source}", highlight=False)
    out.print(f"{len(loaded)} angka dimuat / figures loaded", highlight=False)


@participation_app.command("gap")
def gap(
    ctx: typer.Context,
    scope: Annotated[str, typer.Option(help="Region code, e.g. 17.06.")],
    election: Annotated[str, typer.Option(help=ELECTION_HELP)] = "pilkada2024",
    level: Annotated[str, typer.Option(help="district or village.")] = "district",
    baseline_election: Annotated[str, typer.Option()] = "pilpres2024",
    chart: Annotated[Path | None, typer.Option(help="Write an SVG chart here.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show turnout against target per district or village, worst first (for sosialisasi)."""
    from siaga.participation.chart import gap_chart_svg
    if level not in ("district", "village"):
        fail(f"--level {level!r}: expected district or village")
    with clear_errors():
        siaga = siaga_of(ctx)
        code = siaga.risk.check_scope(scope)
        try:
            rows, meta = siaga.participation.gap(code, election, level,
                                                 baseline_election=baseline_election)
        except ParticipationError as exc:
            fail(str(exc))
    if chart is not None:
        shown = [r for r in rows if r["turnout"] is not None]
        chart.write_text(gap_chart_svg(shown, f"Partisipasi / turnout {election} · {code}"),
                         encoding="utf-8")
    if as_json:
        print_json({"meta": meta, "rows": rows})
        return
    _print_gap(rows, meta)
    if chart is not None:
        out.print(f"Grafik / chart: {chart}", highlight=False)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _print_gap(rows: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]) -> None:
    table = Table(title=f"Selisih partisipasi / turnout gap · {meta['scope']} · "
                  f"{meta['election']}")
    for column in ("#", "wilayah / region", "DPT", "memilih / voted", "partisipasi",
                   "target", "selisih (poin)", "kurang / to target"):
        table.add_column(column, justify="left" if column == "wilayah / region" else "right")
    for r in rows:
        table.add_row(str(r["rank"]), f"{r['name']} ({r['code']})",
                      "-" if r["dpt"] is None else f"{r['dpt']:,}",
                      "-" if r["voted"] is None else f"{r['voted']:,}", _pct(r["turnout"]),
                      _pct(r["target"]), "-" if r["gap_points"] is None
                      else f"{r['gap_points']:+.2f}",
                      "-" if r["to_target"] is None else f"{r['to_target']:,}")
    out.print(table)
    summary = {k: meta[k] for k in ("dpt", "voted", "turnout", "target", "gap_points",
                                    "to_target", "target_basis")}
    out.print(f"Total: {json.dumps(summary, ensure_ascii=False)}", highlight=False)
