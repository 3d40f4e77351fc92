"""`siaga risk …`: frameworks, templates, observation import and entry, scores, explanations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from siaga.application.errors import RiskExplanation
from siaga.cli.common import (
    app,
    clear_errors,
    err,
    fail,
    out,
    print_json,
    settings_of,
    siaga_of,
)
from siaga.domain.risk import ObservationSource, UnitLevel
from siaga.risk import export
from siaga.risk.framework import Framework, builtin_paths, load_frameworks
from siaga.risk.report import CLASS_LABELS

risk_app = typer.Typer(
    help="Vulnerability index (IKP, TPS rawan): observations and scores.", no_args_is_help=True
)
app.add_typer(risk_app, name="risk")

FrameworkOpt = Annotated[str, typer.Option("--framework", "-f", help="Framework id.")]
ScopeOpt = Annotated[str, typer.Option(help="Region code (15.02) or 'national'.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(help="Score as of this date or time (2024-11-20 = end of that day, local zone)."),
]


class Format(StrEnum):
    """Output formats of `siaga risk score`."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    GEOJSON = "geojson"
    XLSX = "xlsx"


def _user_dir(ctx: typer.Context) -> Path:
    return settings_of(ctx).home / "frameworks"


def _framework(ctx: typer.Context, framework_id: str) -> Framework:
    return siaga_of(ctx).risk.framework(framework_id)


@risk_app.command("frameworks")
def frameworks(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """List the frameworks: shipped ones and the user's (SIAGA_HOME/frameworks/*.yaml)."""
    with clear_errors():
        found = load_frameworks(_user_dir(ctx))
    shipped = set(builtin_paths())
    listing: list[dict[str, Any]] = [
        {
            "id": f.id,
            "title": f.title.id,
            "title_en": f.title.en,
            "version": f.version,
            "groups": [len(f.groups_at(d)) for d in range(len(f.group_levels))],
            "group_levels": list(f.group_levels),
            "indicators": len(f.indicators),
            "origin": "shipped" if f.path in shipped else "user",
            "path": str(f.path),
            "source": f.source,
        }
        for f in found.values()
    ]
    if as_json:
        print_json(listing)
        return
    table = Table(title="Kerangka indeks / Index frameworks")
    for column in ("id", "judul / title", "kelompok / groups", "indikator", "asal / origin"):
        table.add_column(column)
    for item in listing:
        groups = ", ".join(
            f"{n} {name}" for n, name in zip(item["groups"], item["group_levels"], strict=True)
        )
        table.add_row(
            item["id"],
            f"{item['title']}\n{item['title_en']}",
            groups,
            str(item["indicators"]),
            item["origin"],
        )
    out.print(table)
    out.print(f"Kerangka sendiri / own frameworks: {_user_dir(ctx)}/*.yaml", highlight=False)


@risk_app.command("template")
def template(
    ctx: typer.Context,
    framework_id: Annotated[str, typer.Argument(metavar="FRAMEWORK", help="Framework id.")],
    scope: ScopeOpt,
    level: Annotated[
        UnitLevel | None,
        typer.Option(help="Units to list (default: the framework's own, e.g. tps)."),
    ] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help=".xlsx or .csv")] = None,
) -> None:
    """Write a fill-in template: a row per unit of the scope, a column per indicator."""
    with clear_errors():
        framework = _framework(ctx, framework_id)
        code = siaga_of(ctx).risk.check_scope(scope)
        target = out_file or Path(f"{framework.id}-{code or 'national'}.xlsx")
        units = siaga_of(ctx).risk.template_units(framework, code, level)
        export.write_template(framework, units, target)
    out.print(
        f"Templat ditulis / template written: {target} ({len(units):,} rows, "
        f"{len(framework.indicators)} indicators)",
        highlight=False,
    )


def _print_problems(problems: list[Any], label: str) -> None:
    for problem in problems[:200]:
        err.print(
            f"{problem.file}:{problem.line}: {problem.message}", highlight=False, markup=False
        )
    if len(problems) > 200:
        err.print(f"... and {len(problems) - 200} more", highlight=False)
    if problems:
        err.print(f"{len(problems)} {label}", highlight=False)


