"""`siaga regions show` and `siaga regions search`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer
from rich.table import Table

from siaga.cli.common import clear_errors, fail, out, print_json, regions_app, siaga_of
from siaga.domain.regions import Level, normalize_code


def _print_summary(summary: Mapping[str, Any]) -> None:
    table = Table(show_header=False, title=f"{summary['name']} ({summary['code']})")
    for key in (
        "level",
        "kind",
        "parent",
        "districts",
        "villages",
        "polling_stations",
        "population",
        "area_km2",
        "voters_pilkada2024",
    ):
        table.add_row(
            key,
            "—"
            if summary[key] is None
            else f"{summary[key]:,}"
            if isinstance(summary[key], int | float)
            else str(summary[key]),
        )
    for pair in summary["candidate_pairs"]:
        table.add_row(f"{pair['contest_name']} #{pair['number']}", pair["names"])
    out.print(table)
    for note in summary["notes"]:
        out.print(f"note: {note}", highlight=False, markup=False)


@regions_app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Region code, dotted (15.02) or not (1502).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show one region: level, parent, counts inside it, candidate pairs of its contests."""
    with clear_errors():
        dotted = normalize_code(code)
        summary = siaga_of(ctx).regions.summary(dotted)
    if summary is None:
        fail(
            f"unknown region {dotted}: not in the code list (has `siaga init` been run? "
            "try `siaga regions search NAME`)"
        )
    if as_json:
        print_json(summary)
    else:
        _print_summary(summary)


@regions_app.command("search")
def search(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(help="A region name, e.g. 'Kab. Merangin' or 'Muko Muko'.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    level: Annotated[Level | None, typer.Option(help="Only regions of this level.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many hits at most.")] = 10,
) -> None:
    """Find regions by name, tolerant of prefixes, spacing and spelling; best first."""
    with clear_errors():
        gazetteer = siaga_of(ctx).regions.gazetteer()
        if gazetteer is None:
            fail("the region list is empty: run `siaga init` first")
        try:
            hits = gazetteer.search(text, limit=limit, level=level)
        except ValueError as exc:
            fail(str(exc), code=2)
    if as_json:
        print_json(
            [
                {
                    "code": h.code,
                    "name": h.name,
                    "level": h.level.value,
                    "parents": list(h.parent_names),
                    "score": round(h.score, 1),
                    "matched": h.matched,
                }
                for h in hits
            ]
        )
        return
    table = Table("code", "name", "level", "in", "score")
    for h in hits:
        table.add_row(h.code, h.name, h.level.value, " · ".join(h.parent_names), f"{h.score:.0f}")
    out.print(table)
