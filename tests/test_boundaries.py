"""Boundaries: upstream [lat, lng] paths to valid GeoJSON in [lng, lat], repairs and problems.

The first half feeds hand-made dump rows to `boundary_from_row`; the second reads the shared
dumps of Jambi (15) and Bengkulu (17).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from siaga.datafiles.problems import DataFileError, RowProblem
from siaga.datafiles.sqldump import DumpRow
from siaga.regions.boundaries import (
    Boundary,
    boundary_from_row,
    boundary_paths,
    read_boundaries,
    representative_centroid,
    to_feature,
)

SOURCE = "made-up.sql"
CODE = "15.02.99"
LINE = 42
COLUMNS = ("kode", "nama", "lat", "lng", "path")


def square(north: float, west: float, side: float) -> list[list[float]]:
    """Return a closed square ring written [lat, lng], from its north-west corner clockwise."""
    south, east = north - side, west + side
    return [[north, west], [north, east], [south, east], [south, west], [north, west]]


# Side 0.25 keeps every corner exact in binary, so areas can be compared tightly.
OUTLINE = square(-2.0, 102.0, 0.25)


def make_row(path: object, code: str = CODE, line: int = LINE) -> DumpRow:
    """Return a dump row with the path as JSON (a str is used as it is)."""
    text = path if isinstance(path, str) else json.dumps(path)
    return DumpRow("wilayah_boundaries", COLUMNS, (code, " Made Up ", -2.1, 102.1, text), line)


def convert(path: object) -> Boundary:
    """Return the boundary of a path that must convert; fail with the problem otherwise."""
    result = boundary_from_row(make_row(path), SOURCE)
    assert isinstance(result, Boundary), f"expected a Boundary, got {result}"
    return result


def reject(path: object) -> RowProblem:
    """Return the problem of a path that must be refused."""
    result = boundary_from_row(make_row(path), SOURCE)
    assert isinstance(result, RowProblem), f"expected a RowProblem, got {result}"
    return result


def positions(geometry: dict) -> set[tuple[float, float]]:
    """Return every position of a GeoJSON Polygon or MultiPolygon as (x, y) tuples."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return {tuple(p) for polygon in polygons for ring in polygon for p in ring}


# --- hand-made rows ---------------------------------------------------------------------------


def test_square_becomes_a_valid_polygon_in_lng_lat_order() -> None:
    boundary = convert([OUTLINE])

    assert boundary.geometry["type"] == "Polygon"
    assert shape(boundary.geometry).is_valid
    # Upstream writes [-2.0, 102.0] (lat, lng); GeoJSON wants [102.0, -2.0].
    assert (102.0, -2.0) in positions(boundary.geometry)
    assert (-2.0, 102.0) not in positions(boundary.geometry)
    assert positions(boundary.geometry) == {(lng, lat) for lat, lng in OUTLINE}
    ring = boundary.geometry["coordinates"][0]
    assert ring[0] == ring[-1]
    assert shape(boundary.geometry).area == pytest.approx(0.25 * 0.25)
    assert boundary.vertices == 5
    assert (boundary.code, boundary.name) == (CODE, "Made Up")
    assert (boundary.source_lat, boundary.source_lng) == (-2.1, 102.1)
    assert boundary.repaired is False
    assert boundary.note is None


def test_outline_is_counter_clockwise_whatever_the_upstream_winding() -> None:
    for ring in (OUTLINE, OUTLINE[::-1]):
        geometry = shape(convert([ring]).geometry)
        assert geometry.exterior.is_ccw, ring


def test_unclosed_ring_is_closed_and_flagged() -> None:
    boundary = convert([OUTLINE[:-1]])

    ring = boundary.geometry["coordinates"][0]
    assert ring[0] == ring[-1]
    assert len(ring) == 5
    assert shape(boundary.geometry).is_valid
    assert boundary.repaired is True
    assert boundary.note is not None
    assert "unclosed" in boundary.note
    assert "closed" in boundary.note