@risk_app.command("import")
def import_file(
    ctx: typer.Context,
    framework_id: Annotated[str, typer.Argument(metavar="FRAMEWORK")],
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .xlsx")],
    observed_at: Annotated[
        str | None, typer.Option(help="Date for rows whose observed_at is blank (default: now).")
    ] = None,
) -> None:
    """Import observations from a filled template (or a long file: code,indicator,value,...)."""
    with clear_errors():
        framework = _framework(ctx, framework_id)
        risk = siaga_of(ctx).risk
        outcome = risk.import_observations(framework, path,
                                           default_time=risk.moment(observed_at, ""))
    if outcome.seen_before:
        out.print(
            f"{path.name} was already imported (sha256 {outcome.sha256[:12]}…); nothing "
            "added. Sudah pernah diimpor.",
            highlight=False,
        )
        return
    _print_problems(outcome.problems, "rows refused / baris ditolak")
    _print_problems(outcome.skipped, "observations already recorded / sudah tercatat")
    out.print(
        f"{outcome.inserted:,} observasi dimuat / observations loaded from {path.name} "
        f"({outcome.layout} layout); raw file kept as sha256 {outcome.sha256[:12]}…",
        highlight=False,
    )
    if outcome.inserted == 0 and outcome.problems:
        raise typer.Exit(1)


