"""Boundary polygons from the shared MySQL dumps, turned into valid GeoJSON in [lng, lat].

Each dump row holds ``(kode, nama, lat, lng, path)``. ``path`` is JSON with every position
written ``[lat, lng]`` (the reverse of GeoJSON) and two nestings:

* four levels, ``[[[[lat, lng], ...], ...], ...]``: a list of parts, each a list of rings;
* three levels, ``[[[lat, lng], ...], ...]``: the rings of a single part.

Within a part the first ring is usually the outline and later rings lie inside it (holes, which
neighbouring regions fill), but some parts also carry rings lying beside the outline (separate
islands). So rings are nested by containment, even-odd: a ring inside an odd number of the
part's rings is a hole of the smallest ring around it; any other ring is an outline. Parts of a
four-level path often overlap (small fragments lie inside a large part, duplicated upstream);
parts are therefore merged, never subtracted from one another.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from siaga.datafiles.problems import DataFileError, RowProblem
from siaga.datafiles.sqldump import DumpRow, Value, read_dump
from siaga.domain.regions import RegionCodeError, normalize_code

LAT_RANGE = (-12.0, 7.0)
LNG_RANGE = (94.0, 142.0)
LEVEL_FOLDERS = {"province": "prov", "regency": "kab", "district": "kec", "village": "kel"}
COLUMNS = ("kode", "nama", "lat", "lng", "path")
_EXPECTED_PATH = "expected a JSON array of rings of [lat, lng] pairs"
_PROVINCE_RANGE = re.compile(r"BETWEEN\s+'(\d{2})'\s+AND\s+'(\d{2})'")

Position = tuple[float, float]  # (lng, lat), GeoJSON order
Ring = list[Position]
Shell = tuple[Ring, list[Ring]]  # an outline and its holes


@dataclass(frozen=True, slots=True)
class Boundary:
    """One region's outline: a valid Polygon or MultiPolygon as a GeoJSON dict in [lng, lat].

    ``source_lat``/``source_lng`` are the upstream centroid; ``repaired`` says whether the
    upstream path had to be fixed, and ``note`` says how.
    """

    code: str
    name: str
    geometry: dict[str, Any]
    vertices: int
    source_lat: float | None
    source_lng: float | None
    repaired: bool
    note: str | None


class _Rejected(ValueError):
    """A path that cannot become a boundary; the message says what was expected."""


@dataclass(slots=True)
class _Repairs:
    """What was fixed while converting one path, in the order it was first seen."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        """Record ``count`` more fixes of one kind."""
        self.counts[what] = self.counts.get(what, 0) + count

    def note(self) -> str | None:
        """Return the fixes as one sentence, or None when nothing was fixed."""
        parts = [_counted(what, n) for what, n in self.counts.items()]
        return "; ".join(parts) or None


def _counted(what: str, count: int) -> str:
    """Return e.g. '2 unclosed rings closed' for a '{n} unclosed ring{s} closed' template."""
    if "{n}" not in what:
        return what
    return what.format(n=count, s="" if count == 1 else "s")


# --- one ring -----------------------------------------------------------------------------


_NUMBER_TYPES = (int, float)  # not bool


def _position(raw: object) -> Position:
    """Return a [lat, lng] pair as (lng, lat); raise _Rejected when malformed or outside range."""
    if isinstance(raw, list) and len(raw) == 2:
        lat, lng = raw
        if (
            type(lat) in _NUMBER_TYPES
            and type(lng) in _NUMBER_TYPES
            and LAT_RANGE[0] <= lat <= LAT_RANGE[1]
            and LNG_RANGE[0] <= lng <= LNG_RANGE[1]
        ):
            return float(lng), float(lat)
    raise _Rejected(_position_error(raw))


def _position_error(raw: object) -> str:
    """Return what is wrong with a position that _position refused."""
    if not (isinstance(raw, list) and len(raw) == 2 and all(type(v) in _NUMBER_TYPES for v in raw)):
        return f"expected a [lat, lng] pair of numbers, found {json.dumps(raw)[:60]}"
    return (
        f"position [{raw[0]}, {raw[1]}] is outside Indonesia: expected [lat, lng] with "
        f"lat {LAT_RANGE[0]:g}..{LAT_RANGE[1]:g} and lng {LNG_RANGE[0]:g}..{LNG_RANGE[1]:g}"
        " (are lat and lng swapped?)"
    )


def _ring(raw: object, repairs: _Repairs) -> Ring | None:
    """Return a closed ring in (lng, lat) without repeated points, or None if degenerate."""
    if not isinstance(raw, list):
        raise _Rejected(f"expected a ring (a list of [lat, lng] pairs), found {str(raw)[:40]}")
    points: Ring = []
    for item in raw:
        point = _position(item)
        if not points or points[-1] != point:
            points.append(point)
    unclosed = len(points) > 1 and points[0] != points[-1]
    if unclosed:
        points.append(points[0])
    if len(points) < 4:
        repairs.add("{n} ring{s} with fewer than 4 positions dropped")
        return None
    if unclosed:
        repairs.add("{n} unclosed ring{s} closed")
    return points


# --- rings to polygons ----------------------------------------------------------------------


def _depth(value: object) -> int:
    """Return how deeply lists nest along the first items (a position alone is depth 1)."""
    depth = 0
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    return depth


def _parts(path: object) -> list[Any]:
    """Return the path as a list of parts, each a list of raw rings."""
    if not isinstance(path, list) or not path:
        raise _Rejected(f"path has no ring; {_EXPECTED_PATH}")
    depth = _depth(path)
    if depth == 4:
        return path
    if depth == 3:
        return [path]
    if depth == 2:
        return [[path]]
    raise _Rejected(f"path is nested {depth} deep; {_EXPECTED_PATH}, 3 or 4 levels deep")


def _inside(ring: Ring, around: Polygon) -> bool:
    """Return True when most of the ring's vertices lie in or on the polygon ``around``."""
    xs, ys = zip(*ring[:-1], strict=True)
    hits = shapely.intersects_xy(around, xs, ys)
    return bool(2 * int(hits.sum()) > len(xs))