def test_bow_tie_is_made_valid_and_keeps_both_lobes() -> None:
    # Corners visited NW, NE, SW, SE: the edges cross in the middle of the square.
    bow_tie = [[-2.0, 102.0], [-2.0, 102.25], [-2.25, 102.0], [-2.25, 102.25], [-2.0, 102.0]]
    assert not shapely.Polygon([(lng, lat) for lat, lng in bow_tie]).is_valid

    boundary = convert([bow_tie])

    geometry = shape(boundary.geometry)
    assert geometry.is_valid
    assert geometry.geom_type in ("Polygon", "MultiPolygon")
    # Two triangles, each a quarter of the square.
    assert geometry.area == pytest.approx(0.25 * 0.25 / 2)
    assert boundary.repaired is True
    assert boundary.note is not None
    assert "make_valid" in boundary.note


def test_four_deep_path_becomes_a_multipolygon() -> None:
    other = square(-3.0, 103.0, 0.25)
    boundary = convert([[OUTLINE], [other]])

    assert boundary.geometry["type"] == "MultiPolygon"
    assert len(boundary.geometry["coordinates"]) == 2
    geometry = shape(boundary.geometry)
    assert geometry.is_valid
    assert geometry.area == pytest.approx(2 * 0.25 * 0.25)
    assert (103.0, -3.0) in positions(boundary.geometry)
    assert boundary.repaired is False


def test_inner_ring_becomes_a_hole_even_when_listed_first() -> None:
    outline = square(-2.0, 102.0, 1.0)
    hole = square(-2.25, 102.25, 0.25)
    for rings in ([outline, hole], [hole, outline]):
        boundary = convert(rings)
        geometry = shape(boundary.geometry)
        assert geometry.geom_type == "Polygon"
        assert len(geometry.interiors) == 1
        assert geometry.area == pytest.approx(1.0 - 0.0625)
        assert not geometry.interiors[0].is_ccw
        assert boundary.repaired is False


def test_ring_beside_the_outline_is_an_island_not_a_hole() -> None:
    boundary = convert([OUTLINE, square(-2.0, 104.0, 0.25)])

    geometry = shape(boundary.geometry)
    assert geometry.geom_type == "MultiPolygon"
    assert len(geometry.geoms) == 2
    assert geometry.area == pytest.approx(2 * 0.0625)


def test_overlapping_parts_are_merged_not_subtracted() -> None:
    first = square(-2.0, 102.0, 1.0)
    second = square(-1.5, 102.5, 1.0)  # overlaps the first on a 0.5 x 0.5 square
    boundary = convert([[first], [second]])

    geometry = shape(boundary.geometry)
    assert geometry.is_valid
    assert geometry.area == pytest.approx(1.0 + 1.0 - 0.25)
    assert boundary.repaired is True


def test_ring_with_too_few_positions_is_dropped_with_a_note() -> None:
    stub = [[-5.0, 105.0], [-5.0, 105.25], [-5.0, 105.0]]
    boundary = convert([[OUTLINE], [stub]])

    assert boundary.geometry["type"] == "Polygon"
    assert positions(boundary.geometry) == {(lng, lat) for lat, lng in OUTLINE}
    assert boundary.repaired is True
    assert boundary.note is not None
    assert "fewer than 4" in boundary.note


def test_repeated_positions_are_removed_without_flagging() -> None:
    doubled = [OUTLINE[0], *OUTLINE[:2], OUTLINE[1], *OUTLINE[2:]]
    boundary = convert([doubled])

    assert boundary.vertices == 5
    assert boundary.repaired is False


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("[[[-2.0, 102.0], [-2.0", "not JSON", id="not-json"),
        pytest.param([], "no ring", id="empty-ring-list"),
        pytest.param(
            [[[lng, lat] for lat, lng in OUTLINE]], "outside Indonesia", id="lng-lat-order"
        ),
        pytest.param("", "empty", id="empty-string"),
        pytest.param([[[-2.0, 102.0], [-2.0, 102.25], [-2.0, 102.0]]], "at least 3", id="stub"),
        pytest.param([[[True, 102.0], [-2.0, 102.25], [-2.25, 102.0]]], "pair", id="bool"),
        pytest.param([[[[[-2.0, 102.0]]]]], "nested 5 deep", id="too-deep"),
    ],
)
def test_unusable_path_gives_a_problem_naming_code_and_line(path: object, expected: str) -> None:
    problem = reject(path)

    assert CODE in problem.message
    assert expected in problem.message
    assert problem.line == LINE
    assert problem.file == SOURCE


