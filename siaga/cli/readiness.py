"""`siaga readiness …`: readiness rules, medical resources, officer health, the board."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from siaga.application.errors import ReadinessError
from siaga.cli.common import app, clear_errors, fail, out, print_json, siaga_of
from siaga.cli.fieldwork import FileArg, FromOpt, ToOpt, report_outcome, scope_window_rules
from siaga.events.rules import RulesError

readiness_app = typer.Typer(
    help="Kesiapan pengamanan dan kesehatan / security and medical readiness.",
    no_args_is_help=True,
)
app.add_typer(readiness_app, name="readiness")


@readiness_app.command("rules")
def rules(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show the readiness rules in force (shipped, or SIAGA_HOME/readiness_rules.yaml)."""
    try:
        found = siaga_of(ctx).events.rules()
    except RulesError as exc:
        fail(str(exc))
    if as_json:
        print_json({"path": found.path, **found.raw})
        return
    table = Table(title=f"Aturan kesiapan / readiness rules ({found.path})")
    for column in ("massa ≤ / crowd ≤", "pengawal / escorts", "tim medis", "ambulans",
                   "pos kesehatan", "asumsi / assumption"):
        table.add_column(column)
    for band in found.bands:
        table.add_row("∞" if band.max_crowd is None else f"{band.max_crowd:,}",
                      str(band.escort_personnel), str(band.medical_teams), str(band.ambulances),
                      "ya" if band.medical_post else "-",
                      f"ya / yes: {band.note}" if band.assumption else "tidak / no")
    out.print(table)


@readiness_app.command("import")
def import_resources(ctx: typer.Context, path: FileArg) -> None:
    """Import resources per district: region,kind,name,quantity (kind: medical_post, …)."""
    with clear_errors():
        try:
            outcome = siaga_of(ctx).readiness.import_resources(path)
        except ReadinessError as exc:
            fail(str(exc))
    report_outcome(outcome, path, "sumber daya / resources")


@readiness_app.command("health")
def import_health(ctx: typer.Context, path: FileArg) -> None:
    """Import polling-officer health: unit,officers,screened[,ill,died,reported_at]."""
    with clear_errors():
        try:
            outcome = siaga_of(ctx).readiness.import_health(path)
        except ReadinessError as exc:
            fail(str(exc))
    report_outcome(outcome, path, "laporan kesehatan / health reports")


@readiness_app.command("board")
def board(
    ctx: typer.Context,
    scope: Annotated[str, typer.Option(help="Regency or district code.")],
    since: FromOpt = None,
    until: ToOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show the readiness board: per district, needs against medical resources and PSC 119."""
    with clear_errors():
        siaga = siaga_of(ctx)
        code, start, stop, found_rules = scope_window_rules(siaga, scope, since, until)
        try:
            rows = siaga.readiness.board(code, found_rules, since=start, until=stop)
        except ReadinessError as exc:
            fail(str(exc))
    if as_json:
        print_json({"scope": code, "rules": found_rules.path,
                    "districts": [r.to_dict() for r in rows]})
        return
    table = Table(title=f"Papan kesiapan / readiness board · {code}")
    for column in ("kecamatan", "TPS", "tim medis", "ambulans", "pos", "PSC 119",
                   "skrining / screening", "sakit/wafat", "pengawal / escorts", "status"):
        table.add_column(column)
    for r in rows:
        have, need = r.available, r.need
        table.add_row(f"{r.name} ({r.code})", str(r.tps),
                      f"{have['medical_teams']}/{need['medical_teams']}",
                      f"{have['ambulances']}/{need['ambulances']}",
                      f"{have['medical_posts']}/{need['medical_posts']}",
                      "ya" if r.psc119 else "TIDAK",
                      "-" if r.screening_coverage is None else f"{r.screening_coverage:.0%}",
                      f"{r.officers['ill']}/{r.officers['died']}",
                      str((r.event_peak or {}).get("escort_personnel", 0)),
                      "siap / ready" if r.ready else "kurang / short")
    out.print(table)
    out.print("tersedia/dibutuhkan / available/needed; pengawal = personel pada hari tersibuk / "
              "escorts needed on the busiest event day", highlight=False)
    for r in rows:
        for problem in r.problems:
            out.print(f"{r.code}: {problem}", highlight=False)
