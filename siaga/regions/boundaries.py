"""Boundary polygons from the shared MySQL dumps, turned into valid GeoJSON in [lng, lat].

The upstream `path` column is GeoJSON-like nesting with each position written [lat, lng]:
three levels deep for one polygon (outer ring, then holes), four for a multipolygon.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from siaga.datafiles.problems import RowProblem
from siaga.datafiles.sqldump import DumpRow, read_dump
from siaga.domain.regions import RegionCodeError, normalize_code

LAT_RANGE, LNG_RANGE = (-12.0, 7.0), (94.0, 142.0)
_LEVEL_DIRS = {"province": "prov", "regency": "kab", "district": "kec", "village": "kel"}

Ring = list[tuple[float, float]]


@dataclass(frozen=True, slots=True)
class Boundary:
    """One region's polygon, valid, as a GeoJSON geometry in [lng, lat]."""

    code: str
    name: str
    geometry: dict[str, Any]
    vertices: int
    source_lat: float | None
    source_lng: float | None
    repaired: bool
    note: str | None


class BoundaryError(ValueError):
    """A path that cannot become a polygon."""


def _depth(value: Any) -> int:
    depth = 0
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    return depth


def _ring(raw: Any, fixes: list[str]) -> Ring | None:
    points: Ring = []
    for position in raw:
        if not (isinstance(position, list) and len(position) >= 2):
            raise BoundaryError(f"expected [lat, lng] pairs, found {str(position)[:40]}")
        lat, lng = float(position[0]), float(position[1])
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
            raise BoundaryError(
                f"position [{lat}, {lng}] is outside Indonesia; expected [lat, lng]"
            )
        if not points or points[-1] != (lng, lat):
            points.append((lng, lat))
    if len(points) > 1 and points[0] != points[-1]:
        points.append(points[0])
        fixes.append("ring closed")
    if len(points) < 4:
        fixes.append("degenerate ring dropped")
        return None
    return points


def _polygons(path: Any, fixes: list[str]) -> list[Polygon]:
    depth = _depth(path)
    if depth not in (3, 4):
        raise BoundaryError(f"expected rings nested 3 or 4 deep, found depth {depth}")
    parts = [path] if depth == 3 else path
    polygons = []
    for part in parts:
        rings = [r for r in (_ring(raw, fixes) for raw in part) if r is not None]
        if rings:
            polygons.append(Polygon(rings[0], rings[1:]))
    if not polygons:
        raise BoundaryError("no ring with at least 3 distinct positions")
    return polygons


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Return only the polygon parts of a geometry (make_valid may add lines and points)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    return shapely.union_all(parts) if parts else Polygon()


def _repair(geometry: BaseGeometry, fixes: list[str]) -> BaseGeometry:
    if geometry.is_valid:
        return geometry
    reason = shapely.is_valid_reason(geometry)
    fixed = _polygonal(shapely.make_valid(geometry))
    fixes.append(f"invalid ({reason.split('[')[0].strip()}) repaired with make_valid")
    return fixed


def geometry_from_path(path_text: str) -> tuple[BaseGeometry, list[str]]:
    """Return a valid (Multi)Polygon in [lng, lat] from an upstream path, and what was fixed."""
    try:
        path = json.loads(path_text)
    except (TypeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"path is not JSON ({exc})") from exc
    fixes: list[str] = []
    polygons = _polygons(path, fixes)
    geometry: BaseGeometry = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    geometry = _repair(geometry, fixes)
    if geometry.is_empty or not geometry.is_valid:
        raise BoundaryError("geometry could not be repaired into a valid polygon")
    return geometry, fixes


def _float_or_none(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def boundary_from_row(row: DumpRow, file: str) -> Boundary | RowProblem:
    """Return the boundary of one dump row, or a RowProblem naming the code and what is wrong."""
    if len(row.values) < 5:
        return RowProblem(file, row.line, "expected (kode, nama, lat, lng, path)")
    code_raw, name, lat, lng, path = row.values[:5]
    try:
        code = normalize_code(str(code_raw))
        geometry, fixes = geometry_from_path(str(path) if path is not None else "")
    except (RegionCodeError, BoundaryError, ValueError) as exc:
        return RowProblem(file, row.line, f"boundary {code_raw}: {exc}")
    vertices = len(shapely.get_coordinates(geometry))
    return Boundary(
        code,
        str(name or ""),
        mapping(geometry),
        vertices,
        _float_or_none(lat),
        _float_or_none(lng),
        bool(fixes),
        "; ".join(dict.fromkeys(fixes)) or None,
    )


def boundary_paths(data_dir: Path, level: str, province: str | None = None) -> list[Path]:
    """Return the dump files holding a level's boundaries, optionally of one province only."""
    folder = data_dir / "boundaries" / "db" / _LEVEL_DIRS[level]
    if level == "province":
        return sorted(folder.glob("*.sql"))
    if level == "village":
        pattern = f"{province}/*.sql" if province else "*/*.sql"
        return sorted(folder.glob(pattern))
    return sorted(folder.glob(f"*_{province}.sql" if province else "*.sql"))


def read_boundaries(
    paths: Iterable[Path], wanted: Callable[[str], bool] = lambda code: True
) -> Iterator[Boundary | RowProblem]:
    """Yield the boundaries of wanted codes from the files, and a RowProblem for each bad row."""
    for path in paths:
        for item in read_dump(path):
            if isinstance(item, RowProblem):
                yield item
            elif wanted(str(item.values[0]) if item.values else ""):
                yield boundary_from_row(item, str(path))


def representative_centroid(boundary: Boundary) -> tuple[float, float, str]:
    """Return (lat, lng, source): upstream centroid if inside the polygon, else a point inside."""
    geometry = shape(boundary.geometry)
    if boundary.source_lat is not None and boundary.source_lng is not None:
        point = Point(boundary.source_lng, boundary.source_lat)
        if geometry.contains(point):
            return boundary.source_lat, boundary.source_lng, "boundary_centroid"
    inside = geometry.representative_point()
    return inside.y, inside.x, "representative_point"


def to_feature(
    boundary: Boundary, properties: dict[str, object] | None = None
) -> dict[str, object]:
    """Return a GeoJSON Feature of the boundary with its code and name as properties."""
    props: dict[str, object] = {"code": boundary.code, "name": boundary.name}
    props.update(properties or {})
    return {"type": "Feature", "geometry": boundary.geometry, "properties": props}