def test_swapped_coordinates_problem_names_the_bad_position() -> None:
    problem = reject([[[lng, lat] for lat, lng in OUTLINE]])

    assert "102" in problem.message
    assert "swapped" in problem.message


def test_collinear_ring_alone_gives_a_problem() -> None:
    # Exactly collinear in binary: no area at all, so make_valid keeps no polygon.
    flat = [[-2.5, 103.0], [-2.25, 103.25], [-2.0, 103.5], [-2.5, 103.0]]
    problem = reject([flat])

    assert CODE in problem.message
    assert "make_valid" in problem.message


def test_bad_code_and_missing_columns_give_problems() -> None:
    bad_code = boundary_from_row(make_row([OUTLINE], code="15.2", line=3), SOURCE)
    assert isinstance(bad_code, RowProblem)
    assert "15.2" in bad_code.message
    assert bad_code.line == 3

    short = DumpRow("wilayah_boundaries", ("kode", "nama"), ("15.02", "Merangin"), 9)
    missing = boundary_from_row(short, SOURCE)
    assert isinstance(missing, RowProblem)
    assert missing.line == 9
    assert "path" in missing.message


def test_undotted_code_is_dotted_and_odd_centroid_is_none() -> None:
    row = DumpRow("t", (), ("1502", "X", None, float("nan"), json.dumps([OUTLINE])), 1)
    boundary = boundary_from_row(row, SOURCE)

    assert isinstance(boundary, Boundary)
    assert boundary.code == "15.02"
    assert boundary.source_lat is None
    assert boundary.source_lng is None


def test_representative_centroid_falls_back_when_upstream_point_is_outside() -> None:
    inside = convert([OUTLINE])
    assert representative_centroid(inside) == (-2.1, 102.1, "boundary_centroid")

    row = DumpRow("t", COLUMNS, (CODE, "X", -5.0, 110.0, json.dumps([OUTLINE])), 1)
    outside = boundary_from_row(row, SOURCE)
    assert isinstance(outside, Boundary)
    lat, lng, source = representative_centroid(outside)
    assert source == "representative_point"
    assert shape(outside.geometry).contains(shapely.Point(lng, lat))


def test_read_boundaries_reports_bad_rows_even_when_unwanted(tmp_path: Path) -> None:
    good = json.dumps([OUTLINE])
    dump = tmp_path / "dump.sql"
    dump.write_text(
        "INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n"
        f"('15.02.01','Kept',-2.1,102.1,'{good}'),\n"
        f"('15.03.01','Skipped',-2.1,102.1,'{good}'),\n"
        f"('nonsense','Broken',-2.1,102.1,'{good}'),\n"
        "('15.02.02','Bad path',-2.1,102.1,'not json');\n",
        encoding="utf-8",
    )

    items = list(read_boundaries([dump], wanted=lambda code: code.startswith("15.02.")))

    boundaries = [i for i in items if isinstance(i, Boundary)]
    problems = [i for i in items if isinstance(i, RowProblem)]
    assert [b.code for b in boundaries] == ["15.02.01"]
    assert [(p.line, p.file) for p in problems] == [(4, str(dump)), (5, str(dump))]
    assert "nonsense" in problems[0].message
    assert "15.02.02" in problems[1].message


# --- file lookup ------------------------------------------------------------------------------


def test_regency_paths_of_one_province(data_dir: Path) -> None:
    paths = boundary_paths(data_dir, "regency", "15")

    assert [p.name for p in paths] == ["wilayah_boundaries_kab_15.sql"]
    assert all(p.is_file() for p in paths)


def test_village_paths_exist_for_jambi_and_bengkulu_only(data_dir: Path) -> None:
    for province in ("15", "17"):
        paths = boundary_paths(data_dir, "village", province)
        assert paths, province
        assert paths == sorted(paths)
        assert all(p.name.startswith(f"wilayah_boundaries_kel_{province}.") for p in paths)
    jambi = [p.name for p in boundary_paths(data_dir, "village", "15")]
    assert "wilayah_boundaries_kel_15.02.sql" in jambi
    assert boundary_paths(data_dir, "village", "11") == []


def test_province_paths_follow_the_declared_code_range(data_dir: Path) -> None:
    everything = boundary_paths(data_dir, "province")
    jambi = boundary_paths(data_dir, "province", "15")

    assert len(jambi) == 1
    assert jambi[0] in everything
    assert len(everything) > 1
    assert "BETWEEN '11' AND '15'" in jambi[0].read_text(encoding="utf-8")[:16384]


