"""Readiness board on Mukomuko districts: resources, officer health, event needs, the rules."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from siaga.events.rules import load_rules
from siaga.readiness.gaps import ReadinessRow
from siaga.services import events as events_service
from siaga.services import readiness as service
from siaga.store.schema import polling_stations

KOTA = "17.06.02"  # Kota Mukomuko


def _tps(conn: Connection, district: str) -> list[str]:
    t = polling_stations.c
    return list(conn.execute(select(t.code).where(t.region_code.like(district + ".%"))
                             .order_by(t.code)).scalars())


def _board_row(conn: Connection, tmp_path: Path) -> ReadinessRow:
    rows = service.board(conn, "17.06", load_rules(), home=tmp_path)
    assert len(rows) == 15
    return next(r for r in rows if r.code == KOTA)


def test_board_compares_resources_with_polling_day_needs(conn: Connection,
                                                         tmp_path: Path) -> None:
    tps = len(_tps(conn, KOTA))
    teams_needed = math.ceil(tps / load_rules().tps_per_medical_team)
    path = tmp_path / "resources.csv"
    path.write_text("region,kind,name,quantity\n"
                    f"{KOTA},tim medis,Puskesmas Kota Mukomuko,{teams_needed - 1}\n"
                    f"{KOTA},ambulans,RSUD Mukomuko,2\n"
                    f"{KOTA}.1001,pos kesehatan,Pos Kelurahan,1\n"
                    f"{KOTA},psc119,PSC 119 Mukomuko,1\n"
                    "17.06,ambulance,Dinkes,1\n"
                    f"{KOTA},helicopter,x,1\n")
    outcome = service.import_resources(conn, tmp_path, path)
    assert outcome.stored == 4 and [p.line for p in outcome.problems] == [6, 7]
    assert "above district" in outcome.problems[0].message
    row = _board_row(conn, tmp_path)
    assert row.tps == tps
    assert row.available == {"medical_teams": teams_needed - 1, "ambulances": 2,
                                "medical_posts": 1}
    assert row.short == {"medical_teams": 1} and row.psc119 is True
    assert row.ready is False
    others = service.board(conn, "17.06", load_rules(), home=tmp_path)
    assert all(not r.psc119 for r in others if r.code != KOTA)


def test_a_big_rally_raises_the_district_need(conn: Connection, tmp_path: Path) -> None:
    before = _board_row(conn, tmp_path).need
    events_service.add_event(conn, {"candidate": "2", "type": "rally", "region": KOTA,
                                    "start": "2024-11-20T09:00", "end": "2024-11-20T12:00",
                                    "expected_crowd": "20000"})
    row = _board_row(conn, tmp_path)
    biggest = load_rules().bands[-1]
    assert row.event_peak["events"] == 1
    assert row.need["ambulances"] == max(before["ambulances"], biggest.ambulances)
    assert row.event_peak["escort_personnel"] >= biggest.escort_personnel


def test_officer_health_gives_screening_coverage(conn: Connection, tmp_path: Path) -> None:
    first, second = _tps(conn, KOTA)[:2]
    path = tmp_path / "health.csv"
    path.write_text("unit,officers,screened,ill,died\n"
                    f"{first},7,7,0,0\n{second},7,3,1,0\n"
                    f"{second},7,9,0,0\n9999999999999,7,7,0,0\n")
    outcome = service.import_health(conn, tmp_path, path)
    assert outcome.stored == 2 and [p.line for p in outcome.problems] == [4, 5]
    assert "more than officers" in outcome.problems[0].message
    row = _board_row(conn, tmp_path)
    assert row.officers == {"officers": 14, "screened": 10, "ill": 1, "died": 0,
                            "incident_units": [second]}
    assert row.screening_coverage == pytest.approx(10 / 14, abs=1e-4)
    assert any("screening" in p for p in row.problems)
