"""`siaga case`, `siaga report` and `siaga audit` as a user runs them (a real process, SQLite)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text


def siaga(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m siaga ARGS` and return the finished process."""
    return subprocess.run([sys.executable, "-m", "siaga", *args], capture_output=True,
                          text=True, env=env, check=False, timeout=600)


@pytest.fixture
def env(tmp_path: Path, regions_db: Path) -> dict[str, str]:
    """Return an environment whose SQLite workspace holds the real region list."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(regions_db, home / "siaga.db")
    found = {**os.environ, "SIAGA_HOME": str(home), "SIAGA_OPERATOR": "ani"}
    found.pop("SIAGA_DATABASE_URL", None)
    return found


def test_case_open_list_move_and_audit(env: dict[str, str], tmp_path: Path) -> None:
    opened = siaga(env, "case", "open", "--type", "security", "--title", "Bentrok di TPS 4",
                   "--region", "15.02", "--json")
    assert opened.returncode == 0, opened.stderr
    case = json.loads(opened.stdout)
    assert case["lead_agency"] == "polres" and case["supporting_agencies"] == ["kodim"]
    assert case["due_at"] and case["due_local"].endswith("WIB")
    listed = json.loads(siaga(env, "case", "list", "--agency", "kodim", "--json").stdout)
    assert [c["id"] for c in listed] == [case["id"]]
    assert json.loads(siaga(env, "case", "list", "--overdue", "--json").stdout) == []
    bad = siaga(env, "case", "move", str(case["id"]), "closed")
    assert bad.returncode == 1 and "open → closed" in bad.stderr
    moved = siaga(env, "case", "move", str(case["id"]), "in_progress", "--as", "budi")
    assert moved.returncode == 0, moved.stderr
    unknown = siaga(env, "case", "open", "--type", "weather", "--title", "x")
    assert unknown.returncode == 1 and "unknown case type 'weather'" in unknown.stderr
    verified = siaga(env, "audit", "verify", "--json")
    assert verified.returncode == 0 and json.loads(verified.stdout)["entries"] == 2
    engine = create_engine(f"sqlite:///{env['SIAGA_HOME']}/siaga.db")
    with engine.begin() as conn:
        actors = [r[0] for r in conn.execute(text("SELECT actor FROM audit_log ORDER BY seq"))]
        conn.execute(text("UPDATE audit_log SET after = '{}' WHERE seq = 1"))
    engine.dispose()
    assert actors == ["ani", "budi"]
    broken = siaga(env, "audit", "verify")
    assert broken.returncode == 1 and "entry 1:" in broken.stdout


def test_takedown_from_the_command_line(env: dict[str, str], tmp_path: Path) -> None:
    case = json.loads(siaga(env, "case", "open", "--type", "content_takedown", "--title",
                            "Hoaks surat suara", "--urgent", "--json").stdout)
    shot = tmp_path / "layar.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(30))
    cid = str(case["id"])
    done = siaga(env, "case", "evidence", cid, "https://example.org/x", "--text", "isi",
                 "--screenshot", str(shot))
    assert done.returncode == 0, done.stderr
    refused = siaga(env, "case", "pack", cid, "--out", str(tmp_path / "p.zip"))
    assert refused.returncode == 1 and "siaga case complaint" in refused.stderr
    assert siaga(env, "case", "complaint", cid, "--category", "hoax", "--article",
                 "ite_28_3").returncode == 0
    packed = siaga(env, "case", "pack", cid, "--out", str(tmp_path / "p.zip"))
    assert packed.returncode == 0, packed.stderr
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        assert {"manifest.json", "cover_letter.pdf"} <= set(archive.namelist())


def test_reports_from_the_command_line(env: dict[str, str], tmp_path: Path) -> None:
    sms = siaga(env, "report", "sms", "LAPOR 15.02.01 ada bagi-bagi sembako", "--sender",
                "081234", "--json")
    assert sms.returncode == 0, sms.stderr
    stored = json.loads(sms.stdout)
    status = json.loads(siaga(env, "report", "status", stored["receipt"], "--json").stdout)
    assert status == {"receipt": stored["receipt"], "status": "new",
                      "received_at": status["received_at"]}
    wrong = siaga(env, "report", "sms", "halo", "--sender", "0812")
    assert wrong.returncode == 1 and "LAPOR <kode wilayah>" in wrong.stderr
    chair = json.loads(siaga(env, "report", "list", "--role", "chair", "--json").stdout)
    assert chair[0]["reporter_contact"].startswith("[disembunyikan")
    analyst = json.loads(siaga(env, "report", "list", "--json").stdout)
    assert analyst[0]["reporter_contact"] == "081234"
    triaged = siaga(env, "report", "triage", "rejected", str(stored["id"]), "--reason", "spam")
    assert triaged.returncode == 0 and "1 diubah" in triaged.stdout


def test_promote_a_signal_twice_gives_one_report(env: dict[str, str]) -> None:
    args = ("report", "promote", "Hoaks surat suara tercoblos", "--origin", "signal:123",
            "--region", "17.06", "--published-at", "2024-11-20T08:00+07:00", "--json")
    first, second = siaga(env, *args), siaga(env, *args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["id"] == json.loads(second.stdout)["id"]
    bad = siaga(env, "report", "promote", "x", "--origin", "signal")
    assert bad.returncode == 1 and "KIND:REF" in bad.stderr