def test_boundary_paths_refuses_bad_arguments(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown level"):
        boundary_paths(data_dir, "county", "15")
    with pytest.raises(ValueError, match="not a province code"):
        boundary_paths(data_dir, "district", "15.02")
    with pytest.raises(DataFileError):
        boundary_paths(tmp_path, "regency", "15")


# --- real data --------------------------------------------------------------------------------


def merangin(paths: list[Path]) -> tuple[list[Boundary], list[RowProblem]]:
    """Return the boundaries and problems of Merangin (15.02) in the files."""
    items = list(read_boundaries(paths, wanted=lambda code: code.startswith("15.02.")))
    return (
        [i for i in items if isinstance(i, Boundary)],
        [i for i in items if isinstance(i, RowProblem)],
    )


@pytest.fixture(scope="module")
def merangin_districts(data_dir: Path) -> tuple[list[Boundary], list[RowProblem]]:
    return merangin(boundary_paths(data_dir, "district", "15"))


@pytest.fixture(scope="module")
def merangin_villages(data_dir: Path) -> tuple[list[Boundary], list[RowProblem]]:
    return merangin(boundary_paths(data_dir, "village", "15"))


def test_merangin_has_24_valid_districts(
    merangin_districts: tuple[list[Boundary], list[RowProblem]],
) -> None:
    boundaries, problems = merangin_districts

    assert problems == []
    assert len(boundaries) == 24
    assert len({b.code for b in boundaries}) == 24
    assert all(b.code.startswith("15.02.") and len(b.code) == 8 for b in boundaries)
    assert "15.02.02" in {b.code for b in boundaries}
    for boundary in boundaries:
        geometry = shape(boundary.geometry)
        assert geometry.is_valid, boundary.code
        assert not geometry.is_empty, boundary.code
        assert geometry.geom_type in ("Polygon", "MultiPolygon")
        assert boundary.name


def test_merangin_district_centroids_lie_inside(
    merangin_districts: tuple[list[Boundary], list[RowProblem]],
) -> None:
    for boundary in merangin_districts[0]:
        lat, lng, source = representative_centroid(boundary)
        assert source in ("boundary_centroid", "representative_point")
        assert shape(boundary.geometry).intersects(shapely.Point(lng, lat)), boundary.code
        assert -3.0 < lat < -1.5 and 101.5 < lng < 103.0, boundary.code


def test_merangin_has_215_valid_villages(
    merangin_villages: tuple[list[Boundary], list[RowProblem]],
) -> None:
    boundaries, problems = merangin_villages

    assert problems == []
    assert len(boundaries) == 215
    assert len({b.code for b in boundaries}) == 215
    assert all(b.code.startswith("15.02.") and len(b.code) == 13 for b in boundaries)
    assert all(shape(b.geometry).is_valid for b in boundaries)


@pytest.fixture(scope="module")
def merangin_regency(data_dir: Path) -> Boundary:
    items = list(
        read_boundaries(boundary_paths(data_dir, "regency", "15"), wanted=lambda c: c == "15.02")
    )
    assert len(items) == 1
    assert isinstance(items[0], Boundary), items[0]
    return items[0]


def test_merangin_centroid_is_the_upstream_one(merangin_regency: Boundary) -> None:
    lat, lng, source = representative_centroid(merangin_regency)

    assert source == "boundary_centroid"
    assert lat == pytest.approx(-2.1931, abs=1e-4)
    assert lng == pytest.approx(102.0683, abs=1e-4)
    assert (lat, lng) == (merangin_regency.source_lat, merangin_regency.source_lng)


def test_merangin_feature(merangin_regency: Boundary) -> None:
    feature = to_feature(merangin_regency, {"turnout": 0.8})

    assert feature["type"] == "Feature"
    assert feature["id"] == "15.02"
    assert feature["properties"] == {
        "code": "15.02",
        "name": "Kabupaten Merangin",
        "turnout": 0.8,
    }
    assert feature["geometry"] == merangin_regency.geometry
    assert shape(feature["geometry"]).is_valid
    json.dumps(feature)  # serialisable as it is
