"""Import boundary polygons of the scope (with their ancestors) and the centroids they give."""

from __future__ import annotations

import json
from pathlib import Path

from siaga.datafiles.problems import RowProblem
from siaga.domain.regions import Level
from siaga.importers.base import (
    ImportContext,
    ImportReport,
    dataset_files,
    digest_of,
    record_import,
)
from siaga.importers.regions import known_codes
from siaga.regions.boundaries import (
    Boundary,
    boundary_paths,
    read_boundaries,
    representative_centroid,
)
from siaga.store import reference
from siaga.store.tx import transaction

BOUNDARY_COLUMNS = ("code", "geometry", "vertices", "source_lat", "source_lng", "repaired", "note")


def _paths(ctx: ImportContext) -> list[Path]:
    provinces = (None,) if ctx.scope.national else ctx.scope.prefixes()
    paths = boundary_paths(ctx.data_dir, Level.PROVINCE.value)
    for level in (Level.REGENCY, Level.DISTRICT, Level.VILLAGE):
        for province in provinces:
            paths += boundary_paths(ctx.data_dir, level.value, province)
    return paths


def _read(ctx: ImportContext, paths: list[Path], report: ImportReport) -> list[Boundary]:
    task = ctx.progress.task("Reading boundaries", total=sum(p.stat().st_size for p in paths))
    found: list[Boundary] = []
    for path in paths:
        # Ancestors' polygons come along so a map of the scope has its context.
        for item in read_boundaries([path], ctx.scope.touches):
            if isinstance(item, RowProblem):
                report.reject(item)
            else:
                found.append(item)
        task.advance(path.stat().st_size)
    task.close()
    return found


def import_boundaries(ctx: ImportContext) -> ImportReport:
    """Import the polygons of the scope and its ancestors; set province..district centroids."""
    report = ImportReport("boundaries", str(ctx.scope))
    dataset_files(ctx, "boundaries", report)
    paths = _paths(ctx)
    found = _read(ctx, paths, report)
    with transaction(ctx.store) as conn:
        codes = known_codes(conn)
        rows, centroids = [], []
        for b in found:
            if b.code not in codes:
                report.reject(
                    RowProblem(
                        "boundaries",
                        0,
                        f"boundary {b.code} ({b.name}): region is not in the code list",
                    )
                )
                continue
            rows.append(
                (
                    b.code,
                    json.dumps(b.geometry, separators=(",", ":")),
                    b.vertices,
                    b.source_lat,
                    b.source_lng,
                    b.repaired,
                    b.note,
                )
            )
            if b.code.count(".") < 3:  # villages take their centroid from the centroid table
                centroids.append((b.code, *representative_centroid(b)))
        report.tables["boundaries"] = reference.sync(
            conn, "boundaries", BOUNDARY_COLUMNS, ("code",), rows
        )
        report.tables["regions"] = reference.sync(
            conn, "regions", ("code", "lat", "lng", "centroid_source"), ("code",), centroids
        )
        record_import(conn, report, digest_of(paths))
    repaired = sum(1 for b in found if b.repaired)
    if repaired:
        report.warnings.append(
            f"{repaired:,} polygons were invalid and have been repaired "
            "(see the note column of each)"
        )
    return report
