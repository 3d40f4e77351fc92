"""Participation on Mukomuko's real DPT per district: imports, targets, gap table, chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from siaga.participation.chart import gap_chart_svg
from siaga.services import participation as service
from siaga.store.schema import contest_results, voter_counts


def _shared_dpt(conn: Connection) -> dict[str, int]:
    v = voter_counts.c
    return {r.region_code: r.voters for r in conn.execute(select(v.region_code, v.voters).where(
        v.election == "pilkada2024", v.region_code.like("17.06.%")))}


def test_gap_table_for_mukomuko_from_shared_dpt_and_imported_turnout(
        conn: Connection, tmp_path: Path) -> None:
    dpt = _shared_dpt(conn)
    assert len(dpt) == 15 and sum(dpt.values()) == 139_976  # the KPU plenary total
    codes = sorted(dpt)
    # Our own polling-day file: voters who voted only; the DPT comes from the shared data.
    voted = {code: dpt[code] * (60 + n) // 100 for n, code in enumerate(codes)}
    lines = ["region,voters_who_voted"] + [f"{c},{voted[c]}" for c in codes]
    lines.append("17.06.99,100")  # no such district
    lines.append(f"{codes[0]},{dpt[codes[0]] + 1}")  # more voters than the DPT
    path = tmp_path / "turnout.csv"
    path.write_text("\n".join(lines) + "\n")
    outcome = service.import_figures(conn, tmp_path, path, "turnout", "pilkada2024")
    assert [p.line for p in outcome.problems] == [17, 18]
    assert "not in the workspace" in outcome.problems[0].message
    assert "exceed the DPT" in outcome.problems[1].message
    service.set_target(conn, "17.06", "pilkada2024", value="75%")

    rows, meta = service.gap_table(conn, "17.06")
    assert len(rows) == 15 and [r["rank"] for r in rows] == list(range(1, 16))
    by_code = {r["code"]: r for r in rows}
    for code in codes:
        row = by_code[code]
        assert row["dpt"] == dpt[code] and row["voted"] == voted[code]
        assert row["turnout"] == pytest.approx(voted[code] / dpt[code], abs=1e-4)
        assert row["gap_points"] == pytest.approx(100 * (0.75 - voted[code] / dpt[code]),
                                                  abs=0.01)
    # The district given the lowest share is the worst; gaps fall down the table.
    assert rows[0]["code"] == codes[0]
    gaps = [r["gap_points"] for r in rows]
    assert gaps == sorted(gaps, reverse=True)
    assert meta["dpt"] == 139_976 and meta["voted"] == sum(voted.values())
    assert meta["to_target"] == pytest.approx(0.75 * 139_976 - sum(voted.values()), abs=1)
    assert meta["outreach"][0] == codes[0]
    behind = [r for r in rows if r["gap_points"] > 0]
    assert all(r["to_target"] > 0 for r in behind)


def test_shared_figures_carry_their_source_and_match_the_results(conn: Connection,
                                                                  data_dir: Path) -> None:
    loaded = service.load_shared(conn, data_dir, "17.06")
    baseline = [x for x in loaded if x.kind == "baseline"]
    assert len(baseline) == 1 and baseline[0].turnout == 0.89
    assert "SOURCE.webfacts.txt" in baseline[0].source
    r = contest_results.c
    votes = conn.execute(select(func.sum(r.votes)).where(r.region_code == "17.06.14")) \
        .scalar_one()
    air_dikit = next(x for x in loaded if x.region == "17.06.14")
    assert air_dikit.turnout == pytest.approx(votes / _shared_dpt(conn)["17.06.14"],
                                                 abs=1e-4)
    rows, meta = service.gap_table(conn, "17.06")
    # No target set: the Pilpres 2024 baseline is the bar to beat.
    assert meta["target"] == 0.89 and "baseline" in meta["target_basis"]
    assert all(row["turnout"] is not None for row in rows)


def test_target_above_baseline_and_bad_inputs(conn: Connection, tmp_path: Path) -> None:
    path = tmp_path / "baseline.csv"
    path.write_text("region,turnout\n17.06,81.5%\n17.06.01,abc\n17.06.02,0.9\n")
    outcome = service.import_figures(conn, tmp_path, path, "baseline", "pilpres2024")
    assert outcome.stored == 2 and [p.line for p in outcome.problems] == [3]
    made = service.set_target(conn, "17.06.05", "pilkada2024", above_points=2)
    assert made.target == pytest.approx(0.835)  # Ipuh takes the regency's baseline
    with pytest.raises(service.ParticipationError, match="baseline"):
        service.set_target(conn, "15.02", "pilkada2024", above_points=1)
    missing = tmp_path / "no_region.csv"
    missing.write_text("kode,turnout\n17.06,80\n")
    with pytest.raises(service.ParticipationError, match="lacks region"):
        service.import_figures(conn, tmp_path, missing, "turnout", "pilkada2024")


def test_the_chart_is_valid_svg_with_a_bar_per_unit() -> None:
    rows = [{"code": "17.06.01", "name": "Lubuk Pinang", "turnout": 0.69, "target": 0.89,
             "gap_points": 20.0}, {"code": "17.06.13", "name": "Air Manjunto",
                                   "turnout": 0.91, "target": 0.89, "gap_points": -2.0}]
    root = ET.fromstring(gap_chart_svg(rows, "t"))
    bars = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(bars) == 2
    assert float(bars[0].get("width", 0)) < float(bars[1].get("width", 0))
    assert bars[0].get("fill") != bars[1].get("fill")  # behind target vs above it


def test_village_gap_uses_imported_tps_dpt(conn: Connection, tmp_path: Path) -> None:
    from siaga.store.schema import polling_stations

    t = polling_stations.c
    tps = list(conn.execute(select(t.code, t.region_code).where(
        t.region_code.like("17.06.02.%")).order_by(t.code.desc()).limit(2)))
    village = tps[0].region_code
    same = [row.code for row in tps if row.region_code == village]
    dpt_file = tmp_path / "dpt.csv"
    dpt_file.write_text("unit,dpt\n" + "".join(f"{code},{300 + n}\n"
                                               for n, code in enumerate(same))
                        + "1706029999999,10\n")
    outcome = service.import_dpt(conn, tmp_path, dpt_file, "pilkada2024")
    assert outcome.stored == len(same) and [p.line for p in outcome.problems] == [len(same) + 2]
    dpt = sum(300 + n for n in range(len(same)))
    turnout_file = tmp_path / "village.csv"
    turnout_file.write_text(f"region,voters_who_voted\n{village},{dpt // 2}\n")
    assert service.import_figures(conn, tmp_path, turnout_file, "turnout",
                                  "pilkada2024").stored == 1
    rows, _ = service.gap_table(conn, "17.06.02", level="village")
    row = next(r for r in rows if r["code"] == village)
    assert row["dpt"] == dpt and row["turnout"] == pytest.approx((dpt // 2) / dpt, abs=1e-4)
    assert rows[0]["code"] == village  # the only village with a figure leads the list
