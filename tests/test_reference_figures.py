"""Real figures of the demo workspace, checked on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import func, select

from siaga.domain.scope import Scope
from siaga.importers.base import ImportContext
from siaga.importers.workspace import init_workspace
from siaga.store import Store
from siaga.store.queries import region_summary, table_counts
from siaga.store.schema import boundaries, polling_stations, regions


def _levels(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(regions.c.level, func.count()).group_by(regions.c.level))
        return {level: count for level, count in rows}


def test_full_region_list_is_loaded(demo_store: Store) -> None:
    assert _levels(demo_store) == {
        "province": 38,
        "regency": 514,
        "district": 7_285,
        "village": 83_762,
    }


@pytest.mark.parametrize(
    ("code", "districts", "villages", "tps", "regent_pairs"),
    [
        ("15.02", 24, 215, 1_202, 2),  # Kabupaten Merangin
        ("17.06", 15, 151, 585, 4),  # Kabupaten Mukomuko
    ],
)
def test_regency_figures(
    demo_store: Store, code: str, districts: int, villages: int, tps: int, regent_pairs: int
) -> None:
    with demo_store.engine.connect() as conn:
        summary = region_summary(conn, code)
    assert summary is not None
    assert (summary["districts"], summary["villages"], summary["polling_stations"]) == (
        districts,
        villages,
        tps,
    )
    regent = [p for p in summary["candidate_pairs"] if p["office"] == "regent"]
    assert sorted(p["number"] for p in regent) == list(range(1, regent_pairs + 1))
    governor = [p for p in summary["candidate_pairs"] if p["office"] == "governor"]
    assert len(governor) == 2  # Jambi and Bengkulu each had two governor pairs
    assert summary["level"] == "regency" and summary["parent"] == code[:2]


def test_merangin_centroid_lies_inside_its_polygon(demo_store: Store) -> None:
    with demo_store.engine.connect() as conn:
        lat, lng = conn.execute(
            select(regions.c.lat, regions.c.lng).where(regions.c.code == "15.02")
        ).one()
        geometry = conn.execute(
            select(boundaries.c.geometry).where(boundaries.c.code == "15.02")
        ).scalar_one()
    polygon = shape(json.loads(geometry))
    assert polygon.is_valid
    assert polygon.contains(Point(lng, lat))  # GeoJSON order: [lng, lat]
    assert polygon.bounds[0] > 101 and polygon.bounds[2] < 103  # longitudes of Jambi


def test_polling_stations_sit_at_their_village_centroid(demo_store: Store) -> None:
    with demo_store.engine.connect() as conn:
        rows = conn.execute(
            select(polling_stations.c.location_source, regions.c.lat, polling_stations.c.lat)
            .join(regions, regions.c.code == polling_stations.c.region_code)
            .where(polling_stations.c.region_code.like("15.02.%"))
        ).all()
    assert len(rows) == 1_202
    assert {source for source, _, _ in rows} == {"village_centroid"}
    assert all(village_lat == tps_lat for _, village_lat, tps_lat in rows)


def test_mukomuko_dpt_sums_to_the_reported_total(demo_store: Store) -> None:
    with demo_store.engine.connect() as conn:
        summary = region_summary(conn, "17.06")
    assert summary is not None and summary["voters_pilkada2024"] == 139_976


def test_reimport_changes_nothing(demo_store: Store, data_dir: Path) -> None:
    with demo_store.engine.connect() as conn:
        before = table_counts(conn)
    reports = init_workspace(ImportContext(demo_store, data_dir, Scope.parse("17.06,15.02")))
    assert [r.dataset for r in reports if r.changed] == []
    assert all(r.summary().endswith("nothing changed") for r in reports if not r.rejected)
    with demo_store.engine.connect() as conn:
        assert table_counts(conn) == before
