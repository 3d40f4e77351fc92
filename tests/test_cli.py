"""The `siaga` command as a user runs it: a real process, real data, exit codes and messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from siaga.elections.polling_stations import TPS_FILE


def siaga(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m siaga ARGS` and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "siaga", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="module")
def demo_env(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, regions_db: Path
) -> dict[str, str]:
    """Return an environment whose SQLite workspace holds the demo scope, loaded by the CLI."""
    home = tmp_path_factory.mktemp("home")
    shutil.copy(regions_db, home / "siaga.db")  # the region list is the slow part; reuse it
    env = {**os.environ, "SIAGA_HOME": str(home), "SIAGA_DATA_DIR": str(data_dir)}
    env.pop("SIAGA_DATABASE_URL", None)
    done = siaga("init", "--scope", "15.02,17.06", env=env)
    assert done.returncode == 0, done.stderr
    assert "Workspace [15.02,17.06] loaded" in done.stdout
    return env


def test_init_twice_says_nothing_changed(demo_env: dict[str, str]) -> None:
    done = siaga("init", "--scope", "1502,1706", env=demo_env)
    assert done.returncode == 0, done.stderr
    assert "already up to date: nothing changed" in done.stdout
    assert (
        "polling-stations [15.02,17.06] polling_stations: 0 new, 0 updated, 1,787 unchanged"
        in done.stdout
    )


@pytest.mark.parametrize("code", ["15.02", "1502"])
def test_regions_show_json(demo_env: dict[str, str], code: str) -> None:
    done = siaga("regions", "show", code, "--json", env=demo_env)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert (shown["code"], shown["name"], shown["level"], shown["parent"]) == (
        "15.02",
        "Kabupaten Merangin",
        "regency",
        "15",
    )
    assert (shown["districts"], shown["villages"], shown["polling_stations"]) == (24, 215, 1202)
    regent = [p for p in shown["candidate_pairs"] if p["office"] == "regent"]
    assert [p["number"] for p in regent] == [1, 2] and "NALIM" in regent[0]["names"]
    assert set(regent[0]) >= {"contest", "number", "names"}


def test_regions_show_outside_the_loaded_scope_says_so(demo_env: dict[str, str]) -> None:
    shown = json.loads(siaga("regions", "show", "11.01", "--json", env=demo_env).stdout)
    assert shown["villages"] > 0 and shown["polling_stations"] is None
    assert any("not loaded" in note for note in shown["notes"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("regions", "show", "99.99"), "unknown region 99.99"),
        (("regions", "show", "15.2"), "'15.2' is not a region code"),
    ],
)
def test_bad_codes_get_one_line_errors(
    demo_env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    done = siaga(*args, env=demo_env)
    assert done.returncode == 1 and message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Kab. Merangin", "15.02"),
        ("kabupaten merangin", "15.02"),
        ("Muko Muko", "17.06"),
        ("Mukomuko", "17.06"),
        ("Kota Jambi", "15.71"),
    ],
)
def test_regions_search_json(demo_env: dict[str, str], text: str, first: str) -> None:
    done = siaga("regions", "search", text, "--json", env=demo_env)
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert hits[0]["code"] == first and hits[0]["level"] == "regency"
    assert hits[0]["parents"] and {"code", "name", "level", "parents", "score"} <= set(hits[0])


def test_data_check_json_all_present(demo_env: dict[str, str]) -> None:
    done = siaga("data", "check", "--json", env=demo_env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] and {d["status"] for d in report["datasets"]} == {"ok"}
    tps = next(d for d in report["datasets"] if d["id"] == "polling-stations")
    assert "polling stations" in tps["features"]


def test_data_check_names_missing_and_altered_files(mirror: Path, demo_env: dict[str, str]) -> None:
    (mirror / TPS_FILE).unlink()
    wilayah = mirror / "regions/wilayah.sql"
    content = wilayah.read_bytes()
    wilayah.unlink()
    wilayah.write_bytes(content[:1000])
    done = siaga("data", "check", "--json", env={**demo_env, "SIAGA_DATA_DIR": str(mirror)})
    assert done.returncode == 1
    statuses = {d["id"]: d["status"] for d in json.loads(done.stdout)["datasets"]}
    assert statuses["polling-stations"] == "missing" and statuses["regions-2025"] == "altered"
    assert statuses["boundaries"] == "ok"
    assert f"{TPS_FILE}: not found" in done.stderr and "truncated" in done.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "no data directory: set SIAGA_DATA_DIR"),
        ("/nonexistent/siaga-data", "/nonexistent/siaga-data does not exist"),
    ],
)
def test_data_dir_problems(demo_env: dict[str, str], value: str, message: str) -> None:
    done = siaga("data", "check", env={**demo_env, "SIAGA_DATA_DIR": value})
    assert done.returncode == 1 and message in done.stderr


def test_unknown_dataset_for_import(demo_env: dict[str, str]) -> None:
    done = siaga("import", "nonsense", env=demo_env)
    assert done.returncode == 2 and "unknown dataset 'nonsense'" in done.stderr