def _container(ring: Ring, placed: list[tuple[Polygon, int, int]]) -> tuple[int, int]:
    """Return (depth, shell index) of a ring: one deeper than the smallest placed ring around it.

    ``placed`` holds (ring as polygon, depth, index of its shell), largest first; a ring around
    nothing has depth 0 and shell index -1.
    """
    for polygon, depth, shell in reversed(placed):
        if _inside(ring, polygon):
            return depth + 1, shell
    return 0, -1


def _nest(rings: list[Ring]) -> list[Shell]:
    """Return the (outline, holes) of one part's rings, nested even-odd by containment."""
    if len(rings) == 1:
        return [(rings[0], [])]
    shells: list[Shell] = []
    placed: list[tuple[Polygon, int, int]] = []
    for ring in sorted(rings, key=lambda r: Polygon(r).area, reverse=True):
        depth, shell = _container(ring, placed)
        if depth % 2:
            shells[shell][1].append(ring)
        else:
            shells.append((ring, []))
            shell = len(shells) - 1
        placed.append((Polygon(ring), depth, shell))
    return shells


def _assemble(shells: list[Shell]) -> BaseGeometry:
    """Return one Polygon or MultiPolygon of (outline, holes) pairs, built in one pass."""
    coords: Ring = []
    ring_of_point: list[int] = []
    polygon_of_ring: list[int] = []
    for index, (outline, holes) in enumerate(shells):
        for ring in (outline, *holes):
            ring_of_point += [len(polygon_of_ring)] * len(ring)
            coords += ring
            polygon_of_ring.append(index)
    rings = shapely.linearrings(coords, indices=ring_of_point)
    polygons = shapely.polygons(rings, indices=polygon_of_ring)
    return _combine(list(polygons))


def _combine(polygons: list[Polygon]) -> BaseGeometry:
    """Return the only polygon, or a MultiPolygon of several."""
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _raw_geometry(path: object, repairs: _Repairs) -> BaseGeometry:
    """Return the path's polygons as one (possibly invalid) shapely geometry in [lng, lat]."""
    shells: list[Shell] = []
    for part in _parts(path):
        if not isinstance(part, list):
            raise _Rejected(f"expected a part (a list of rings), found {str(part)[:40]}")
        rings = [r for r in (_ring(raw, repairs) for raw in part) if r is not None]
        shells += _nest(rings) if rings else []
    if not shells:
        raise _Rejected("path has no ring with at least 3 distinct positions")
    return _assemble(shells)


