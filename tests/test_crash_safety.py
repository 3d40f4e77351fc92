"""Crash safety: a `siaga detect run` killed with SIGKILL part-way and run again opens exactly
the alerts of an uninterrupted run; raw inputs are written whole or not at all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from siaga.cli import app
from siaga.detect.alerts import load_rules
from siaga.detect.cluster import Clusterer
from siaga.services.demo_activity import demo_feed
from siaga.services.detect import ingest, process_pending
from siaga.store import Store, open_store
from siaga.store import alerts as alert_db
from siaga.store.raw_inputs import save_raw_input
from siaga.store.schema import alert_queue, detections, raw_inputs
from tests.conftest import new_store_url
from tests.detect_helpers import real_tweets, write_jsonl

BATCH = 20
FILLER = 1500


def _feed(data_dir: Path, path: Path, now: datetime) -> Path:
    """The demo burst in Merangin first (it raises an alert), then real tweets a month back."""
    records: list[dict[str, Any]] = [dict(r) for r in demo_feed(now, marked=False)]
    back = now - timedelta(days=40)
    records += [{"id": f"isi-{i}", "text": text,
                 "published_at": (back + timedelta(minutes=7 * i)).isoformat()}
                for i, text in enumerate(real_tweets(data_dir, FILLER, start=5000))]
    return write_jsonl(path, records)


def _processed(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(detections)).scalar_one())


def _alerts(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return sorted((a.region_code, a.category, a.window_start, a.observed, a.status.value,
                       tuple(a.signal_ids)) for a in alert_db.list_alerts(conn, limit=10_000))


def _detect_run(url: str, home: Path, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SIAGA_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "siaga", "--database-url", url, "--home", str(home),
         "detect", "run", "--batch-size", str(BATCH)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_detect_run_killed_part_way_then_rerun_opens_the_clean_runs_alerts(
    store: Store, pipeline: Any, detect_home: Path, data_dir: Path, tmp_path: Path,
    request: Any,
) -> None:
    now = datetime.now(UTC)
    feed = _feed(data_dir, tmp_path / "sinyal.jsonl", now)
    # The uninterrupted run, on a store of its own with the same input.
    backend = store.dialect
    clean = open_store(new_store_url(backend, request, tmp_path / "clean"))
    ingest(clean, tmp_path / "clean-home", str(feed), "jsonl")
    pipeline.clusterer = Clusterer()
    process_pending(clean, pipeline, load_rules(), batch_size=BATCH)
    expected = _alerts(clean)
    clean.dispose()
    assert any(a[0] == "15.02" and a[1] == "money_politics" for a in expected), expected

    ingest(store, tmp_path / "home", str(feed), "jsonl")
    url = store.engine.url.render_as_string(hide_password=False)
    total = FILLER + len(demo_feed(now))
    child = _detect_run(url, detect_home, data_dir)
    # Kill it once the batches holding the burst are committed, long before the end.
    while _processed(store) < 5 * BATCH and child.poll() is None:
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    done = _processed(store)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    assert 5 * BATCH <= done < total
    assert _alerts(store) == []
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alert_queue)).scalar_one() > 0

    again = _detect_run(url, detect_home, data_dir)
    _out, errors = again.communicate(timeout=600)
    assert again.returncode == 0, errors.decode()
    assert _processed(store) == total
    assert _alerts(store) == expected
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alert_queue)).scalar_one() == 0


def _ledger_entry(store: Store, home: Path, content: bytes) -> Path:
    with store.engine.begin() as conn:
        raw = save_raw_input(conn, home, content, "laporan.csv", "reports_csv")
        (stored,) = conn.execute(select(raw_inputs.c.stored_path).where(
            raw_inputs.c.id == raw.id)).scalars()
    return home / stored


def _verify(store: Store, home: Path) -> tuple[int, dict[str, Any]]:
    url = store.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["--database-url", url, "--home", str(home),
                                      "data", "verify-raw", "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_a_truncated_raw_file_is_reported_and_rewritten_from_the_input(
    store: Store, tmp_path: Path
) -> None:
    content = b"text,region\n" + b"laporan warga tentang amplop,15.02\n" * 50_000
    other = b"text,region\nspanduk,17.06\n"
    path = _ledger_entry(store, tmp_path, content)
    gone = _ledger_entry(store, tmp_path, other)
    assert _verify(store, tmp_path) == (0, {"home": str(tmp_path), "checked": 2, "ok": True,
                                            "problems": []})
    path.write_bytes(content[:len(content) // 3])  # what a kill mid-write used to leave
    gone.unlink()
    code, report = _verify(store, tmp_path)
    assert code == 1 and report["checked"] == 2 and not report["ok"]
    assert {(p["stored_path"], p["problem"]) for p in report["problems"]} == {
        (str(path.relative_to(tmp_path)), "hash mismatch"),
        (str(gone.relative_to(tmp_path)), "missing")}
    # Receiving the same input again puts the whole file back under its address.
    assert _ledger_entry(store, tmp_path, content) == path
    assert path.read_bytes() == content
    _ledger_entry(store, tmp_path, other)
    assert gone.read_bytes() == other
    assert _verify(store, tmp_path)[0] == 0
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


WRITER = """
import sys
from pathlib import Path
from siaga.store.rawfiles import write_atomically
write_atomically(Path(sys.argv[1]), b"x" * (512 * 1024 * 1024))
"""


def test_a_raw_write_killed_part_way_leaves_no_file_under_the_address(tmp_path: Path) -> None:
    target = tmp_path / "raw" / "ab" / "abcdef"
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(target)])
    # Kill it while the bytes are going to disk: a temporary file exists and is growing.
    while child.poll() is None:
        temporary = list(target.parent.glob(".abcdef.*.tmp")) if target.parent.is_dir() else []
        if temporary and temporary[0].stat().st_size > 0:
            break
        time.sleep(0.002)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert not target.exists()
