"""`siaga ingest`, `siaga detect classify|run`, `siaga alerts list`: early detection.

The models are loaded inside the commands (scikit-learn would slow every other command)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.table import Table

from siaga.cli import common
from siaga.cli.common import clear_errors, err, fail, out, print_json, settings_of, siaga_of
from siaga.console import BarProgress
from siaga.detect.alerts import AlertRules, AlertRulesError
from siaga.sources.base import SourceError
from siaga.sources.registry import KINDS

detect_app = typer.Typer(help="Early detection: classify texts, process signals.",
                         no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts: rises of a category in a region.", no_args_is_help=True)
common.app.add_typer(detect_app, name="detect")
common.app.add_typer(alerts_app, name="alerts")


# The choices of `--source-type`, one per kind the sources registry knows.
SourceType = StrEnum("SourceType", {name.upper(): name for name in KINDS})  # type: ignore[misc]
SOURCE_HELP = "Input kind: " + "; ".join(f"{k.name}: {k.help}" for k in KINDS.values()) + "."


@contextmanager
def detect_errors() -> Iterator[None]:
    """Turn detection's expected exceptions into one-line messages and exit status 1."""
    from siaga.application.detection import DetectError

    with clear_errors():
        try:
            yield
        except (SourceError, DetectError, AlertRulesError) as exc:
            fail(str(exc).replace("[", "\\["))


def _rules(ctx: typer.Context) -> AlertRules:
    return siaga_of(ctx).detect.rules()


def _pipeline(ctx: typer.Context, rules: AlertRules, scope: str | None = None) -> Any:
    with BarProgress() as progress:
        return siaga_of(ctx).detect.pipeline(rules, progress=progress, scope=scope)


def _process(ctx: typer.Context, rules: AlertRules, scope: str | None,
             batch_size: int | None = None) -> None:
    from siaga.application.detection import BATCH

    pipeline = _pipeline(ctx, rules, scope)
    with BarProgress() as progress:
        report = siaga_of(ctx).detect.process(pipeline, rules, progress=progress,
                                               batch_size=batch_size or BATCH)
    alerts = report.alerts
    out.print(
        f"Diproses / processed: {report.processed:,} sinyal; peringatan baru / alerts opened: "
        f"{len(alerts.opened)}, diperbarui / updated: {len(alerts.updated)}",
        highlight=False, markup=False,
    )


@common.app.command("ingest")
def ingest(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="File path, or http(s) URL of a feed.")],
    source_type: Annotated[SourceType, typer.Option("--source-type", help=SOURCE_HELP)],
    mapping: Annotated[
        Path | None, typer.Option(help="YAML column mapping (jsonl, csv) for other exports.")
    ] = None,
    scope: Annotated[
        str | None, typer.Option(help="Region codes field reports may come from (15.02,17.06).")
    ] = None,
    process: Annotated[
        bool, typer.Option(help="Classify, locate and cluster the new signals right away.")
    ] = True,
) -> None:
    """Store signals from a file or feed (raw, once), then process them; print a summary."""
    from siaga.sources.field_reports import VillageDirectory

    settings = settings_of(ctx)
    with detect_errors():
        rules = _rules(ctx) if process else None
        villages = None
        if KINDS[source_type.value].needs_villages:
            codes = [c.strip() for c in (scope or "").split(",") if c.strip()]
            villages = VillageDirectory.from_data_dir(settings.require_data_dir(), codes)
        with BarProgress() as progress:
            report = siaga_of(ctx).detect.ingest(location, source_type.value,
                                                 mapping_path=mapping, villages=villages,
                                                 progress=progress)
        _summary(report)
        if process and rules is not None:
            _process(ctx, rules, scope)


def _summary(report: Any) -> None:
    table = Table("", "jumlah / count", title=f"Ingest: {report.source}")
    table.add_row("dibaca / read", f"{report.read:,}")
    table.add_row("baru / new", f"{report.inserted:,}")
    table.add_row("duplikat / duplicates", f"{report.duplicates:,}")
    table.add_row("ditolak / rejected", f"{len(report.problems):,}")
    out.print(table)
    if report.file_seen_before:
        out.print("Berkas ini pernah diterima / this file was received before.", markup=False)
    for problem in report.problems[:50]:
        err.print(f"{problem}", highlight=False, markup=False)
    if len(report.problems) > 50:
        err.print(f"... and {len(report.problems) - 50} more", markup=False)
    for line, reply in report.replies:
        out.print(f"balasan / reply (line {line}): {reply}", highlight=False, markup=False)


