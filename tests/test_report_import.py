"""Bulk CSV import: bad rows named, reruns add nothing, a SIGKILLed import loses nothing."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from siaga.services.audit import verify_audit
from siaga.services.casework import Casework, CaseworkError
from siaga.services.report_import import import_reports_csv
from siaga.store import Store
from siaga.store.schema import audit_log, raw_inputs, reports
from tests import cases_support

region_store, clock, cw = cases_support.region_store, cases_support.clock, cases_support.cw
SIAGA = Path(sys.executable).with_name("siaga")


def _write_csv(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "region", "url", "occurred_at", "reporter_name", "anonymous"])
        for i in range(rows):
            region = "15.99" if i == 10 else ("17.06.01" if i % 2 else "15.02")
            text = "" if i == 20 else f"Laporan warga nomor {i}, spanduk hoaks"
            writer.writerow([text, region, f"https://example.org/{i}",
                             "2024-11-20T09:00+07:00", f"Warga {i}", "ya" if i % 3 else ""])
    return path


def _count(store: Store, table: object = reports) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_bad_rows_are_named_and_reruns_store_nothing_twice(cw: Casework, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "laporan.csv", 60)
    first = import_reports_csv(cw, path, "ani")
    assert (first.rows, first.stored, first.already) == (60, 58, 0)
    assert dict(first.rejected).keys() == {12, 22}  # data rows 10 and 20, after the header
    assert "unknown region 15.99" in dict(first.rejected)[12]
    assert "empty" in dict(first.rejected)[22]
    again = import_reports_csv(cw, path, "ani")
    assert (again.stored, again.already) == (0, 58)
    assert _count(cw.store) == 58 and _count(cw.store, raw_inputs) == 1
    with cw.store.engine.connect() as conn:
        named = conn.execute(select(func.count()).select_from(reports).where(
            reports.c.reporter_name.is_not(None))).scalar_one()
    assert named == len([i for i in range(60) if i % 3 == 0 and i not in (10, 20)])


def test_a_file_with_unknown_columns_is_refused_whole(cw: Casework, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("teks,wilayah\nhalo,15.02\n")
    with pytest.raises(CaseworkError, match=r"x\.csv:1: .*no 'text' column"):
        import_reports_csv(cw, path, "ani")
    assert _count(cw.store) == 0


def _wait_for(mark: Path, process: subprocess.Popen[bytes], log: Path) -> None:
    while not mark.exists():
        if process.poll() is not None:
            raise AssertionError(f"import ended early: {log.read_text()!r}")
        time.sleep(0.1)


def test_an_import_killed_mid_batch_leaves_whole_reports_and_resumes(
        region_store: Store, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "laporan.csv", 400)
    mark = tmp_path / "paused"
    env = {**os.environ, "SIAGA_DATABASE_URL": region_store.engine.url.render_as_string(False),
           "SIAGA_HOME": str(tmp_path / "home"), "SIAGA_IMPORT_PAUSE_AT_ROW": "250",
           "SIAGA_IMPORT_PAUSE_MARK": str(mark)}
    log = (tmp_path / "import.log").open("wb")  # a file, not a pipe nobody drains
    process = subprocess.Popen([str(SIAGA), "report", "import", str(path), "--as", "ani"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(mark, process, tmp_path / "import.log")
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
        log.close()
    assert process.returncode == -signal.SIGKILL
    # The first two batches were committed (200 parsed rows less row 12, whose region is
    # unknown); the third was open when the process died: none of it may remain, and no
    # report may be stored without its audit entry.
    assert _count(region_store) == 199
    assert _count(region_store, audit_log) == 199
    assert verify_audit(region_store).intact
    del env["SIAGA_IMPORT_PAUSE_AT_ROW"]
    resumed = subprocess.run([str(SIAGA), "report", "import", str(path), "--json"], env=env,
                             capture_output=True, text=True, check=True)
    assert '"already": 199' in resumed.stdout and '"stored": 199' in resumed.stdout
    assert _count(region_store) == 398
    again = subprocess.run([str(SIAGA), "report", "import", str(path), "--json"], env=env,
                           capture_output=True, text=True, check=True)
    assert '"stored": 0' in again.stdout and _count(region_store) == 398
    assert verify_audit(region_store).intact
