"""Write score rows as JSON, CSV, GeoJSON or XLSX, and observation templates as CSV or XLSX."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from siaga.domain.risk import IndicatorKind
from siaga.risk.framework import Framework
from siaga.risk.observation_file import META_COLUMNS

CLASS_COLOURS = {"high": "#c0392b", "medium": "#e6a117", "low": "#3a9d5d"}
_FLAT = ("code", "name", "level", "score", "class", "indicators_occurred", "tps_rawan", "tps",
         "voters", "change", "demo")


def _flat(row: Mapping[str, Any]) -> dict[str, Any]:
    flat = {k: row[k] for k in _FLAT if k in row}
    flat.update({f"group_{k}": v for k, v in row.get("groups", {}).items()})
    return flat


def rows_to_json(rows: Sequence[Mapping[str, Any]]) -> str:
    """Return the rows as a JSON list."""
    return json.dumps(rows, ensure_ascii=False, indent=2)


def rows_to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """Return the rows as CSV, group scores as `group_<id>` columns."""
    flat = [_flat(r) for r in rows]
    out = io.StringIO()
    if flat:
        writer = csv.DictWriter(out, fieldnames=list(flat[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
    return out.getvalue()


def rows_to_geojson(rows: Sequence[Mapping[str, Any]],
                    geometries: Mapping[str, Mapping[str, Any]], meta: Mapping[str, Any]) -> str:
    """Return a FeatureCollection: each row's polygon (or TPS point) with its score and colour.

    Rows without a geometry keep a null geometry so that no score silently disappears.
    """
    features = []
    for row in rows:
        props = {**_flat(row), "fill": CLASS_COLOURS[row["class"]]}
        features.append({"type": "Feature", "id": row["code"], "properties": props,
                         "geometry": geometries.get(row["code"])})
    return json.dumps({"type": "FeatureCollection", "siaga": meta, "features": features},
                      ensure_ascii=False)


def rows_to_xlsx(rows: Sequence[Mapping[str, Any]], path: Path, meta: Mapping[str, Any]
                 ) -> None:
    """Write the rows to a workbook: a sheet of scores and a sheet saying what they are."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "skor"
    flat = [_flat(r) for r in rows]
    header = list(flat[0]) if flat else list(_FLAT)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in flat:
        sheet.append([row.get(h) for h in header])
        colour = CLASS_COLOURS[row["class"]].lstrip("#")
        sheet.cell(sheet.max_row, header.index("class") + 1).fill = PatternFill(
            "solid", fgColor=colour)
    sheet.freeze_panes = "A2"
    about = book.create_sheet("keterangan")
    for key, value in meta.items():
        about.append([key, json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict)
                      else value])
    book.save(path)


def _allowed(kind: IndicatorKind) -> str:
    return {IndicatorKind.BINARY: "1 = ya/yes, 0 = tidak/no",
            IndicatorKind.COUNT: "jumlah kejadian / number of incidents",
            IndicatorKind.RATE: "jumlah orang / number of people"}[kind]


def write_template(framework: Framework, units: list[tuple[str, str]], path: Path) -> None:
    """Write a fill-in template: one row per unit, one column per indicator (CSV or XLSX)."""
    header = [*META_COLUMNS, *(i.id for i in framework.indicators)]
    rows = [[code, name, "", "", "", *([""] * len(framework.indicators))]
            for code, name in units]
    if path.suffix.lower() != ".xlsx":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "observasi"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "C2"
    guide = book.create_sheet("indikator")
    guide.append(["indikator / indicator", "kelompok / group", "nama", "name", "isian / value"])
    for ind in framework.indicators:
        guide.append([ind.id, " / ".join(ind.path), ind.name.id, ind.name.en, _allowed(ind.kind)])
    guide.append([])
    guide.append(["observed_at", "", "tanggal kejadian, mis. 2024-11-20 (kosong = hari impor)",
                  "date observed, e.g. 2024-11-20 (blank = import day)", ""])
    book.save(path)
