"""`siaga events`, `siaga readiness` and `siaga participation` as an officer runs them."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.test_cli import siaga


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, regions_db: Path
        ) -> dict[str, str]:
    """Return an environment with Merangin and Mukomuko loaded."""
    home = tmp_path_factory.mktemp("eventshome")
    shutil.copy(regions_db, home / "siaga.db")
    environ = {**os.environ, "SIAGA_HOME": str(home), "SIAGA_DATA_DIR": str(data_dir),
               "COLUMNS": "200"}
    environ.pop("SIAGA_DATABASE_URL", None)
    done = siaga("init", "--scope", "15.02,17.06", env=environ)
    assert done.returncode == 0, done.stderr
    return environ


def test_import_then_clashes_as_json(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "merangin.csv"
    path.write_text(
        "candidate,type,region,venue,lat,lng,start,end,expected_crowd,permit_status\n"
        "1,rally,15.02.12.2008,Lapangan,,,2024-11-10T09:00+07:00,2024-11-10T12:00+07:00,300,"
        "issued\n"
        "2,rally,15.02.12.2004,Balai,,,2024-11-10T10:00+07:00,2024-11-10T13:00+07:00,200,\n"
        "3,rally,15.02.12.2004,Balai,,,2024-11-10T10:00+07:00,2024-11-10T13:00+07:00,200,\n")
    done = siaga("events", "import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert "merangin.csv:4: candidate 3" in done.stderr and "2 kegiatan" in done.stdout
    done = siaga("events", "clashes", "--scope", "15.02", "--json", env=env)
    result = json.loads(done.stdout)
    assert result["events"] == 2 and len(result["warnings"]) == 1
    assert result["warnings"][0]["response"] == "reschedule"
    listed = json.loads(siaga("events", "list", "--scope", "15.02", "--from", "2024-11-10",
                              "--to", "2024-11-10", "--json", env=env).stdout)
    assert [e["start"] for e in listed["days"]["2024-11-10"]] == [
        "2024-11-10T09:00+07:00", "2024-11-10T10:00+07:00"]
    board = json.loads(siaga("readiness", "board", "--scope", "15.02.12", "--json",
                             env=env).stdout)
    assert board["districts"][0]["event_peak"]["events"] == 2


def test_participation_gap_with_chart(env: dict[str, str], tmp_path: Path) -> None:
    done = siaga("participation", "load-shared", "--scope", "17.06", env=env)
    assert done.returncode == 0, done.stderr
    assert "SOURCE.webfacts.txt" in done.stdout
    chart = tmp_path / "gap.svg"
    done = siaga("participation", "gap", "--scope", "17.06", "--chart", str(chart), "--json",
                 env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["meta"]["dpt"] == 139_976 and len(result["rows"]) == 15
    bars = ET.parse(chart).getroot().findall("{http://www.w3.org/2000/svg}rect")
    assert len(bars) == 15
    bad = siaga("participation", "target", "17.06", env=env)
    assert bad.returncode != 0 and "--value" in bad.stderr
