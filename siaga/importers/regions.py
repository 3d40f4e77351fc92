"""Import the code lists (both vintages and their mapping), population, area, village centroids."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from siaga.datafiles.problems import DataFileError, RowProblem
from siaga.domain.regions import Level, Region, RegionCodeError, normalize_code
from siaga.importers.base import (
    ImportContext,
    ImportReport,
    dataset_files,
    digest_of,
    record_import,
)
from siaga.regions.codelist import (
    CURRENT_VINTAGE,
    ELECTION_VINTAGE,
    RegionFacts,
    kind_of,
    map_vintage,
    read_area,
    read_code_list,
    read_population,
    split_orphans,
)
from siaga.store import reference
from siaga.store.reference import Row
from siaga.store.tx import Tx, transaction

REGION_COLUMNS = ("code", "name", "level", "parent_code", "kind")


def _read_list(ctx: ImportContext, path: Path, report: ImportReport) -> list[Region]:
    task = ctx.progress.task(f"Reading {path.name}", total=None)
    kept, orphans = split_orphans(list(report.take(read_code_list(path))), str(path))
    for problem in orphans:
        report.reject(problem)
    task.close()
    return kept


def import_regions(ctx: ImportContext) -> ImportReport:
    """Import the whole 2025 code list, the 2023 list and how 2023 codes map onto 2025."""
    report = ImportReport("regions", "national")
    current_path, *_ = dataset_files(ctx, "regions-2025", report)
    old_path, *_ = dataset_files(ctx, "regions-2023", report)
    current = _read_list(ctx, current_path, report)
    old = _read_list(ctx, old_path, report)
    changes = map_vintage(
        {r.code: r.name for r in old}, {r.code: r.name for r in current}, ELECTION_VINTAGE
    )
    task = ctx.progress.task("Storing regions", total=len(current) + len(changes))
    with transaction(ctx.store) as conn:
        rows = [(r.code, r.name, r.level.value, r.parent, kind_of(r)) for r in current]
        report.tables["regions"] = reference.sync(conn, "regions", REGION_COLUMNS, ("code",), rows)
        task.advance(len(rows))
        legacy = [(c.vintage, c.code, c.name, c.current_code, c.match) for c in changes]
        report.tables["legacy_region_codes"] = reference.sync(
            conn,
            "legacy_region_codes",
            ("vintage", "code", "name", "current_code", "match"),
            ("vintage", "code"),
            legacy,
        )
        task.advance(len(legacy))
        record_import(conn, report, digest_of([current_path, old_path]))
    task.close()
    unmatched = sum(1 for c in changes if c.match == "unmatched")
    report.warnings.append(
        f"{ELECTION_VINTAGE} -> {CURRENT_VINTAGE} codes: "
        f"{sum(1 for c in changes if c.match == 'same_name'):,} changed code and were matched by "
        f"name, {unmatched:,} have no counterpart in the {CURRENT_VINTAGE} list"
    )
    return report


def known_codes(conn: Tx, level: Level | None = None) -> set[str]:
    """Return the codes of the current list (optionally of one level)."""
    return reference.known_codes(conn, None if level is None else level.value)


def _facts(ctx: ImportContext, dataset: str, reader: str) -> ImportReport:
    report = ImportReport(dataset, "national")
    path, *_ = dataset_files(ctx, dataset, report)
    items = read_population(path) if reader == "population" else read_area(path)
    facts: list[RegionFacts] = list(report.take(items))
    with transaction(ctx.store) as conn:
        codes = known_codes(conn)
        good = [f for f in facts if f.code in codes]
        for fact in facts:
            if fact.code not in codes:
                report.reject(
                    RowProblem(str(path), fact.line, f"region {fact.code} is not in the code list")
                )
        if reader == "population":
            columns: tuple[str, ...] = (
                "code",
                "population",
                "population_male",
                "population_female",
            )
            rows: list[Row] = [
                (f.code, f.population, f.population_male, f.population_female) for f in good
            ]
        else:
            columns, rows = ("code", "area_km2"), [(f.code, f.area_km2) for f in good]
        report.tables["regions"] = reference.sync(conn, "regions", columns, ("code",), rows)
        record_import(conn, report, digest_of([path]))
    return report


def import_population(ctx: ImportContext) -> ImportReport:
    """Import population per province and regency."""
    return _facts(ctx, "regions-population", "population")


def import_area(ctx: ImportContext) -> ImportReport:
    """Import area (km2) per province and regency."""
    return _facts(ctx, "regions-area", "area")


def _read_centroids(
    path: Path, ctx: ImportContext
) -> Iterator[tuple[str, float, float, int] | RowProblem]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError as exc:
        raise DataFileError(path, "file not found") from exc
    with handle:
        reader = csv.DictReader(handle)
        for row in reader:
            try:
                code = normalize_code(row.get("kode") or "")
                if not ctx.scope.contains(code):
                    continue
                lat, lng = float(row.get("lat") or "x"), float(row.get("lng") or "x")
            except (ValueError, RegionCodeError) as exc:
                yield RowProblem(str(path), reader.line_num, f"expected kode,nama,lat,lng: {exc}")
                continue
            if not (-12 <= lat <= 7 and 94 <= lng <= 142):
                yield RowProblem(
                    str(path), reader.line_num, f"{code}: ({lat}, {lng}) lies outside Indonesia"
                )
                continue
            yield code, lat, lng, reader.line_num


def import_village_centroids(ctx: ImportContext) -> ImportReport:
    """Set each village's centroid (in the scope) from the national centroid table."""
    report = ImportReport("village-centroids", str(ctx.scope))
    path, *_ = dataset_files(ctx, "village-centroids", report)
    points = list(report.take(_read_centroids(path, ctx)))
    with transaction(ctx.store) as conn:
        villages = known_codes(conn, Level.VILLAGE)
        rows = []
        for code, lat, lng, line in points:
            if code in villages:
                rows.append((code, lat, lng, "village_centroid"))
            else:
                report.reject(
                    RowProblem(str(path), line, f"village {code} is not in the code list")
                )
        report.tables["regions"] = reference.sync_region_points(conn, rows, ctx.scope)
        record_import(conn, report, digest_of([path]))
    return report