@detect_app.command("run")
def run(
    ctx: typer.Context,
    scope: Annotated[str | None, typer.Option(help="Region codes to favour in extraction.")] = None,
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Signals per committed batch (default 1000).")
    ] = None,
) -> None:
    """Process every stored signal that has no detection yet, then evaluate the alert rules."""
    with detect_errors():
        _process(ctx, _rules(ctx), scope, batch_size)


@contextmanager
def _open(path: str, mode: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdin if "r" in mode else sys.stdout
        return
    try:
        handle = open(path, mode, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    with handle:
        yield handle


@detect_app.command("classify")
def classify(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--in", help="JSON Lines input ('-' = stdin).")],
    target: Annotated[str, typer.Option("--out", help="JSON Lines output ('-' = stdout).")],
    scope: Annotated[str | None, typer.Option(help="Region codes to favour in extraction.")] = None,
) -> None:
    """Classify, locate and cluster texts: one JSON line out per JSON line in, in order."""
    with detect_errors():
        rules = _rules(ctx)
        pipeline = _pipeline(ctx, rules, scope)
        errors = 0
        with _open(source, "r") as reader, _open(target, "w") as writer:
            for result in siaga_of(ctx).detect.classify(pipeline, rules, reader):
                if result.error is not None:
                    errors += 1
                    err.print(result.error, highlight=False, markup=False)
                writer.write(json.dumps(result.to_dict(), ensure_ascii=False, default=str) + "\n")
        if errors:
            fail(f"{errors} input line(s) could not be classified (see above)")


def _alert_rows(alerts: list[Any]) -> list[dict[str, Any]]:
    return [
        {"id": a.id, "region_code": a.region_code, "category": a.category,
         "window_start": a.window_start.isoformat(), "window_days": a.window_days,
         "observed": a.observed, "expected": a.expected, "p_value": a.p_value,
         "method": a.method, "status": a.status.value, "max_severity": a.max_severity,
         "opened_at": a.opened_at.isoformat(), "updated_at": a.updated_at.isoformat(),
         "signal_ids": a.signal_ids}
        for a in alerts
    ]


@alerts_app.command("list")
def list_alerts(
    ctx: typer.Context,
    scope: Annotated[str | None, typer.Option(help="Region codes (15.02,17.06).")] = None,
    status: Annotated[str | None, typer.Option(help="open or closed (default: both).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many alerts.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List alerts, newest window first: region, category, count against baseline, signals."""
    if status not in (None, "open", "closed"):
        fail(f"unknown status {status!r}; use open or closed")
    with detect_errors():
        alerts = siaga_of(ctx).detect.alerts(scope, status, limit)
    rows = _alert_rows(alerts)
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("Tidak ada peringatan / no alerts.", markup=False)
        return
    table = Table("id", "wilayah / region", "kategori / category", "mulai / window", "teramati",
                  "diharapkan", "p", "status", "sinyal / signals")
    for row in rows:
        table.add_row(str(row["id"]), row["region_code"], row["category"], row["window_start"],
                      str(row["observed"]), f"{row['expected']:.2f}", f"{row['p_value']:.1e}",
                      row["status"], str(len(row["signal_ids"])))
    out.print(table)


@detect_app.command("clusters")
def list_clusters(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="At most this many clusters.")] = 20,
    min_count: Annotated[int, typer.Option(min=1, help="Only clusters this large.")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the largest clusters of near-duplicate signals: count, first/last seen, sources."""
    with detect_errors():
        found = siaga_of(ctx).detect.clusters(limit, min_count)
    rows: list[dict[str, Any]] = [{"id": c.id, "count": c.count,
             "first_seen": c.first_seen.isoformat(),
             "last_seen": c.last_seen.isoformat(), "sources": c.sources,
             "representative_signal_id": c.representative_signal_id, "sample": c.sample}
            for c in found]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "jumlah / count", "pertama / first", "terakhir / last",
                  "sumber / sources", "contoh / sample")
    for row in rows:
        sources = ", ".join(f"{k} {v}" for k, v in row["sources"].items())
        table.add_row(str(row["id"]), str(row["count"]), row["first_seen"][:16],
                      row["last_seen"][:16], sources, row["sample"][:80])
    out.print(table)