# --- repair ---------------------------------------------------------------------------------


def _polygonal(geometry: BaseGeometry) -> tuple[list[Polygon], list[BaseGeometry]]:
    """Return the non-empty polygons in a geometry and its other (collapsed) non-empty parts."""
    parts = [p for p in shapely.get_parts(shapely.get_parts(geometry)) if not p.is_empty]
    polygons = [p for p in parts if isinstance(p, Polygon)]
    return polygons, [p for p in parts if not isinstance(p, Polygon)]


def _sliver_count(pieces: list[BaseGeometry]) -> int:
    """Return how many connected slivers the collapsed lines and points form."""
    lines = shapely.line_merge(shapely.GeometryCollection(pieces))
    points = sum(1 for p in pieces if p.geom_type == "Point")
    return int(shapely.get_num_geometries(lines)) + points


def _repair(geometry: BaseGeometry, repairs: _Repairs) -> BaseGeometry:
    """Return the geometry if valid, else its polygonal part after make_valid, noting the fix."""
    if geometry.is_valid:
        return geometry
    reason = str(shapely.is_valid_reason(geometry)).split("[")[0].strip().lower()
    # "structure" merges overlapping parts; "linework" would cut one out of the other.
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=True)
    polygons, collapsed = _polygonal(fixed)
    before, after = int(shapely.get_num_geometries(geometry)), len(polygons)
    parts = f" ({_counted('{n} part{s}', before)} became {after})" if before != after else ""
    repairs.add(f"{reason} fixed with make_valid{parts}")
    if collapsed:
        repairs.add("{n} sliver{s} dropped", _sliver_count(collapsed))
    if not polygons:
        raise _Rejected(f"path is invalid ({reason}) and make_valid leaves no polygon")
    return _combine(polygons)


def _valid_geometry(path: object, repairs: _Repairs) -> BaseGeometry:
    """Return a valid, non-empty Polygon or MultiPolygon, outlines counter-clockwise."""
    geometry = _repair(_raw_geometry(path, repairs), repairs)
    if geometry.is_empty or not geometry.is_valid:
        raise _Rejected("path cannot be repaired into a non-empty valid polygon")
    return _combine([orient(p) for p in shapely.get_parts(geometry)])


# --- rows -----------------------------------------------------------------------------------


def _fields(row: DumpRow) -> dict[str, Value]:
    """Return the row's values by column name; raise _Rejected when columns are missing."""
    columns = row.columns or COLUMNS
    if len(columns) != len(row.values) or not set(COLUMNS) <= set(columns):
        raise _Rejected(
            f"expected the columns {', '.join(COLUMNS)}; found {len(row.values)} values "
            f"for columns ({', '.join(row.columns) or 'unnamed'})"
        )
    return dict(zip(columns, row.values, strict=True))


def _float_or_none(value: Value) -> float | None:
    """Return a finite number as float, anything else as None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _load_path(value: Value) -> object:
    """Return the parsed JSON of a path column; raise _Rejected when it is not JSON."""
    if not isinstance(value, str) or not value.strip():
        raise _Rejected(f"path is empty; {_EXPECTED_PATH}")
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise _Rejected(
            f"path is not JSON ({exc.msg} at char {exc.pos}); {_EXPECTED_PATH}"
        ) from exc


def _boundary(fields: dict[str, Value], code: str) -> Boundary:
    """Return the boundary of one row's fields; raise _Rejected when the path is unusable."""
    repairs = _Repairs()
    geometry = _valid_geometry(_load_path(fields["path"]), repairs)
    note = repairs.note()
    return Boundary(
        code=code,
        name=str(fields["nama"] or "").strip(),
        geometry=json.loads(shapely.to_geojson(geometry)),
        vertices=int(shapely.get_num_coordinates(geometry)),
        source_lat=_float_or_none(fields["lat"]),
        source_lng=_float_or_none(fields["lng"]),
        repaired=note is not None,
        note=note,
    )


