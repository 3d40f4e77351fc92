"""The index on the real demo workspace (SQLite and PostgreSQL): import, score, explain, demo."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from siaga.domain.risk import ObservationSource, UnitLevel
from siaga.risk.export import write_template
from siaga.risk.framework import Framework, load_frameworks
from siaga.services import risk as service
from siaga.store.schema import raw_inputs, risk_observations

FRAMEWORKS = load_frameworks()
IKP: Framework = FRAMEWORKS["ikp-pilkada-2024"]
TPS_RAWAN: Framework = FRAMEWORKS["tps-rawan-pilkada-2024"]
TPS_A, TPS_B = "1502012001001", "1502012002001"  # Jangkat, Merangin


def test_merangin_has_24_districts_all_low_before_any_observation(conn: Connection) -> None:
    rows, meta = service.score_table(conn, IKP, UnitLevel.DISTRICT, "15.02")
    assert len(rows) == 24 and {r["code"][:5] for r in rows} == {"15.02"}
    assert {"code", "name", "level", "score", "class", "indicators_occurred"} <= set(rows[0])
    assert {r["score"] for r in rows} == {0.0} and {r["class"] for r in rows} == {"low"}
    assert meta["demo"] is False and meta["tps"] == sum(r["tps"] for r in rows)


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_loads_valid_rows_and_numbers_the_refused_ones(conn: Connection,
                                                              tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tps.csv", [
        "code,name,observed_at,money_politics,no_internet,logistics_late",
        f"{TPS_A},,2024-11-20,1,ya,",            # row 2: two observations
        "1502012001999,,2024-11-20,1,,",         # row 3: no such TPS
        f"{TPS_B},,2024-11-20,maybe,,",          # row 4: not yes/no
        "15.02.01.20X1,,2024-11-20,1,,",         # row 5: malformed code
        f"{TPS_B},,20 Nov,1,,",                  # row 6: bad date
        "",
        f"{TPS_A},,2024-11-20,1,,",              # row 8: repeats row 2
        "15.02.01.2002.002,,2024-11-21,,,1",     # row 9: dotted TPS code works
    ])
    outcome = service.import_observations(conn, tmp_path / "home", TPS_RAWAN, path)
    assert outcome.inserted == 3 and outcome.layout == "wide"
    lines = {p.line: p.message for p in outcome.problems}
    assert sorted(lines) == [3, 4, 5, 6, 8]
    assert "TPS 1502012001999 is not in the workspace" in lines[3]
    assert "yes/no" in lines[4] and "neither a region code" in lines[5]
    assert "not a date" in lines[6] and "already on row 2" in lines[8]
    stored = conn.execute(select(raw_inputs)).one()
    assert (tmp_path / "home" / stored.stored_path).read_bytes() == path.read_bytes()
    again = service.import_observations(conn, tmp_path / "home", TPS_RAWAN, path)
    assert again.seen_before and again.inserted == 0
    count = conn.execute(select(func.count()).select_from(risk_observations)).scalar_one()
    assert count == 3

    rows, _ = service.score_table(conn, TPS_RAWAN, UnitLevel.TPS, "15.02.01.2001")
    by_code = {r["code"]: r for r in rows}
    assert by_code[TPS_A]["indicators_occurred"] == 2
    assert by_code[TPS_A]["score"] == pytest.approx(100 * (1 / 8 / 2 + 1 / 8 / 2), abs=0.01)
    found = service.explain(conn, TPS_RAWAN, TPS_A)
    evidence = {d.indicator: d.evidence[0].evidence for d in found.drivers}
    assert evidence["money_politics"] == f"file:{outcome.sha256}#row=2"


def test_xlsx_template_round_trip(conn: Connection, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    units = service.template_units(conn, IKP, "15.02")
    assert len(units) == 24 and units[0][1]  # districts, named
    path = tmp_path / "ikp.xlsx"
    write_template(IKP, units, path)
    book = load_workbook(path)
    sheet = book["observasi"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("money_politics") + 1, 4)
    sheet.cell(2, header.index("observed_at") + 1, "2024-11-01")
    sheet.cell(3, header.index("single_candidate") + 1, "tidak")
    book.save(path)
    outcome = service.import_observations(conn, tmp_path, IKP, path)
    assert (outcome.inserted, outcome.problems) == (2, [])
    rows, _ = service.score_table(conn, IKP, UnitLevel.DISTRICT, "15.02")
    first = next(r for r in rows if r["code"] == units[0][0])
    money = IKP.indicators[IKP.index_of("money_politics")]
    assert first["score"] == pytest.approx(100 * money.weight, abs=0.01)  # 4 ≥ cap 3: full


def test_a_correction_needs_a_later_time(conn: Connection) -> None:
    when = datetime(2024, 11, 2, tzinfo=UTC)
    first = service.record_observation(conn, IKP, "15.02.01", "hoax", "2",
                                       source=ObservationSource.FORM, evidence="form:1",
                                       observed_at=when)
    clash = service.record_observation(conn, IKP, "15.02.01", "hoax", "1",
                                       source=ObservationSource.FORM, evidence="form:2",
                                       observed_at=when)
    assert first == "recorded" and "already recorded with value 2" in clash
    with pytest.raises(service.RiskError, match="not in the workspace"):
        service.record_observation(conn, IKP, "15.99.01", "hoax", "1",
                                   source=ObservationSource.FORM, evidence="form:3")


def test_as_of_and_change_since(conn: Connection) -> None:
    for day, indicator in ((5, "hoax"), (20, "money_politics")):
        service.record_observation(conn, IKP, "15.02", indicator, "3",
                                   source=ObservationSource.CASE, evidence=f"case:{day}",
                                   observed_at=datetime(2024, 11, day, tzinfo=UTC))
    early = service.moment_of("2024-11-10", "15.02")
    rows, _ = service.score_table(conn, IKP, UnitLevel.REGENCY, "15.02", as_of=early)
    now, _ = service.score_table(conn, IKP, UnitLevel.REGENCY, "15.02", since=early)
    weight = 100 * IKP.indicators[IKP.index_of("hoax")].weight
    assert rows[0]["score"] == pytest.approx(weight, abs=0.01)
    assert now[0]["change"] == pytest.approx(weight, abs=0.01)
    assert now[0]["score"] == pytest.approx(2 * weight, abs=0.01)


def test_demo_observations_are_marked_everywhere(conn: Connection) -> None:
    added = service.load_demo(conn, [IKP, TPS_RAWAN], "17.06")
    assert added[IKP.id] > 0 and added[TPS_RAWAN.id] > 0
    assert service.load_demo(conn, [IKP], "17.06") == {IKP.id: 0}  # idempotent
    rows, meta = service.score_table(conn, IKP, UnitLevel.DISTRICT, "17.06")
    assert meta["demo"] and all(r["demo"] for r in rows)
    assert any(r["class"] != "low" for r in rows)
    demo_flags = set(conn.execute(select(risk_observations.c.demo, risk_observations.c.source)))
    assert demo_flags == {(True, "demo")}
    explained = service.explain(conn, IKP, rows[0]["code"])
    assert explained.demo and explained.drivers
    assert sum(d.points for d in explained.drivers) == pytest.approx(
        explained.score, abs=0.05)


def test_geojson_shapes_for_every_district(conn: Connection) -> None:
    from siaga.risk.export import rows_to_geojson

    rows, meta = service.score_table(conn, IKP, UnitLevel.DISTRICT, "15.02")
    shapes = service.geometries_for(conn, rows, UnitLevel.DISTRICT)
    collection = json.loads(rows_to_geojson(rows, shapes, meta))
    kinds = {f["geometry"]["type"] for f in collection["features"]}
    assert len(collection["features"]) == 24 and kinds <= {"Polygon", "MultiPolygon"}
    points = service.geometries_for(conn, [{"code": TPS_A}], UnitLevel.TPS)
    assert points[TPS_A]["type"] == "Point"
