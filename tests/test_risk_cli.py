"""`siaga risk` as an officer runs it: a real process on a real demo workspace."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.test_cli import siaga


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, regions_db: Path
        ) -> dict[str, str]:
    """Return an environment with Merangin and Mukomuko loaded and demo observations added."""
    home = tmp_path_factory.mktemp("riskhome")
    shutil.copy(regions_db, home / "siaga.db")
    environ = {**os.environ, "SIAGA_HOME": str(home), "SIAGA_DATA_DIR": str(data_dir),
               "COLUMNS": "200"}
    environ.pop("SIAGA_DATABASE_URL", None)
    for args in (("init", "--scope", "15.02,17.06"), ("risk", "demo", "--scope", "15.02,17.06")):
        done = siaga(*args, env=environ)
        assert done.returncode == 0, done.stderr
    return environ


def test_frameworks_lists_shipped_and_user_files(env: dict[str, str]) -> None:
    folder = Path(env["SIAGA_HOME"]) / "frameworks"
    folder.mkdir(exist_ok=True)
    shipped = Path(__file__).resolve().parents[1] / "siaga/risk/frameworks"
    text = (shipped / "tps-rawan-pilkada-2024.yaml").read_text()
    (folder / "own.yaml").write_text(text.replace("id: tps-rawan-pilkada-2024", "id: own-tps", 1))
    done = siaga("risk", "frameworks", "--json", env=env)
    listing = {f["id"]: f for f in json.loads(done.stdout)}
    assert listing["ikp-pilkada-2024"]["groups"] == [4, 12]
    assert listing["ikp-pilkada-2024"]["indicators"] == 61
    assert listing["own-tps"]["origin"] == "user"
    (folder / "own.yaml").unlink()


def test_score_json_for_merangin_districts_is_marked_demo(env: dict[str, str]) -> None:
    done = siaga("risk", "score", "-f", "ikp-pilkada-2024", "--level", "district", "--scope",
                 "15.02", "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == 24
    for row in rows:
        assert {"code", "name", "level", "score", "class", "indicators_occurred"} <= set(row)
        assert 0 <= row["score"] <= 100 and row["demo"] is True
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_geojson_csv_xlsx_and_tps_points(env: dict[str, str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    base = ("risk", "score", "-f", "tps-rawan-pilkada-2024", "--scope", "17.06")
    geo = json.loads(siaga(*base, "--level", "district", "--format", "geojson", env=env).stdout)
    assert geo["siaga"]["demo"] is True
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])
    points = json.loads(siaga(*base, "--level", "tps", "--format", "geojson", env=env).stdout)
    assert {f["geometry"]["type"] for f in points["features"]} == {"Point"}
    csv_text = siaga(*base, "--level", "village", "--format", "csv", env=env).stdout
    assert csv_text.splitlines()[0].startswith("code,name,level,score,class")
    target = tmp_path / "skor.xlsx"
    done = siaga(*base, "--level", "village", "--format", "xlsx", "--out", str(target), env=env)
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(target)["skor"]
    assert sheet.max_row == len(csv_text.strip().splitlines())


def test_table_shows_demo_and_change(env: dict[str, str]) -> None:
    done = siaga("risk", "score", "-f", "ikp-pilkada-2024", "--level", "district", "--scope",
                 "15.02", "--as-of", "2024-11-27", "--since", "2024-11-01", env=env)
    assert done.returncode == 0, done.stderr
    assert "DATA DEMO" in done.stdout and "Δ" in done.stdout


def test_explain_gives_drivers_evidence_and_a_way_down(env: dict[str, str]) -> None:
    rows = json.loads(siaga("risk", "score", "-f", "ikp-pilkada-2024", "--level", "district",
                            "--scope", "15.02", "--format", "json", env=env).stdout)
    top = rows[0]
    done = siaga("risk", "explain", top["code"], "--json", env=env)
    found = json.loads(done.stdout)
    assert found["score"] == top["score"] and found["drivers"]
    first = found["drivers"][0]
    assert first["evidence"] and first["evidence"][0]["source"] == "demo"
    assert first["mitigation"] and first["weight_percent"] > 0
    if found["class"] != "low":
        assert found["to_lower_class"]["score_after"] < found["score"]
    text = siaga("risk", "explain", top["code"], env=env).stdout
    assert "DATA DEMO" in text and first["name"] in text


def test_template_then_import_with_bad_rows(env: dict[str, str], tmp_path: Path) -> None:
    template = tmp_path / "t.csv"
    done = siaga("risk", "template", "tps-rawan-pilkada-2024", "--scope", "15.02.01",
                 "--out", str(template), env=env)
    assert done.returncode == 0, done.stderr
    lines = template.read_text().splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",", 2)[0]
    cells = [""] * len(header)
    cells[0], cells[header.index("hard_to_reach")] = first, "1"
    bad = [""] * len(header)
    bad[0], bad[header.index("hard_to_reach")] = first, "sometimes"
    template.write_text("\n".join([lines[0], ",".join(cells), ",".join(bad)]) + "\n")
    done = siaga("risk", "import", "tps-rawan-pilkada-2024", str(template), env=env)
    assert done.returncode == 0, done.stderr
    assert f"{template.name}:3: hard_to_reach is yes/no" in done.stderr
    assert "1 observasi dimuat" in done.stdout
    again = siaga("risk", "import", "tps-rawan-pilkada-2024", str(template), env=env)
    assert "already imported" in again.stdout


def test_clear_errors(env: dict[str, str], tmp_path: Path) -> None:
    unknown = siaga("risk", "score", "-f", "nope", "--level", "district", "--scope", "15.02",
                    env=env)
    assert unknown.returncode == 1 and "no framework 'nope'" in unknown.stderr
    empty = siaga("risk", "score", "-f", "ikp-pilkada-2024", "--level", "district", "--scope",
                  "31", env=env)
    assert empty.returncode == 1 and "no polling stations in 31" in empty.stderr
    junk = tmp_path / "junk.csv"
    junk.write_text("kode,nilai\n1,2\n")
    done = siaga("risk", "import", "ikp-pilkada-2024", str(junk), env=env)
    assert done.returncode == 1 and "no 'code' column" in done.stderr