def boundary_from_row(row: DumpRow, file: str) -> Boundary | RowProblem:
    """Return the Boundary of one dump row, or a RowProblem naming the file, line and code.

    Positions are swapped to [lng, lat], repeated points removed, open rings closed, rings with
    fewer than 4 positions dropped and invalid geometry made valid (only its polygons kept).
    """
    code = "?"
    try:
        fields = _fields(row)
        code = str(fields["kode"])
        code = normalize_code(code)
        return _boundary(fields, code)
    except (_Rejected, RegionCodeError) as exc:
        return RowProblem(file, row.line, f"boundary {code}: {exc}")


# --- files ----------------------------------------------------------------------------------


def _province_code(province: str) -> str:
    """Return a dotted province code; raise ValueError for anything else."""
    code = normalize_code(province)
    if "." in code:
        raise ValueError(f"{province!r} is not a province code: expected 2 digits like 15")
    return code


def _holds_province(path: Path, province: str) -> bool:
    """Return False only when the file's DELETE ... BETWEEN range excludes the province."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        head = handle.read(16384)
    found = _PROVINCE_RANGE.search(head)
    return found is None or found[1] <= province <= found[2]


def boundary_paths(data_dir: Path, level: str, province: str | None = None) -> list[Path]:
    """Return the sorted dump files holding one level's boundaries, optionally of one province.

    ``level`` is province, regency, district or village. Village files exist for a few
    provinces only: the list is empty for the others. Province rows come grouped several to a
    file; the files whose declared code range excludes ``province`` are left out.
    """
    if level not in LEVEL_FOLDERS:
        raise ValueError(f"unknown level {level!r}: expected one of {', '.join(LEVEL_FOLDERS)}")
    root = data_dir / "boundaries" / "db"
    if not root.is_dir():
        raise DataFileError(root, "boundary folder not found (is the data directory right?)")
    folder = LEVEL_FOLDERS[level]
    code = _province_code(province) if province is not None else None
    if level == "province":
        files = sorted((root / folder).glob("*.sql"))
        return [p for p in files if code is None or _holds_province(p, code)]
    if level == "village":
        return sorted((root / folder).glob(f"{code or '*'}/wilayah_boundaries_kel_*.sql"))
    return sorted((root / folder).glob(f"wilayah_boundaries_{folder}_{code or '*'}.sql"))


def _is_wanted(row: DumpRow, wanted: Callable[[str], bool]) -> bool:
    """Return whether to convert a row; rows with no readable code are kept to be reported."""
    try:
        return wanted(normalize_code(str(_fields(row)["kode"])))
    except (_Rejected, RegionCodeError):
        return True


def read_boundaries(
    paths: Iterable[Path], wanted: Callable[[str], bool] = lambda code: True
) -> Iterator[Boundary | RowProblem]:
    """Yield a Boundary for each row of a wanted code, and a RowProblem for each bad row.

    ``wanted`` gets the dotted code and is asked before any geometry work. A file that breaks
    off yields its rows so far and then a RowProblem; DataFileError if a file cannot be read.
    """
    for path in paths:
        for item in read_dump(path):
            if isinstance(item, RowProblem):
                yield item
            elif _is_wanted(item, wanted):
                yield boundary_from_row(item, str(path))


# --- use ------------------------------------------------------------------------------------


def representative_centroid(boundary: Boundary) -> tuple[float, float, str]:
    """Return (lat, lng, source) of a point inside the boundary.

    That is the upstream centroid with source "boundary_centroid" when it lies inside the
    geometry, otherwise shapely's representative point with source "representative_point".
    """
    geometry = shape(boundary.geometry)
    lat, lng = boundary.source_lat, boundary.source_lng
    if lat is not None and lng is not None and shapely.contains_xy(geometry, lng, lat):
        return lat, lng, "boundary_centroid"
    point = geometry.representative_point()
    return float(point.y), float(point.x), "representative_point"


def to_feature(
    boundary: Boundary, properties: dict[str, object] | None = None
) -> dict[str, object]:
    """Return a GeoJSON Feature of the boundary: id and properties code and name, plus extras."""
    props: dict[str, object] = {"code": boundary.code, "name": boundary.name}
    props.update(properties or {})
    return {
        "type": "Feature",
        "id": boundary.code,
        "geometry": boundary.geometry,
        "properties": props,
    }
