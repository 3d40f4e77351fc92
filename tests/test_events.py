"""Campaign events on real Merangin villages: import, clash warnings, risk proximity, rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Connection, select

from siaga.domain.events import Severity
from siaga.events.clashes import EventArrays, find_rival_clashes, naive_rival_clashes
from siaga.events.geo import haversine_km
from siaga.events.rules import RulesError, load_rules, parse_rules
from siaga.services import events as service
from siaga.store.schema import regions

HEADER = "candidate,type,region,venue,lat,lng,start,end,expected_crowd,permit_status\n"
# Two villages of Batang Masumai, Merangin, whose real centroids are about 0.9 km apart.
TAMBANG_BESI, NIBUNG = "15.02.12.2008", "15.02.12.2004"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _rival_rows(second_day: str) -> str:
    return (f"1,rally,{TAMBANG_BESI},Lapangan,,,2024-11-10T09:00+07:00,"
            "2024-11-10T12:00+07:00,300,issued\n"
            f"2,rapat umum,{NIBUNG},Balai desa,,,{second_day}T10:00+07:00,"
            f"{second_day}T13:00+07:00,200,requested\n")


def _centroid(conn: Connection, code: str) -> tuple[float, float]:
    row = conn.execute(select(regions.c.lat, regions.c.lng).where(regions.c.code == code)).one()
    return float(row.lat), float(row.lng)


def _clashes(conn: Connection, tmp_path: Path, **options: object) -> service.ClashReport:
    return service.clashes(conn, "15.02", load_rules(), service.ClashOptions(**options),
                           tmp_path)  # type: ignore[arg-type]


def test_rival_events_1km_apart_at_overlapping_times_give_one_warning(
        conn: Connection, tmp_path: Path) -> None:
    outcome = service.import_events(conn, tmp_path, _write(tmp_path, _rival_rows("2024-11-10")))
    assert len(outcome.ids) == 2 and outcome.problems == []
    result = _clashes(conn, tmp_path)
    warnings = result.warnings
    assert isinstance(warnings, list) and len(warnings) == 1
    warning = warnings[0]
    a, b = _centroid(conn, TAMBANG_BESI), _centroid(conn, NIBUNG)
    expected = float(haversine_km(np.array(a[0]), np.array(a[1]), np.array(b[0]),
                                  np.array(b[1])))
    assert 0.5 < expected < 1.5
    assert warning["kind"] == "rival_clash" and warning["overlapping"] is True
    assert warning["distance_km"] == pytest.approx(expected, abs=1e-3)
    assert sorted(warning["events"]) == sorted(outcome.ids)
    # Same time and under half the limit: reschedule the one without an issued STTP (pair 2).
    assert warning["response"] == "reschedule" and warning["severity"] == "high"
    assert warning["change_event"] == outcome.ids[1]


def test_the_same_events_a_day_apart_give_no_warning(conn: Connection, tmp_path: Path) -> None:
    service.import_events(conn, tmp_path, _write(tmp_path, _rival_rows("2024-11-11")))
    assert _clashes(conn, tmp_path).warnings == []


def test_a_closer_limit_than_the_distance_gives_no_warning(conn: Connection,
                                                           tmp_path: Path) -> None:
    service.import_events(conn, tmp_path, _write(tmp_path, _rival_rows("2024-11-10")))
    assert _clashes(conn, tmp_path, max_km=0.5).warnings == []


def test_events_within_the_buffer_get_an_escort_warning(conn: Connection,
                                                        tmp_path: Path) -> None:
    body = (f"1,rally,{TAMBANG_BESI},,,,2024-11-10T09:00+07:00,2024-11-10T10:00+07:00,50,\n"
            f"2,rally,{NIBUNG},,,,2024-11-10T11:00+07:00,2024-11-10T12:00+07:00,50,\n")
    service.import_events(conn, tmp_path, _write(tmp_path, body))
    warnings = _clashes(conn, tmp_path, buffer_hours=2.0).warnings
    assert isinstance(warnings, list) and len(warnings) == 1
    assert warnings[0]["overlapping"] is False and warnings[0]["response"] == "escort"
    assert _clashes(conn, tmp_path, buffer_hours=0.5).warnings == []


def test_the_same_pair_never_clashes_with_itself(conn: Connection, tmp_path: Path) -> None:
    body = _rival_rows("2024-11-10").replace("\n2,", "\n1,")
    service.import_events(conn, tmp_path, _write(tmp_path, body))
    assert _clashes(conn, tmp_path).warnings == []


def test_bad_rows_are_reported_by_line_and_good_rows_still_load(conn: Connection,
                                                                tmp_path: Path) -> None:
    body = (_rival_rows("2024-11-10")
            + f"7,rally,{NIBUNG},,,,2024-11-10T09:00+07:00,2024-11-10T10:00+07:00,,\n"
            + "1,rally,15.02,,,,2024-11-10T09:00+07:00,2024-11-10T10:00+07:00,,\n"
            + f"1,rally,{NIBUNG},,,,2024-11-10T11:00+07:00,2024-11-10T10:00+07:00,,\n"
            + f"1,parade,{NIBUNG},,,,2024-11-10T09:00+07:00,2024-11-10T10:00+07:00,,\n"
            + f"1,rally,{NIBUNG},,102.2,-2.05,2024-11-10T09:00+07:00,2024-11-10T10:00+07:00,,\n"
            + f"Tim Relawan,pengajian,{NIBUNG},Masjid,,,2024-11-10T19:00,2024-11-10T21:00,"
              "1.500,tidak perlu\n")
    outcome = service.import_events(conn, tmp_path, _write(tmp_path, body))
    lines = {p.line: p.message for p in outcome.problems}
    assert sorted(lines) == [4, 5, 6, 7, 8]
    assert "ballot numbers 1, 2" in lines[4]
    assert "regency" in lines[5]
    assert "not after start" in lines[6]
    assert "parade" in lines[7]
    assert "swapped" in lines[8]
    assert len(outcome.ids) == 3
    listed = {e.id: e for e in service.list_events(conn, "15.02")}
    organiser = listed[outcome.ids[2]]
    # A time without offset is read in the region's zone (Jambi: WIB).
    assert organiser.organiser == "Tim Relawan" and organiser.start.endswith("+07:00")
    assert organiser.expected_crowd == 1500 and organiser.permit_status == "not_required"
    again = service.import_events(conn, tmp_path, _write(tmp_path, body))
    assert again.seen_before and again.ids == []


def test_times_are_listed_in_the_region_zone(conn: Connection) -> None:
    new_id = service.add_event(conn, {
        "candidate": "3", "type": "debate", "region": "17.06.02", "start": "2024-11-10T02:00Z",
        "end": "2024-11-10T04:00Z"})
    event = next(e for e in service.list_events(conn, "17.06") if e.id == new_id)
    assert event.start == "2024-11-10T09:00+07:00" and event.zone == "WIB"
    assert event.location_source == "district_centroid"
    with pytest.raises(service.EventsError, match="ballot numbers 1, 2, 3, 4"):
        service.add_event(conn, {"candidate": "9", "type": "debate", "region": "17.06.02",
                                 "start": "2024-11-10T09:00", "end": "2024-11-10T10:00"})


def test_an_event_near_a_vulnerable_tps_is_flagged(conn: Connection, tmp_path: Path) -> None:
    from siaga.domain.risk import ObservationSource
    from siaga.risk.framework import get_framework
    from siaga.services.risk import record_observation

    framework = get_framework(service.TPS_FRAMEWORK)
    indicator = framework.indicators[0].id
    record_observation(conn, framework, "1502122004001", indicator, "1",
                       source=ObservationSource.FORM, evidence="test",
                       observed_at=datetime(2024, 11, 1, tzinfo=UTC))
    body = f"1,rally,{TAMBANG_BESI},,,,2024-11-10T09:00+07:00,2024-11-10T12:00+07:00,100,\n"
    service.import_events(conn, tmp_path, _write(tmp_path, body))
    near = _clashes(conn, tmp_path, tps_radius_km=1.0).warnings
    assert isinstance(near, list) and [w["kind"] for w in near] == ["near_vulnerable_tps"]
    assert near[0]["tps"] == ["1502122004001"]
    assert _clashes(conn, tmp_path, tps_radius_km=0.5).warnings == []
    high_only = _clashes(conn, tmp_path, min_severity=Severity.MEDIUM).warnings
    assert high_only == []


def _random_events(n: int, seed: int) -> EventArrays:
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, 30 * 86400, n)
    return EventArrays(rng.integers(-1, 2, n), rng.integers(1, 4, n), starts,
                       starts + rng.integers(3600, 6 * 3600, n),
                       rng.uniform(-2.6, -1.7, n), rng.uniform(101.7, 102.6, n))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sweep_finds_exactly_the_pairs_of_the_naive_baseline(seed: int) -> None:
    events = _random_events(400, seed)
    found = find_rival_clashes(events, 5.0, 7200)
    pairs = sorted(zip(found.first.tolist(), found.second.tolist(), strict=True))
    assert pairs == sorted(naive_rival_clashes(events, 5.0, 7200))
    assert len(pairs) > 0


def test_rules_scale_with_crowd_and_risk_and_mark_assumptions() -> None:
    rules = load_rules()
    small, big = rules.requirement(50), rules.requirement(3000)
    assert small.medical_teams < big.medical_teams and big.medical_post
    assert rules.requirement(3000, "high").escort_personnel > big.escort_personnel
    assert rules.requirement(None) == rules.requirement(rules.unknown_crowd)
    assert all(band.assumption for band in rules.bands)


def test_a_broken_rules_file_names_the_field() -> None:
    with pytest.raises(RulesError, match=r"bands\[0\]: `medical_teams`"):
        parse_rules("bands:\n  - {max_crowd: null, escort_personnel: 1, medical_teams: -1, "
                    "ambulances: 0}\n", "own.yaml")


def test_area_warnings_follow_the_risk_class_and_crowd() -> None:
    from types import SimpleNamespace

    from siaga.events.warnings import area_warning

    small, big = SimpleNamespace(id=1, expected_crowd=100), SimpleNamespace(id=2,
                                                                             expected_crowd=5000)
    assert area_warning(small, "low", "15.02.01", 1000) is None
    assert area_warning(small, "medium", "15.02.01", 1000) is None
    medium_big = area_warning(big, "medium", "15.02.01", 1000)
    assert medium_big is not None and medium_big.severity is Severity.MEDIUM
    high_small = area_warning(small, "high", "15.02.01", 1000)
    high_big = area_warning(big, "high", "15.02.01", 1000)
    assert high_small is not None and high_small.severity is Severity.MEDIUM
    assert high_big is not None and high_big.severity is Severity.HIGH
    assert high_big.response.value == "escort" and "15.02.01" in high_big.reason


def test_governor_pairs_are_rivals_only_of_each_other(conn: Connection, tmp_path: Path) -> None:
    body = (f"gub:1,rally,{TAMBANG_BESI},,,,2024-11-10T09:00+07:00,2024-11-10T12:00+07:00,,\n"
            f"gub:2,rally,{NIBUNG},,,,2024-11-10T10:00+07:00,2024-11-10T13:00+07:00,,\n"
            f"2,rally,{NIBUNG},,,,2024-11-10T10:00+07:00,2024-11-10T13:00+07:00,,\n"
            f"gub:7,rally,{NIBUNG},,,,2024-11-10T10:00+07:00,2024-11-10T13:00+07:00,,\n")
    outcome = service.import_events(conn, tmp_path, _write(tmp_path, body))
    assert [p.line for p in outcome.problems] == [5]
    assert "pilkada2024:governor:15" in outcome.problems[0].message
    warnings = _clashes(conn, tmp_path).warnings
    assert isinstance(warnings, list) and len(warnings) == 1
    assert sorted(warnings[0]["events"]) == outcome.ids[:2]
    assert "governor" in warnings[0]["reason"]
    assert warnings[0]["event_details"][0]["camp"] == "paslon 1 (gubernur)"