@risk_app.command("observe")
def observe(
    ctx: typer.Context,
    framework_id: Annotated[str, typer.Argument(metavar="FRAMEWORK")],
    code: Annotated[str, typer.Argument(help="Region code or TPS code.")],
    indicator: Annotated[str, typer.Argument(help="Indicator id.")],
    value: Annotated[str, typer.Argument(help="1/0 (ya/tidak), a count, or a number of people.")],
    evidence: Annotated[str, typer.Option(help="Where it comes from: case:12, a form id, a URL.")],
    source: Annotated[ObservationSource, typer.Option()] = ObservationSource.FORM,
    observed_at: Annotated[
        str | None, typer.Option(help="When it was observed (default now).")
    ] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record one observation by hand (a field form, a verified case, a signal)."""
    if source is ObservationSource.DEMO:
        fail("demo observations come only from `siaga risk demo`")
    with clear_errors():
        framework = _framework(ctx, framework_id)
        risk = siaga_of(ctx).risk
        moment = risk.moment(observed_at, code) if observed_at else None
        result = risk.record(framework, code, indicator, value, source=source,
                             evidence=evidence, observed_at=moment, note=note)
    if result != "recorded":
        fail(result)
    out.print("Tercatat / recorded", highlight=False)


def _score_table(rows: Sequence[Mapping[str, Any]], meta: Mapping[str, Any], limit: int) -> None:
    demo = " — DATA DEMO" if meta["demo"] else ""
    table = Table(
        title=f"{meta['framework']} · {meta['level']} · {meta['scope']} · "
        f"as of {meta['as_of']}{demo}"
    )
    columns = ["kode / code", "nama / name", "skor", "kelas / class", "indikator", "TPS rawan"]
    if meta["since"]:
        columns.append("Δ")
    for column in columns:
        table.add_column(column, justify="right" if column in ("skor", "Δ") else "left")
    for row in rows[:limit]:
        cells = [
            row["code"],
            row["name"],
            f"{row['score']:.2f}",
            CLASS_LABELS[row["class"]],
            str(row["indicators_occurred"]),
            f"{row['tps_rawan']}/{row['tps']}",
        ]
        if meta["since"]:
            cells.append(f"{row['change']:+.2f}")
        table.add_row(*cells)
    out.print(table)
    if len(rows) > limit:
        out.print(f"({len(rows) - limit} more; use --limit or --format csv)", highlight=False)
    for note in meta["notes"]:
        out.print(f"note: {note}", highlight=False, markup=False)


@risk_app.command("score")
def score(
    ctx: typer.Context,
    framework_id: FrameworkOpt,
    level: Annotated[UnitLevel, typer.Option(help="Units to score.")],
    scope: ScopeOpt,
    as_of: AsOfOpt = None,
    since: Annotated[str | None, typer.Option(help="Also give the change since this date.")] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to a file.")] = None,
    limit: Annotated[int, typer.Option(help="Rows shown in a table.")] = 40,
) -> None:
    """Score every unit of a level inside a scope: 0-100, class, indicators that occurred."""
    if fmt is Format.XLSX and out_file is None:
        fail("--format xlsx needs --out FILE.xlsx")
    with clear_errors():
        framework = _framework(ctx, framework_id)
        risk = siaga_of(ctx).risk
        code = risk.check_scope(scope)
        moment, baseline = risk.moment(as_of, code), risk.moment(since, code)
        rows, meta, shapes = risk.scores(framework, level, code, as_of=moment, since=baseline,
                                         shapes=fmt is Format.GEOJSON, cached=False)
    if fmt is Format.TABLE:
        _score_table(rows, meta, limit)
        return
    if fmt is Format.XLSX:
        assert out_file is not None
        export.rows_to_xlsx(rows, out_file, meta)
        out.print(f"{len(rows)} rows written to {out_file}", highlight=False)
        return
    text = {
        Format.JSON: lambda: export.rows_to_json(rows),
        Format.CSV: lambda: export.rows_to_csv(rows),
        Format.GEOJSON: lambda: export.rows_to_geojson(rows, shapes, meta),
    }[fmt]()
    if out_file is not None:
        out_file.write_text(text, encoding="utf-8")
        out.print(f"{len(rows)} rows written to {out_file}", highlight=False)
    else:
        typer.echo(text)


def _print_explanation(found: RiskExplanation) -> None:
    demo = "  [DATA DEMO]" if found.demo else ""
    out.print(
        f"[bold]{found.name} ({found.code}), {found.level}[/]{demo}\n"
        f"{found.framework}: skor {found.score:.2f} — {CLASS_LABELS[found.klass]}"
        f"; {found.indicators_occurred} indikator terjadi / indicators occurred; "
        f"TPS rawan {found.tps_rawan}/{found.tps}",
        highlight=False,
    )
    table = Table(title="Pendorong skor / what drives the score")
    for column in (
        "indikator / indicator",
        "bobot %",
        "paparan % / exposure",
        "poin",
        "bukti / evidence",
        "penanganan / what lowers it",
    ):
        table.add_column(column)
    for d in found.drivers:
        latest = d.evidence[0] if d.evidence else None
        proof = (
            f"{d.evidence_count}x · {latest.source} {latest.evidence} "
            f"({latest.observed_at[:10]})"
            if latest
            else "—"
        )
        table.add_row(
            f"{d.name}\n{d.name_en}",
            f"{d.weight_percent:.2f}",
            f"{d.exposure_percent:.1f}",
            f"{d.points:.2f}",
            proof,
            f"-{d.lowered_by:.2f}: {d.mitigation}",
        )
    out.print(table)
    lower = found.to_lower_class
    if lower:
        out.print(
            f"Menangani / resolving {', '.join(lower.resolve)} → skor "
            f"{lower.score_after:.2f} ({lower.class_after})",
            highlight=False,
        )


@risk_app.command("explain")
def explain(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Region code or TPS code.")],
    framework_id: FrameworkOpt = "ikp-pilkada-2024",
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Explain a score: the indicators behind it, their weights and evidence, what lowers it."""
    with clear_errors():
        framework = _framework(ctx, framework_id)
        risk = siaga_of(ctx).risk
        found = risk.explain(framework, code, risk.moment(as_of, code.replace(".", "")[:2]),
                             cached=False)
    if as_json:
        print_json(found.to_dict())
    else:
        _print_explanation(found)


@risk_app.command("demo")
def demo(
    ctx: typer.Context,
    scope: Annotated[str, typer.Option(help="Comma-separated regency codes.")] = "15.02,17.06",
) -> None:
    """Add invented, clearly marked demo observations for the given regencies."""
    with clear_errors():
        found = list(load_frameworks(None).values())
        risk = siaga_of(ctx).risk
        codes = [risk.check_scope(c.strip()) for c in scope.split(",") if c.strip()]
        for code, added in risk.load_demo(found, codes).items():
            out.print(
                f"{code}: demo observations added / data demo ditambahkan: "
                + ", ".join(f"{k} {v}" for k, v in added.items()),
                highlight=False,
            )
