"""`siaga readiness …`: readiness rules, medical resources, officer health, the board."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from siaga.cli.common import app, clear_errors, fail, out, print_json, settings_of, store_of
from siaga.cli.events import FromOpt, ToOpt, print_problems, scope_window_rules
from siaga.events.rules import RulesError, load_rules
from siaga.services import readiness as service

readiness_app = typer.Typer(
    help="Kesiapan pengamanan dan kesehatan / security and medical readiness.",
    no_args_is_help=True,
)
app.add_typer(readiness_app, name="readiness")

FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file.")]


def report_outcome(outcome: Any, path: Path, what: str, stored: int | None = None) -> None:
    """Say what an import loaded and refused; exit 1 when it refused every row.

    `stored` is the number loaded when the outcome does not carry it as `stored`.
    """
    stored = outcome.stored if stored is None else stored
    if outcome.seen_before:
        out.print(f"{path.name} sudah pernah diimpor / was already imported (sha256 "
                  f"{outcome.sha256[:12]}…); nothing added.", highlight=False)
        return
    print_problems(outcome.problems, "baris ditolak / rows refused")
    out.print(f"{stored:,} {what} dimuat / loaded from {path.name}; raw file kept as "
              f"sha256 {outcome.sha256[:12]}…", highlight=False)
    if not stored and outcome.problems:
        raise typer.Exit(1)


@readiness_app.command("rules")
def rules(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show the readiness rules in force (shipped, or SIAGA_HOME/readiness_rules.yaml)."""
    try:
        found = load_rules(settings_of(ctx).home)
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
            with store_of(ctx).engine.begin() as conn:
                outcome = service.import_resources(conn, settings_of(ctx).home, path)
        except service.ReadinessError as exc:
            fail(str(exc))
    report_outcome(outcome, path, "sumber daya / resources")


@readiness_app.command("health")
def import_health(ctx: typer.Context, path: FileArg) -> None:
    """Import polling-officer health: unit,officers,screened[,ill,died,reported_at]."""
    with clear_errors():
        try:
            with store_of(ctx).engine.begin() as conn:
                outcome = service.import_health(conn, settings_of(ctx).home, path)
        except service.ReadinessError as exc:
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
    settings = settings_of(ctx)
    with clear_errors():
        code, start, stop, found_rules = scope_window_rules(settings, scope, since, until)
        try:
            with store_of(ctx).engine.connect() as conn:
                rows = service.board(conn, code, found_rules, since=start, until=stop,
                                     home=settings.home)
        except service.ReadinessError as exc:
            fail(str(exc))
    if as_json:
        print_json({"scope": code, "rules": found_rules.path, "districts": rows})
        return
    table = Table(title=f"Papan kesiapan / readiness board · {code}")
    for column in ("kecamatan", "TPS", "tim medis", "ambulans", "pos", "PSC 119",
                   "skrining / screening", "sakit/wafat", "pengawal / escorts", "status"):
        table.add_column(column)
    for r in rows:
        have, need = r["available"], r["need"]
        table.add_row(f"{r['name']} ({r['code']})", str(r["tps"]),
                      f"{have['medical_teams']}/{need['medical_teams']}",
                      f"{have['ambulances']}/{need['ambulances']}",
                      f"{have['medical_posts']}/{need['medical_posts']}",
                      "ya" if r["psc119"] else "TIDAK",
                      "-" if r["screening_coverage"] is None
                      else f"{r['screening_coverage']:.0%}",
                      f"{r['officers']['ill']}/{r['officers']['died']}",
                      str((r["event_peak"] or {}).get("escort_personnel", 0)),
                      "siap / ready" if r["ready"] else "kurang / short")
    out.print(table)
    out.print("tersedia/dibutuhkan / available/needed; pengawal = personel pada hari tersibuk / "
              "escorts needed on the busiest event day", highlight=False)
    for r in rows:
        for problem in r["problems"]:
            out.print(f"{r['code']}: {problem}", highlight=False)
